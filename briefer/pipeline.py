"""The one place a run is wired: inputs -> ingest -> condense -> verify -> Brief.

``brief()`` never drops a good article because another failed: failures come back in
``BriefResult.failures`` and the brief covers everything that could be read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import BinaryIO

from briefer import ingest
from briefer.config import Settings
from briefer.engines import get_engine
from briefer.errors import BrieferError, UsageError
from briefer.model import Article, Brief
from briefer.verify import verify

MAX_SUMMARY_SOURCES = 3


class NothingBriefedError(BrieferError):
    """No input could be briefed; ``failures`` says why for each. Exit code 2 when every
    failure was a bad input, 1 when a provider or engine failed at run time."""

    def __init__(self, failures: Sequence[BrieferError]) -> None:
        self.failures = list(failures)
        self.exit_code = 2 if all(isinstance(f, UsageError) for f in failures) else 1
        shown = "; ".join(str(f) for f in self.failures[:3])
        more = f" (and {len(self.failures) - 3} more)" if len(self.failures) > 3 else ""
        what = "no readable articles" if self.exit_code == 2 else "nothing could be briefed"
        super().__init__(f"{len(self.failures)} inputs: {what}: {shown}{more}")


@dataclass
class BriefResult:
    brief: Brief
    articles: list[Article]
    failures: list[BrieferError] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.failures)


def run_started() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible outputs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def brief(inputs: Sequence[str | os.PathLike[str]], settings: Settings | None = None, *,
          provider: str | None = None, stdin: BinaryIO | None = None) -> BriefResult:
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
    try:
        for article in loaded.articles:
            try:
                one = engine.condense(article)
            except BrieferError as exc:
                failures.append(exc)
                continue
            briefs.append(one)
            articles.append(article)
    finally:
        close = getattr(engine, "close", None)
        if close is not None:
            close()
    if not briefs:
        if len(failures) == 1:
            raise failures[0]
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
    merged.meta.usage = {key: sum(b.meta.usage.get(key, 0) for b in briefs)
                         for key in {k for b in briefs for k in b.meta.usage}}
    return merged
