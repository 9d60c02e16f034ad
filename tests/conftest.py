"""Shared fixtures. Every test runs hermetic: no provider keys, no user config or cache,
and no network beyond this machine (cassettes replay recorded HTTP)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
# Scrubbed from every recording, both directions.
SECRET_REQUEST_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization",
                          "openai-project", "cookie"]
SECRET_RESPONSE_HEADERS = {"set-cookie", "openai-organization", "openai-project",
                           "anthropic-organization-id"}
RECORD_MODES = ("none", "once", "new_episodes", "all")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--record-mode", default="none", choices=RECORD_MODES,
                     help="vcrpy record mode for cassette tests (CI replays: none)")
EXAMPLE = ROOT / "examples" / "blinken-wang.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_ENV_PREFIXES = ("OPENAI_", "ANTHROPIC_", "BRIEFER_", "OLLAMA_", "LANGCHAIN_", "LANGSMITH_",
                 # the partner providers' keys and endpoints (briefer/providers/partners.py)
                 "AZURE_OPENAI_", "AWS_BEARER_TOKEN_BEDROCK", "BEDROCK_", "GOOGLE_",
                 "GEMINI_", "MISTRAL_", "GROQ_", "DEEPSEEK_", "XAI_", "FIREWORKS_")


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


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback connections, unless cassettes are being recorded."""
    if request.config.getoption("--record-mode") != "none":
        return
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in (
                "127.0.0.1", "::1", "localhost"):
            raise ConnectionRefusedError(f"tests may not reach the network ({host})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_RESPONSE_HEADERS or name.lower().startswith("x-stainless"):
            del headers[name]
    return response


def _scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower().startswith("x-stainless"):
            del request.headers[name]
    return request


@pytest.fixture
def cassette(request: pytest.FixtureRequest):
    """Replay (or, with --record-mode, record) ``cassettes/<module>/<test>.yaml``."""
    import vcr

    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES / Path(str(request.node.fspath)).stem),
        record_mode=request.config.getoption("--record-mode"),
        match_on=["method", "path", "body"],
        filter_headers=SECRET_REQUEST_HEADERS,
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    with recorder.use_cassette(f"{request.node.name}.yaml") as recording:
        yield recording


def recording_target(module: str) -> dict[str, Any]:
    """The server, model and key a module's cassettes were recorded with
    (``cassettes/<module>/recording.json``, written by scripts/record-cassettes)."""
    path = CASSETTES / module / "recording.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"base_url": "http://127.0.0.1:8765/v1", "model": "smollm2-135m"}


def recorded_settings(target: dict[str, Any], **values: Any) -> Any:
    """Settings that talk to the server a module's cassettes were recorded from (json_mode,
    no retries: a cassette miss fails at once); the key only while recording a hosted API."""
    import os

    from pydantic import SecretStr

    from briefer.config import Settings

    key = os.environ.get("RECORD_API_KEY")
    base = {
        "provider": "openai", "model": target["model"], "base_url": target["base_url"],
        "structured_output": "json_mode",
        "json_mode_schema": target.get("json_mode_schema", True),
        "max_retries": 0, "api_key": SecretStr(key) if key else None,
    }
    return Settings(**{**base, **values})


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


@pytest.fixture
def server():
    """A scripted local HTTP server (tests/fakeserver.py): queue replies, read requests."""
    from tests.fakeserver import FakeServer

    with FakeServer() as fake:
        yield fake
