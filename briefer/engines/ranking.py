"""Sentence salience: centroid similarity with a lead prior, and redundancy-aware selection.

News puts the most important facts first, so position is a feature; the centroid term lets a
later sentence that carries the article's main vocabulary outrank a weak early one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from briefer.text import Segment, terms

LEAD_WEIGHT = 0.6
LEAD_DECAY = 4.0  # sentences
SHORT_WORDS = 8


def vectors(segments: Sequence[Segment]) -> list[dict[str, float]]:
    """TF-IDF vectors of an article's sentences (IDF over those sentences), L2-normalised."""
    return tfidf([s.text for s in segments])


def tfidf(texts: Sequence[str]) -> list[dict[str, float]]:
    """TF-IDF vectors of ``texts`` (IDF over the same texts), L2-normalised."""
    counts = [Counter(terms(text)) for text in texts]
    df = Counter(t for c in counts for t in c)
    n = len(texts)
    out = []
    for c in counts:
        vec = {t: (1 + math.log(tf)) * math.log(1 + n / df[t]) for t, tf in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def scores(segments: Sequence[Segment], vecs: Sequence[dict[str, float]]) -> list[float]:
    """Salience of each sentence, in [0, ~1.6]."""
    centroid: dict[str, float] = {}
    for vec in vecs:
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    sims = [cosine(vec, centroid) / norm for vec in vecs]
    top = max(sims, default=0.0) or 1.0
    out = []
    for rank, (seg, sim) in enumerate(zip(segments, sims, strict=True)):
        score = sim / top + LEAD_WEIGHT * math.exp(-rank / LEAD_DECAY)
        if seg.words < SHORT_WORDS:
            score *= 0.5
        out.append(score)
    return out


def select(candidates: Sequence[int], score: Callable[[int], float],
           vecs: Sequence[dict[str, float]], *, limit: int, redundancy: float = 0.6,
           words: Callable[[int], int] | None = None, budget: int | None = None) -> list[int]:
    """Maximal marginal relevance: best first, skipping near-repeats of what is chosen."""
    chosen: list[int] = []
    used = 0
    for i in sorted(candidates, key=lambda k: (-score(k), k)):
        if len(chosen) >= limit:
            break
        if any(cosine(vecs[i], vecs[j]) > redundancy for j in chosen):
            continue
        if budget is not None and words is not None:
            if chosen and used + words(i) > budget:
                continue
            used += words(i)
        chosen.append(i)
    return chosen
