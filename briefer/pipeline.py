"""The one place a run is wired: inputs -> ingest -> condense -> verify -> Brief.

``brief()`` never drops a good article because another failed: failures come back in
``BriefResult.failures`` and the brief covers everything that could be read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import BinaryIO

from briefer import ingest
from briefer.cache import Cache, cache_key
from briefer.config import Settings
from briefer.engines import Engine, get_engine
from briefer.errors import BrieferError, NothingBriefedError, SourceFailed
from briefer.model import Article, Brief
from briefer.verify import verify

MAX_SUMMARY_SOURCES = 3


@dataclass
class BriefResult:
    brief: Brief
    articles: list[Article]
    failures: list[BrieferError] = field(default_factory=list)


def run_started() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible outputs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def brief(inputs: Sequence[str | os.PathLike[str]], settings: Settings | None = None, *,
          provider: str | None = None, stdin: BinaryIO | None = None,
          cache: Cache | None = None) -> BriefResult:
    """Brief every readable input. Raises only when no input could be briefed at all.

    ``settings`` defaults to the offline extractive engine; ``provider`` overrides its
    provider name.
    """
    settings = settings or Settings()
    if provider:
        settings = settings.model_copy(update={"provider": provider})
    started = run_started()
    engine = get_engine(settings.provider, settings)  # bad provider/key: fail before reading
    t0 = time.perf_counter()
    loaded = ingest.load(inputs, stdin=stdin)
    t1 = time.perf_counter()
    failures: list[BrieferError] = list(loaded.failures)
    briefs: list[Brief] = []
    articles: list[Article] = []
    done = condense_all(loaded.articles, engine, cache=cache,
                        concurrency=settings.concurrency)
    failures.extend(done.failures)
    for article in loaded.articles:
        if article.id in done.briefs:
            briefs.append(done.briefs[article.id])
            articles.append(article)
    if not briefs:
        if len(failures) == 1:  # the typed error itself (TruncatedError, InputError...)
            only = failures[0]
            raise only.cause if isinstance(only, SourceFailed) else only
        raise NothingBriefedError(failures)
    t2 = time.perf_counter()
    result = merge(briefs)
    verify(result, {a.id: a for a in articles}, fuzzy=settings.fuzzy_threshold,
           drop_unverified=settings.drop_unverified)
    t3 = time.perf_counter()
    result.meta.created_at = started
    result.meta.timings = {
        "ingest_s": round(t1 - t0, 4),
        "condense_s": round(t2 - t1, 4),
        "verify_s": round(t3 - t2, 4),
        "total_s": round(t3 - t0, 4),
    }
    return BriefResult(result, articles, failures)


@dataclass
class Condensed:
    briefs: dict[str, Brief] = field(default_factory=dict)  # by article id
    failures: list[BrieferError] = field(default_factory=list)
    cache_hits: int = 0


Progress = Callable[[Article, str], None]


def condense_all(articles: Sequence[Article], engine: Engine, *, cache: Cache | None = None,
                 concurrency: int = 1, progress: Progress | None = None) -> Condensed:
    """Condense every article, from the cache where it can; one failure stays one failure.

    ``progress(article, outcome)`` is called as each finishes ("cached", "done", "failed").
    """
    done = Condensed()
    lock = threading.Lock()

    def one(article: Article) -> None:
        key = cache_key(article.sha256, engine.cache_id) if cache else None
        outcome = "done"
        try:
            cached = _cached(cache, key)
            if cached is not None:
                result, outcome = _rehome(cached, article), "cached"
            else:
                result = engine.condense(article)
                if cache is not None and key is not None:
                    _store(cache, key, engine.cache_id, result)
        except BrieferError as exc:
            with lock:
                done.failures.append(SourceFailed(article.path_or_url, exc))
            outcome = "failed"
        else:
            with lock:
                done.briefs[article.id] = result
                done.cache_hits += outcome == "cached"
        if progress is not None:
            progress(article, outcome)

    try:
        if engine.parallel and concurrency > 1 and len(articles) > 1:
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                list(pool.map(one, articles))
        else:
            for article in articles:
                one(article)
    finally:
        close = getattr(engine, "close", None)
        if close is not None:
            close()
    order = {a.path_or_url: n for n, a in enumerate(articles)}
    done.failures.sort(key=lambda e: order.get(getattr(e, "source", ""), 0))
    return done


def _cached(cache: Cache | None, key: str | None) -> Brief | None:
    if cache is None or key is None:
        return None
    try:
        value = cache.get(key)
        return Brief.model_validate_json(value) if value else None
    except (sqlite3.Error, ValueError):
        return None  # an unreadable entry is a miss, not a failure


def _store(cache: Cache, key: str, engine_id: str, result: Brief) -> None:
    with contextlib.suppress(sqlite3.Error):
        cache.put(key, engine_id, result.model_dump_json())


def _rehome(cached: Brief, article: Article) -> Brief:
    """A cached brief of the same text, re-pointed at this run's article (id, path)."""
    old = cached.sources[0].id if cached.sources else article.id
    cached.sources = [article.to_source()]
    cached.title = article.title or cached.title
    for ev in cached.all_evidence():
        if ev.source_id == old:
            ev.source_id = article.id
    for warning in cached.meta.warnings:
        if warning.source_id == old:
            warning.source_id = article.id
    return cached


def merge(briefs: Sequence[Brief]) -> Brief:
    """One brief over several sources: sections concatenated, each item citing its source;
    the summary takes the lead sentence of the first few sources."""
    if len(briefs) == 1:
        return briefs[0]
    first = briefs[0]
    lead = [b.summary_evidence[0] for b in briefs if b.summary_evidence][:MAX_SUMMARY_SOURCES]
    merged = first.model_copy(deep=True, update={
        "title": f"Brief of {len(briefs)} sources",
        "summary": " ".join(e.quote for e in lead),
        "summary_evidence": [e.model_copy() for e in lead],
    })
    for name in ("key_issues", "positions", "red_lines", "next_steps", "sources"):
        setattr(merged, name, [x.model_copy(deep=True) for b in briefs for x in getattr(b, name)])
    merged.meta.warnings = [w for b in briefs for w in b.meta.warnings]
    merged.meta.usage = total_usage(briefs)
    return merged


def total_usage(briefs: Iterable[Brief]) -> dict[str, int]:
    """Calls, repairs, tokens... added up over several briefs."""
    total: dict[str, int] = {}
    for one in briefs:
        for key, value in one.meta.usage.items():
            total[key] = total.get(key, 0) + value
    return total
