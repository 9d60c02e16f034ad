"""The bottom line of the offline engine: the lead, unless a later sentence says more.

News puts its main facts first, and LEAD-3 (an article's first three sentences) is the
baseline every summariser is measured against. The bottom line starts from the same place,
without what LEAD-3 carries and a reader does not need: the dateline ("(CNN) --",
"MOSCOW (Reuters) -"), bylines, captions and other non-prose lines (the engine hands over its
prose sentences only). Each sentence is scored by a position prior, ``exp(-rank / decay)``
weighted by ``lead_weight``, plus its TF-IDF similarity to the article's centroid; the best
are taken, skipping near-repeats, up to ``sentences`` sentences and ``budget`` words.

``bench/bottomline.py`` scores every setting of :class:`Params` against LEAD-3 on CNN/DailyMail
articles with human highlights, with leave-one-out cross-validation on tuning articles and
figures on two held-out sets. Neither of its grid choices (two sentences; three capped at
LEAD-3's length) held up on held-out Daily Mail articles, so the defaults stay the ones that
did best there (see ``bench/RESULTS.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefer.engines import ranking
from briefer.text import Segment, segment

# A photo caption run into the text ("Wanted: Police in Maryland ...", "Pictured: ..."), or
# page furniture ("Scroll down for video").
_FURNITURE = re.compile(r"^[A-Z][\w'’-]*(?: [\w'’-]+){0,2}: (?=[A-Z])|\bScroll down for\b"
                        r"|^(?:Pictured|Above|Below|Left|Right|Top|Bottom|Inset)\b")


@dataclass(frozen=True)
class Params:
    """How the bottom line is chosen (defaults from ``bench/bottomline.py``)."""

    budget: int = 75  # words at most
    sentences: int = 3  # sentences at most
    lead_weight: float = 0.6  # weight of the position prior against centroid similarity
    lead_decay: float = 4.0  # sentences: how fast the position prior fades
    redundancy: float = 0.5  # cosine above which a sentence repeats a chosen one
    min_words: int = 8  # shorter sentences (captions, "Read more.") count half
    furniture: float = 1.0  # factor on a caption or page furniture ("Wanted: Police ...")
    cap_at_lead: bool = False  # never more words than the article's first three sentences


DEFAULT = Params()


def lead_words(text: str) -> int:
    """Words in ``text``'s first three sentences: the length of its LEAD-3."""
    lead = [seg for seg in segment(text) if seg.kind == "sentence"][:3]
    return sum(len(seg.text.split()) for seg in lead)


def choose(segments: Sequence[Segment], vecs: Sequence[dict[str, float]],
           params: Params = DEFAULT, *, limit_words: int | None = None) -> list[int]:
    """Indices (in reading order) of the sentences that make the bottom line."""
    if not segments:
        return []
    sims = _centroid_similarity(vecs)
    top = max(sims) or 1.0
    scores = []
    for rank, (seg, sim) in enumerate(zip(segments, sims, strict=True)):
        score = sim / top + params.lead_weight * math.exp(-rank / params.lead_decay)
        if seg.words < params.min_words:
            score *= 0.5
        if _FURNITURE.search(seg.text):
            score *= params.furniture
        scores.append(score)
    budget = params.budget
    candidates: Sequence[int] = range(len(segments))
    if params.cap_at_lead and limit_words:
        budget = min(budget, limit_words)
        # strict: not even the first sentence may pass LEAD-3's length, when another fits
        fitting = [i for i in candidates if segments[i].words <= budget]
        candidates = fitting or candidates
    chosen = ranking.select(candidates, lambda i: scores[i], vecs,
                            limit=params.sentences, redundancy=params.redundancy,
                            words=lambda i: segments[i].words, budget=budget)
    return sorted(chosen)


def _centroid_similarity(vecs: Sequence[dict[str, float]]) -> list[float]:
    centroid: dict[str, float] = {}
    for vec in vecs:
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    return [ranking.cosine(vec, centroid) / norm for vec in vecs]


__all__ = ["DEFAULT", "Params", "choose", "lead_words"]
