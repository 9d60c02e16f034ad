"""Grounding: every evidence quote is checked against the source text it cites.

A quote that is not at its offsets is looked up (exactly, then with quotes and whitespace
normalised) and its offsets corrected; one that cannot be found is marked
``verified: false``. ``meta.grounding`` counts items whose evidence is all verified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefer.model import Article, Brief, Evidence, Grounding

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'",
                         "’": "'", "‚": "'", "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")


def _loose(text: str) -> tuple[str, list[int]]:
    """``text`` with typographic quotes/dashes folded and whitespace runs collapsed, plus the
    index in ``text`` of each character of the result."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            if prev_space:
                continue
            ch, prev_space = " ", True
        else:
            prev_space = False
        out.append(ch)
        index.append(i)
    return "".join(out), index


def locate(quote: str, text: str, hint: int = 0) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``text``: exact first (nearest ``hint``), then loosely."""
    if not quote.strip():
        return None
    start = text.find(quote, max(0, hint))
    if start < 0:
        start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    loose_text, index = _loose(text)
    loose_quote = _SPACE.sub(" ", quote.translate(_QUOTES)).strip()
    found = loose_text.find(loose_quote)
    if found < 0:
        return None
    return index[found], index[found + len(loose_quote) - 1] + 1


def check(evidence: Evidence, articles: Mapping[str, Article]) -> None:
    article = articles.get(evidence.source_id)
    if article is None:
        evidence.verified = False
        return
    text = article.text
    if text[evidence.start : evidence.end] == evidence.quote:
        evidence.verified = True
        return
    span = locate(evidence.quote, text, evidence.start)
    if span is None:
        evidence.verified = False
        return
    evidence.start, evidence.end = span
    evidence.quote = text[span[0] : span[1]]
    evidence.verified = True


def verify(brief: Brief, articles: Mapping[str, Article]) -> Brief:
    """Check every evidence span of ``brief`` in place; set ``meta.grounding``."""
    for evidence in brief.all_evidence():
        check(evidence, articles)
    items = [item for _, item in brief.items()]
    verified = sum(1 for item in items if item.verified)
    brief.meta.grounding = Grounding(
        items=len(items), verified=verified,
        rate=round(verified / len(items), 4) if items else 1.0,
    )
    return brief
