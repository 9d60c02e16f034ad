"""The daily brief: many sources -> near-duplicates collapsed -> stories -> one memo.

A caller of the pipeline, not a copy of it: ingest and condensing are the pipeline's
(``ingest.load``, ``pipeline.condense_all``); this module adds what only a daily needs.

* Near-duplicates: Jaccard similarity of word 5-gram shingles >= ``DUPLICATE`` (0.8). The
  copy is dropped; its path or URL is kept in ``sources[].duplicates``.
* Stories: articles are linked when the cosine similarity of their TF-IDF vectors is at
  least ``SAME_STORY`` (0.22), they share at least two names, and their dates (when both
  are known) are at most ``MAX_DAYS_APART`` (3) days apart; stories are the connected
  groups. Deterministic: the same inputs give the same stories in the same order. Measured
  on article pairs people judged (``bench/cluster.py``): a background IDF or a single shared
  name gains little recall for about twice the merges of different events, and so do
  shared top keywords, rare phrases, a month both name, the most alike sentences, mutual
  nearest articles, the offline briefs' similarity and a logistic model over all of them
  (``bench/RESULTS.md``).
* Stories are built by :func:`briefer.story.build_stories`: items merged across articles,
  parties by name, where sources differ, salience (articles in the story, plus 0.5 with
  red lines, 0.3 with next steps, plus up to 0.5 for recency). The executive summary is
  the top stories, one line each.
* What changed: each story is matched to yesterday's by shared sources or terms; new and
  removed positions, red lines and next steps are listed.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

import briefer.ingest as ingest
from briefer import synthesis
from briefer._version import __version__
from briefer.cache import Cache
from briefer.changes import changes, load_daily
from briefer.config import Settings
from briefer.engines import get_engine
from briefer.engines.ranking import cosine, tfidf
from briefer.errors import BrieferError, InputError, NothingBriefedError
from briefer.model import (
    Article,
    Brief,
    DailyBrief,
    Meta,
    Notice,
    NotIncluded,
    Story,
)
from briefer.pipeline import Progress, condense_all, run_started, total_usage
from briefer.render.common import format_date
from briefer.story import article_date, build_stories
from briefer.text import WORD

DUPLICATE = 0.8
SHINGLE = 5
SAME_STORY = 0.22
MIN_SHARED_NAMES = 2
MAX_DAYS_APART = 3
SUMMARY_STORIES = 7
_NAME = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]{2,}\b")


@dataclass
class DailyResult:
    daily: DailyBrief
    failures: list[BrieferError] = field(default_factory=list)


def daily(inputs: Sequence[str | os.PathLike[str]], settings: Settings | None = None, *,
          stdin: BinaryIO | None = None, filters: ingest.Filters | None = None,
          title: str | None = None, day: date | None = None, previous: Path | None = None,
          cache: Cache | None = None, progress: Progress | None = None,
          on_loaded: Callable[[int], None] | None = None) -> DailyResult:
    """Brief everything collected today into one DailyBrief."""
    settings = settings or Settings()
    started = run_started()
    engine = get_engine(settings.provider, settings)
    loaded = ingest.load(inputs, stdin=stdin, filters=filters,
                         allow_hosts=settings.allow_hosts)
    failures: list[BrieferError] = list(loaded.failures)
    articles, copies = dedupe(loaded.articles)
    if on_loaded is not None:
        on_loaded(len(articles))
    done = condense_all(articles, engine, settings, cache=cache, progress=progress)
    failures.extend(done.failures)
    briefed = [a for a in articles if a.id in done.briefs]
    if not briefed:
        if not failures:
            raise InputError(", ".join(map(str, inputs)) or "inputs", "no articles to brief")
        raise NothingBriefedError(failures)
    # With a model the briefs are in the reader's language: stories may cross languages.
    across = done.briefs if engine.name != "extractive" else None
    stories = build_stories(cluster(briefed, across), done.briefs)
    written = synthesis.write(stories, done.briefs, {a.id: a for a in briefed}, engine,
                              settings, cache)
    sources = []
    for article in briefed:
        source = article.to_source()
        source.duplicates = [c.path_or_url for c in copies.get(article.id, [])]
        sources.append(source)
    today = (day or started.date()).isoformat()
    result = DailyBrief(
        title=title or f"Daily brief, {format_date(today, settings.date_format)}",
        date=today,
        summary=[_summary_line(s) for s in stories[:SUMMARY_STORIES]],
        stories=stories,
        not_included=[NotIncluded(input=_input_of(f), reason=_reason_of(f)) for f in failures],
        sources=sources,
        meta=Meta(engine_or_provider=engine.name, model=engine.model, created_at=started,
                  briefer_version=__version__,
                  usage={"articles": len(briefed), "duplicates": sum(map(len, copies.values())),
                         "cache_hits": done.cache_hits,
                         **total_usage(done.briefs.values())},
                  warnings=[w for b in done.briefs.values() for w in b.meta.warnings]),
    )
    written.apply(result, settings)
    if cache is not None:
        result.meta.warnings.extend(_notices(cache.warnings))
    if previous is not None:
        old = load_daily(previous)
        result.previous = str(previous)
        result.meta.params["previous_date"] = old.date  # the memo names file and date
        result.changes = changes(old, result)
    return DailyResult(result, failures)


# --- near-duplicates -----------------------------------------------------------------------

def shingles(text: str) -> set[int]:
    words = [w.lower() for w in WORD.findall(text)]
    if len(words) < SHINGLE:
        return {zlib.crc32(" ".join(words).encode())}
    return {zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
            for i in range(len(words) - SHINGLE + 1)}


def dedupe(articles: Sequence[Article]) -> tuple[list[Article], dict[str, list[Article]]]:
    """Keep the first of each group of near-identical texts; map kept id -> its copies."""
    kept: list[tuple[Article, set[int]]] = []
    copies: dict[str, list[Article]] = {}
    for article in articles:
        mine = shingles(article.text)
        for other, theirs in kept:
            small, big = sorted((len(mine), len(theirs)))
            if small < DUPLICATE * big:
                continue  # too different in length to reach the threshold
            if len(mine & theirs) / len(mine | theirs) >= DUPLICATE:
                copies.setdefault(other.id, []).append(article)
                break
        else:
            kept.append((article, mine))
    return [a for a, _ in kept], copies


# --- stories -------------------------------------------------------------------------------

def _names(article: Article) -> set[str]:
    return set(_NAME.findall(f"{article.title or ''}\n{article.text}"))


def cluster(articles: Sequence[Article], briefs: Mapping[str, Brief] | None = None
            ) -> list[list[Article]]:
    """Connected groups of articles about the same event, in input order.

    ``briefs`` (by article id, written by a model in the reader's language) also links
    articles in different languages: see :func:`_across_languages`."""
    vecs = tfidf([f"{a.title or ''}\n{a.text}" for a in articles])
    names = [_names(a) for a in articles]
    dates = [article_date(a) for a in articles]
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only pairs that share one of their strongest terms can reach the threshold.
    index: dict[str, list[int]] = {}
    for i, vec in enumerate(vecs):
        for term, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:25]:
            index.setdefault(term, []).append(i)
    pairs = sorted({(i, j) for members in index.values() for i in members for j in members
                    if i < j})
    for i, j in pairs:
        if root(i) == root(j):
            continue
        day_i, day_j = dates[i], dates[j]
        if day_i and day_j and abs((day_i - day_j).days) > MAX_DAYS_APART:
            continue
        if len(names[i] & names[j]) < MIN_SHARED_NAMES:
            continue
        if cosine(vecs[i], vecs[j]) >= SAME_STORY:
            parent[root(j)] = root(i)
    if briefs is not None:
        for i, j in _across_languages(articles, briefs, dates):
            if root(i) != root(j):
                parent[root(j)] = root(i)
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(root(i), []).append(article)
    return list(groups.values())  # a group is inserted at its first member: input order


# Names and numbers survive translation ("Planas", "Mercosur", "15"); common words do not.
_ANCHOR = re.compile(r"\b[^\W\d_][^\W_]{2,}\b|\b\d{2,}\b")


def _anchors(text: str) -> set[str]:
    return {w.lower() for w in _ANCHOR.findall(text) if w[0].isdigit() or w[0].isupper()}


def _brief_text(brief: Brief) -> str:
    """What a model wrote about an article, in the reader's language."""
    parts = [brief.title, brief.summary]
    for _, item in brief.items():
        parts += [item.text, item.who or ""]
        parts += [ev.translation or "" for ev in item.evidence]
    return "\n".join(parts)


def _across_languages(articles: Sequence[Article], briefs: Mapping[str, Brief],
                      dates: Sequence[date | None]) -> list[tuple[int, int]]:
    """Pairs of articles in different languages about one event: their briefs (the
    reader's language) are at least ``SAME_STORY`` similar and the articles share at least
    ``MIN_SHARED_NAMES`` names or numbers (the source texts: names do not translate)."""
    langs = [a.language or "en" for a in articles]
    if len(set(langs)) < 2:
        return []
    texts = [_brief_text(briefs[a.id]) if a.id in briefs else "" for a in articles]
    vecs = tfidf(texts)
    anchors = [_anchors(f"{a.title or ''}\n{a.text}") | _anchors(t)
               for a, t in zip(articles, texts, strict=True)]
    pairs = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if langs[i] == langs[j]:
                continue  # same language: the TF-IDF test on the texts decides
            day_i, day_j = dates[i], dates[j]
            if day_i and day_j and abs((day_i - day_j).days) > MAX_DAYS_APART:
                continue
            if len(anchors[i] & anchors[j]) >= MIN_SHARED_NAMES and cosine(
                    vecs[i], vecs[j]) >= SAME_STORY:
                pairs.append((i, j))
    return pairs


def _summary_line(story: Story) -> str:
    """``Title: summary``, or the summary alone when it already says the title (a title cut
    from the first sentence): never ``Title: Title``."""
    from briefer.render.common import headline

    lead, text = headline(story.title, story.summary)
    return f"{lead}: {text}" if lead else text


def _input_of(failure: BrieferError) -> str:
    return str(getattr(failure, "source", None) or getattr(failure, "target", "") or "input")


def _reason_of(failure: BrieferError) -> str:
    cause = getattr(failure, "cause", None)
    if isinstance(cause, BrieferError):
        return str(cause)
    return str(getattr(failure, "reason", None) or failure)


def _notices(messages: list[str]) -> list[Notice]:
    return [Notice(kind="cache", message=m) for m in messages]
