"""Engines turn one Article into one Brief. ``get_engine(name)`` is the only way in.

The offline ``extractive`` engine is built in and the zero-config default. Model-backed
providers plug in through the provider registry (``briefer.providers`` entry points) as
they land; every engine is imported only when asked for, so ``briefer --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from briefer.errors import UnknownProviderError

if TYPE_CHECKING:
    from briefer.model import Article, Brief

DEFAULT = "extractive"


class Engine(Protocol):
    name: str
    model: str | None

    def condense(self, article: Article) -> Brief: ...


def _extractive() -> Engine:
    from briefer.engines.extractive import ExtractiveEngine

    return ExtractiveEngine()


_BUILTIN = {"extractive": _extractive}


def available() -> list[str]:
    return sorted(_BUILTIN)


def get_engine(name: str | None = None) -> Engine:
    name = (name or DEFAULT).strip().lower()
    factory = _BUILTIN.get(name)
    if factory is None:
        raise UnknownProviderError(name, available())
    return factory()


__all__ = ["DEFAULT", "Engine", "available", "get_engine"]
