"""Shared fixtures. Every test runs hermetic: no provider keys, no user config or cache."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "blinken-wang.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_ENV_PREFIXES = ("OPENAI_", "ANTHROPIC_", "BRIEFER_", "OLLAMA_", "LANGCHAIN_", "LANGSMITH_")


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    import os

    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def example_text() -> str:
    from briefer.text import normalize

    return normalize(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_brief():
    """The extractive brief of the example article (computed once)."""
    from briefer.pipeline import brief

    return brief([EXAMPLE]).brief


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path
