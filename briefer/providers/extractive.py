"""The offline extractive engine, registered like any provider so it is listed and chosen
the same way; it builds no chat model."""

from __future__ import annotations

from briefer.providers.base import Provider


class ExtractiveProvider(Provider):
    name = "extractive"
    description = "offline extractive engine: no model, no key, no network (default)"
    chat = False
    structured_output = ()

    def build(self):  # type: ignore[no-untyped-def]
        raise TypeError("the extractive engine is not a chat model")
