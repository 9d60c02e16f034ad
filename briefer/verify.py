"""Grounding: every evidence quote is checked against the source text it cites.

A quote that is not at its offsets is looked up (exactly, then with quotes and whitespace
normalised, then fuzzily with rapidfuzz above a threshold) and its offsets corrected; one
that cannot be found is marked ``verified: false``. ``meta.grounding`` counts items whose
evidence is all verified, and the sentences a model wrote for the bottom line: each must
cite grounded items and say what they say (:mod:`briefer.prose`), else it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefer import prose
from briefer.model import SECTION_TABLE, Article, Brief, Evidence, Grounding, Notice, Sections

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
           fuzzy: float | None = FUZZY_THRESHOLD, drop_unverified: bool = False,
           keep_unverified_prose: bool = False,
           warnings: list[Notice] | None = None) -> Grounding:
    """Check every evidence span of a brief or a story in place; count the grounded items;
    check the bottom line's sentences against the items they cite (``k1``, ``p2``...).

    ``drop_unverified`` removes items with a quote that is not in the source (they are
    counted first, so the rate still tells what the model did). A sentence that does not
    verify is dropped unless ``keep_unverified_prose`` (then it stays, marked unverified);
    ``summary`` becomes the kept sentences joined.

    Between the two, :func:`briefer.quarantine.quarantine` drops what comes from or repeats
    a passage of the article that reads as an instruction to an AI (a notice for each in
    ``warnings``): the title, items, summary and bottom-line sentences.
    """
    from briefer.quarantine import quarantine

    for evidence in sections.all_evidence():
        check(evidence, articles, fuzzy)
    quarantine(sections, articles, warnings)
    items = [item for _, item in sections.items()]
    verified = sum(1 for item in items if item.verified)
    ids = prose.item_ids(sections)
    written = len(sections.bottom_line)
    sections.bottom_line, counts = prose.ground_all(
        sections.bottom_line, prose.resolve_items(ids), drop=not keep_unverified_prose)
    if drop_unverified:
        for spec in SECTION_TABLE:
            setattr(sections, spec.name, [item for item in getattr(sections, spec.name)
                                          if item.verified])
        prose.renumber(sections.bottom_line, ids, prose.item_ids(sections))
    if written:
        sections.summary = " ".join(s.text for s in sections.bottom_line)
    return Grounding(items=len(items), verified=verified,
                     rate=round(verified / len(items), 4) if items else 1.0,
                     sentences=counts.sentences, sentences_verified=counts.verified,
                     sentences_dropped=counts.dropped)


def verify(brief: Brief, articles: Mapping[str, Article], *,
           fuzzy: float | None = FUZZY_THRESHOLD, drop_unverified: bool = False,
           keep_unverified_prose: bool = False) -> Brief:
    """Ground ``brief`` in place (see :func:`ground`) and set ``meta.grounding``; a notice
    says how many of the model's sentences were dropped."""
    grounding = ground(brief, articles, fuzzy=fuzzy, drop_unverified=drop_unverified,
                       keep_unverified_prose=keep_unverified_prose,
                       warnings=brief.meta.warnings)
    brief.meta.grounding = grounding
    if grounding.sentences_dropped:
        source = brief.sources[0].id if len(brief.sources) == 1 else None
        brief.meta.warnings.append(Notice(kind="unverified_prose", source_id=source, message=(
            f"{grounding.sentences_dropped} of the {grounding.sentences} sentences the model "
            "wrote for the bottom line were dropped: they cite no item whose quote is in "
            "the source, or say what their items do not")))
    return brief
