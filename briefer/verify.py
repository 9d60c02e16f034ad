"""Grounding: every evidence quote is checked against the source text it cites.

A quote that is not at its offsets is looked up (exactly, then with quotes and whitespace
normalised, then fuzzily with rapidfuzz above a threshold) and its offsets corrected; one
that cannot be found is marked ``verified: false``. ``meta.grounding`` counts items whose
evidence is all verified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefer.model import SECTION_TABLE, Article, Brief, Evidence, Grounding, Sections

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


FUZZY_THRESHOLD = 85.0
_MIN_FUZZY_CHARS = 12


def locate(quote: str, text: str, hint: int = 0, *, fuzzy: float | None = FUZZY_THRESHOLD
           ) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``text``: exact first (nearest ``hint``), then with quotes and
    whitespace folded, then (``fuzzy`` set) the best partial match scoring at least that."""
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
    if found >= 0:
        return index[found], index[found + len(loose_quote) - 1] + 1
    if fuzzy is None or len(loose_quote) < _MIN_FUZZY_CHARS:
        return None
    return _fuzzy(loose_quote, loose_text, index, fuzzy)


def _fuzzy(quote: str, loose_text: str, index: list[int], threshold: float
           ) -> tuple[int, int] | None:
    from rapidfuzz import fuzz

    hit = fuzz.partial_ratio_alignment(quote, loose_text, score_cutoff=threshold)
    if hit is None or hit.dest_end <= hit.dest_start:
        return None
    start, end = hit.dest_start, hit.dest_end
    while start > 0 and loose_text[start - 1].isalnum():  # snap to whole words
        start -= 1
    while end < len(loose_text) and loose_text[end].isalnum():
        end += 1
    return index[start], index[end - 1] + 1


def check(evidence: Evidence, articles: Mapping[str, Article],
          fuzzy: float | None = FUZZY_THRESHOLD) -> None:
    article = articles.get(evidence.source_id)
    if article is None:
        evidence.verified = False
        return
    text = article.text
    if text[evidence.start : evidence.end] == evidence.quote:
        evidence.verified = True
        return
    span = locate(evidence.model_quote or evidence.quote, text, evidence.start, fuzzy=fuzzy)
    if span is None:
        evidence.verified = False
        evidence.start = evidence.end = 0
        return
    found = text[span[0] : span[1]]
    if found != evidence.quote and evidence.model_quote is None:
        evidence.model_quote = evidence.quote
    evidence.start, evidence.end = span
    evidence.quote = found
    evidence.verified = True


def ground(sections: Sections, articles: Mapping[str, Article], *,
           fuzzy: float | None = FUZZY_THRESHOLD, drop_unverified: bool = False) -> Grounding:
    """Check every evidence span of a brief or a story in place; count the grounded items.

    ``drop_unverified`` removes items with a quote that is not in the source (they are
    counted first, so the rate still tells what the model did).
    """
    for evidence in sections.all_evidence():
        check(evidence, articles, fuzzy)
    items = [item for _, item in sections.items()]
    verified = sum(1 for item in items if item.verified)
    if drop_unverified:
        for spec in SECTION_TABLE:
            setattr(sections, spec.name, [item for item in getattr(sections, spec.name)
                                          if item.verified])
    return Grounding(items=len(items), verified=verified,
                     rate=round(verified / len(items), 4) if items else 1.0)


def verify(brief: Brief, articles: Mapping[str, Article], *,
           fuzzy: float | None = FUZZY_THRESHOLD, drop_unverified: bool = False) -> Brief:
    """Ground ``brief`` in place (see :func:`ground`) and set ``meta.grounding``."""
    brief.meta.grounding = ground(brief, articles, fuzzy=fuzzy,
                                  drop_unverified=drop_unverified)
    return brief
