"""Engines turn one Article into one Brief. ``get_engine(name, settings)`` is the only way in.

``extractive`` (the zero-config default) is the offline engine. Every other name is a model
provider from the registry (``briefer.providers`` entry points), wrapped in the LLM engine.
Engines load only when asked for, so ``briefer --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.model import Article, Brief

DEFAULT = "extractive"


class Engine(Protocol):
    name: str
    model: str | None
    #: whether articles may be condensed concurrently (I/O-bound engines)
    parallel: bool

    @property
    def cache_id(self) -> str:
        """Identity for the cache: everything that changes the brief of a given text."""

    def condense(self, article: Article) -> Brief: ...


def available() -> list[str]:
    from briefer.providers import registry

    return sorted({DEFAULT, *registry()})


def get_engine(name: str | None = None, settings: Settings | None = None) -> Engine:
    from briefer.config import Settings

    settings = settings or Settings()
    name = (name or settings.provider or DEFAULT).strip().lower()  # as Settings does
    if settings.model and ":" in settings.model:  # `model = "provider:model"`
        from briefer.providers import resolve

        settings = resolve(settings.model_copy(update={"provider": name}))
        name = settings.provider
    if name == DEFAULT:  # no registry scan for the default
        from briefer.engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    from briefer.providers import provider_class

    cls = provider_class(name)
    if not cls.chat:
        from briefer.engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    from briefer.engines.llm import LLMEngine

    provider = cls(settings)
    provider._import()  # a missing extra fails here, before any input is read
    provider.key()  # and so does a missing key
    return LLMEngine(provider, settings)


__all__ = ["DEFAULT", "Engine", "available", "get_engine"]
