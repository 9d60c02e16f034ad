"""What condensing many articles gives back (``Condensed``), and the cache of per-article
briefs as the pipeline and batch mode both read and write it."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from briefer.cache import Cache
from briefer.errors import BrieferError
from briefer.model import Article, Brief


@dataclass
class Condensed:
    briefs: dict[str, Brief] = field(default_factory=dict)  # by article id, verified
    failures: list[BrieferError] = field(default_factory=list)
    cache_hits: int = 0
    verify_s: float = 0.0
    #: batch mode's figures: batches, resumed, requests, live_fallback
    batch: dict[str, int] = field(default_factory=dict)


Progress = Callable[[Article, str], None]


def cached_brief(cache: Cache | None, key: str | None) -> Brief | None:
    if cache is None or key is None:
        return None
    try:
        value = cache.get(key)
        return Brief.model_validate_json(value) if value else None
    except (sqlite3.Error, ValueError):
        return None  # an unreadable entry is a miss, not a failure


def store_brief(cache: Cache, key: str, engine_id: str, result: Brief) -> None:
    with contextlib.suppress(sqlite3.Error):
        cache.put(key, engine_id, result.model_dump_json())


def rehome(cached: Brief, article: Article) -> Brief:
    """A cached brief of the same text, re-pointed at this run's article (id, path)."""
    old = cached.sources[0].id if cached.sources else article.id
    cached.sources = [article.to_source()]
    if article.title and not article.title_derived:
        cached.title = article.title  # the source's own title wins, as it did when briefed
    # a derived title: the cached brief's stands (the model's when it wrote a fitting one,
    # else the same derivation from the same text)
    for ev in cached.all_evidence():
        if ev.source_id == old:
            ev.source_id = article.id
    # no call was made for it in this run: calls, tokens and cost count this run's only
    cached.meta.usage = dict.fromkeys(cached.meta.usage, 0)
    for warning in cached.meta.warnings:
        if warning.source_id == old:
            warning.source_id = article.id
    return cached


__all__ = ["Condensed", "Progress", "cached_brief", "rehome", "store_brief"]
