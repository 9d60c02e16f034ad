"""The one place a run is wired: inputs -> ingest -> condense -> verify -> Brief.

``brief()`` never drops a good article because another failed: failures come back in
``BriefResult.failures`` and the brief covers everything that could be read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, BinaryIO

import briefer.ingest as ingest
from briefer.cache import Cache, cache_key
from briefer.condensed import Condensed, Progress, cached_brief, rehome, store_brief
from briefer.config import Settings
from briefer.engines import Engine, get_engine
from briefer.errors import BrieferError, NothingBriefedError, SourceFailed
from briefer.model import Article, Brief, DailyBrief, Grounding, Prose
from briefer.verify import verify

if TYPE_CHECKING:
    from briefer.render.common import Layout

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
    loaded = ingest.load(inputs, stdin=stdin, allow_hosts=settings.allow_hosts)
    t1 = time.perf_counter()
    failures: list[BrieferError] = list(loaded.failures)
    done = condense_all(loaded.articles, engine, settings, cache=cache)
    failures.extend(done.failures)
    articles = [a for a in loaded.articles if a.id in done.briefs]
    if not articles:
        if len(failures) == 1:  # the typed error itself (TruncatedError, InputError...)
            only = failures[0]
            raise only.cause if isinstance(only, SourceFailed) else only
        raise NothingBriefedError(failures)
    t2 = time.perf_counter()
    result = merge([done.briefs[a.id] for a in articles])
    result.meta.created_at = started
    result.meta.timings = {
        "ingest_s": round(t1 - t0, 4),
        "condense_s": round(t2 - t1 - done.verify_s, 4),
        "verify_s": round(done.verify_s, 4),
        "total_s": round(time.perf_counter() - t0, 4),
    }
    return BriefResult(result, articles, failures)


def render_output(doc: Brief | DailyBrief, fmt: str, settings: Settings | None = None,
                  template: str | os.PathLike[str] | None = None,
                  layout: Layout | None = None) -> str | bytes:
    """A brief or daily brief in ``fmt`` with the house settings: the memo header and banner
    from config, dates in ``date_format``, and the organisation's template from
    ``templates_dir`` unless ``template`` names one; ``layout`` caps and cites as asked
    (default: :meth:`Layout.default`). What the CLI writes, for library callers too."""
    from briefer.render import house_template, render
    from briefer.render.common import Layout

    settings = settings or Settings()
    chosen = template or house_template(doc, fmt, settings.templates_dir)
    layout = layout or Layout.default(doc, date_format=settings.date_format)
    return render(doc, fmt, memo=settings.memo(), template=chosen, layout=layout)




def condense_all(articles: Sequence[Article], engine: Engine, settings: Settings | None = None,
                 *, cache: Cache | None = None, progress: Progress | None = None) -> Condensed:
    """The one place an article is briefed: from the cache where it can (which holds the
    engine's own output), else by the engine; then every quote verified against the
    article. One failure stays one failure.

    ``progress(article, outcome)`` is called as each finishes ("cached", "done", "failed").
    With ``settings.batch`` the calls go through the provider's batch API
    (:func:`briefer.batch.condense_batch`).
    """
    settings = settings or Settings()
    if settings.batch:
        from briefer.batch import condense_batch

        return condense_batch(articles, engine, settings, cache=cache, progress=progress)
    done = Condensed()
    lock = threading.Lock()

    def one(article: Article) -> None:
        key = cache_key(article.sha256, engine.cache_id) if cache else None
        outcome = "done"
        try:
            cached = cached_brief(cache, key)
            if cached is not None:
                result, outcome = rehome(cached, article), "cached"
            else:
                result = engine.condense(article)
                if cache is not None and key is not None:
                    store_brief(cache, key, engine.cache_id, result)
            start = time.perf_counter()
            verify(result, {article.id: article}, fuzzy=settings.fuzzy_threshold,
                   drop_unverified=settings.drop_unverified)
            took = time.perf_counter() - start
        except BrieferError as exc:
            with lock:
                done.failures.append(SourceFailed(article.path_or_url, exc))
            outcome = "failed"
        else:
            with lock:
                done.briefs[article.id] = result
                done.cache_hits += outcome == "cached"
                done.verify_s += took
        if progress is not None:
            progress(article, outcome)

    try:
        if engine.parallel and settings.concurrency > 1 and len(articles) > 1:
            with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
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
    merged.bottom_line = _bottom_lines(briefs)
    if merged.bottom_line:  # a model wrote them: the summary is theirs, not lead quotes
        merged.summary = " ".join(s.text for s in merged.bottom_line[:MAX_SUMMARY_SOURCES * 3])
    merged.meta.warnings = [w for b in briefs for w in b.meta.warnings]
    merged.meta.usage = total_usage(briefs)
    grounds = [b.meta.grounding for b in briefs if b.meta.grounding]
    items = sum(g.items for g in grounds)
    verified = sum(g.verified for g in grounds)
    merged.meta.grounding = Grounding(
        items=items, verified=verified, rate=round(verified / items, 4) if items else 1.0,
        sentences=sum(g.sentences for g in grounds),
        sentences_verified=sum(g.sentences_verified for g in grounds),
        sentences_dropped=sum(g.sentences_dropped for g in grounds))
    return merged


def _bottom_lines(briefs: Sequence[Brief]) -> list[Prose]:
    """Every brief's written sentences, their positional cites (``p2``) moved past the
    items of the briefs before it, as the sections are concatenated."""
    from briefer.prose import PREFIX

    out: list[Prose] = []
    before = dict.fromkeys(PREFIX.values(), 0)
    for one in briefs:
        for sentence in one.bottom_line:
            moved = sentence.model_copy(deep=True)
            moved.cites = [f"{c[0]}{int(c[1:]) + before[c[0]]}" for c in sentence.cites
                           if c[:1] in before and c[1:].isdigit()]
            out.append(moved)
        for name, prefix in PREFIX.items():
            before[prefix] += len(getattr(one, name))
    return out


def total_usage(briefs: Iterable[Brief]) -> dict[str, int]:
    """Calls, repairs, tokens... added up over several briefs."""
    total: dict[str, int] = {}
    for one in briefs:
        for key, value in one.meta.usage.items():
            total[key] = total.get(key, 0) + value
    return total
