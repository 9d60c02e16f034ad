"""Where the shipped ``templates/`` and ``prompts/`` folders are.

In a wheel they are package data (``briefer/templates``); in a source checkout or an
editable install they sit at the repository root, one level above the package. Code finds
them through the package, never through the working directory.
"""

from __future__ import annotations

from pathlib import Path

from briefer.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"briefer's {name}/ folder is missing from the installation ({_PACKAGE})")


def templates_dir() -> Path:
    return data_dir("templates")


def prompts_dir() -> Path:
    return data_dir("prompts")
