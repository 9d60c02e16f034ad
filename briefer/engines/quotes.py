"""Quotations nobody is named in: whose they are, from the sentences around them."""

from __future__ import annotations

import re

from briefer.engines.attribution import Attribution, _trim

_QUOTE_OPENERS = "“\"‘'"
_QUOTE_CLOSERS = re.compile(r"[”\"’'][)\]]?$")


def _quoted(text: str) -> bool:
    return text[:1] in _QUOTE_OPENERS or bool(_QUOTE_CLOSERS.search(text.rstrip(". ")))


def quote_holders(texts: list[str], paras: list[int], found: list[Attribution | None]
                  ) -> list[Attribution | None]:
    """Who speaks the quotations nobody is named in: a quoted sentence without attribution
    carries the speaker of the nearest attributed sentence of its paragraph (before it, else
    after it), or, when its paragraph opens with the quotation, the last speaker of the
    paragraph just before (a quotation running over paragraphs). None elsewhere."""
    out: list[Attribution | None] = [None] * len(texts)
    for i, text in enumerate(texts):
        if found[i] is not None or not _quoted(text):
            continue
        same = [j for j in range(len(texts)) if paras[j] == paras[i] and found[j] is not None]
        before = [j for j in same if j < i]
        after = [j for j in same if j > i and _quoted(texts[j])]
        holder = before[-1] if before else after[0] if after else None
        if holder is None and texts[i][:1] in _QUOTE_OPENERS:
            first = min(j for j in range(len(texts)) if paras[j] == paras[i])
            prev = [j for j in range(first) if paras[j] == paras[first] - 1 or (
                paras[j] == paras[first] - 2 and texts[first][:1] in _QUOTE_OPENERS)]
            if texts[first][:1] in _QUOTE_OPENERS and prev:
                speakers = [j for j in prev if found[j] is not None]
                holder = speakers[-1] if speakers else None
        if holder is not None:
            att = found[holder]
            assert att is not None
            stance = _trim(text, 1 if text[:1] in _QUOTE_OPENERS else 0, len(text))
            while stance[1] > stance[0] and text[stance[1] - 1] in "”\"’'.,;:!? ":
                stance = (stance[0], stance[1] - 1)
            out[i] = Attribution(att.speaker, att.party, att.role, stance, (0, 0))
    return out
