"""Grounding for sentences a model wrote (a brief's bottom line, a story's summary, the
daily's bullets): each cites what it rests on, and is kept only when

1. it cites at least one thing that resolves (an item of the same answer, an item of the
   briefs a story was written from, a story of the day);
2. what it cites is itself grounded (an item whose quotes verify against the article);
   citations of anything else are removed from the sentence first;
3. its content is that of what it cites: at least :data:`SUPPORT` of its content words
   (stemmed, stopwords dropped, numbers kept) occur in the cited items' text, party and
   quotes. A sentence about another article shares names, numbers and topic words with
   nothing it cites. ``bench/prose_support.py`` chose 0.4 (lowest rejecting 99% of
   wrong-article sentences on frank-dev, plus 0.1): held out, 92% of grounded sentences
   kept, 100% of wrong-article ones rejected.

The item ids of a brief are positional: ``k1`` is its first key issue, ``p2`` its second
position, ``r1`` a red line, ``n3`` a next step (:data:`PREFIX`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from briefer.model import SECTION_TABLE, Evidence, Item, Prose, Sections
from briefer.text import terms

#: share of a sentence's content words that must occur in what it cites (see module doc)
SUPPORT = 0.4
PREFIX: dict[str, str] = {spec.name: spec.name[0] for spec in SECTION_TABLE}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ID = re.compile(r"[^a-z0-9_.\-]")


def content(text: str) -> set[str]:
    """Stemmed content words and the numbers of ``text``."""
    return set(terms(text)) | {n.replace(",", "") for n in _NUMBER.findall(text)}


def support(sentence: str, grounds: Iterable[str]) -> float:
    """Share of the sentence's content words found in ``grounds`` (0.0 for a sentence
    without any: "It is so." rests on nothing)."""
    words = content(sentence)
    if not words:
        return 0.0
    known: set[str] = set()
    for text in grounds:
        known |= content(text)
    return len(words & known) / len(words)


def norm_id(cite: str) -> str:
    """``"[P2]"``, ``" p2 "`` -> ``"p2"``: what a model wraps an id in is not the id."""
    return _ID.sub("", cite.strip().lower())


@dataclass
class Cited:
    """What one id resolves to: the texts a sentence citing it may draw on, its evidence,
    and whether it is grounded itself."""

    texts: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    verified: bool = True


Resolver = Callable[[str], Cited | None]


def item_texts(item: Item) -> list[str]:
    texts = [item.text, item.who or "", getattr(item, "detail", None) or "",
             getattr(item, "when", None) or ""]
    for ev in item.evidence:
        texts += [ev.quote, ev.translation or ""]
    return texts


def item_ids(sections: Sections) -> dict[str, Item]:
    """``k1`` -> the first key issue... for every item of a brief or story, in order."""
    return {f"{PREFIX[spec.name]}{n}": item
            for spec, items in sections.sections() for n, item in enumerate(items, 1)}


def resolve_items(items: dict[str, Item]) -> Resolver:
    def resolve(cite: str) -> Cited | None:
        item = items.get(norm_id(cite))
        if item is None:
            return None
        return Cited(item_texts(item), list(item.evidence), item.verified)
    return resolve


def check(sentence: Prose, resolve: Resolver, threshold: float = SUPPORT) -> bool:
    """Set ``sentence.verified``: its cites keep only what resolves and is grounded (in the
    answer's order, without repeats), its evidence becomes copies of theirs."""
    cites: list[str] = []
    grounds: list[str] = []
    evidence: list[Evidence] = []
    for cite in sentence.cites:
        key = norm_id(cite)
        found = resolve(key)
        if found is None or not found.verified or key in cites:
            continue
        cites.append(key)
        grounds += found.texts
        evidence += [ev.model_copy() for ev in found.evidence
                     if ev.verified and not _has(evidence, ev)]
    sentence.cites = cites
    sentence.evidence = evidence
    sentence.verified = bool(cites) and support(sentence.text, grounds) >= threshold
    return sentence.verified


def _has(evidence: Sequence[Evidence], ev: Evidence) -> bool:
    return any((e.source_id, e.start, e.end) == (ev.source_id, ev.start, ev.end)
               for e in evidence)


@dataclass
class Counts:
    sentences: int = 0
    verified: int = 0
    dropped: int = 0

    def add(self, other: Counts) -> Counts:
        return Counts(self.sentences + other.sentences, self.verified + other.verified,
                      self.dropped + other.dropped)


def ground_all(sentences: list[Prose], resolve: Resolver, *, drop: bool = True
               ) -> tuple[list[Prose], Counts]:
    """Check each sentence; return the ones to keep (all, or the verified ones when
    ``drop``) and the counts."""
    verified = [s for s in sentences if check(s, resolve)]
    kept = verified if drop else sentences
    return kept, Counts(len(sentences), len(verified), len(sentences) - len(kept))


def renumber(sentences: list[Prose], before: dict[str, Item], after: dict[str, Item]) -> None:
    """Re-point positional cites after items were removed (``drop_unverified``)."""
    where = {id(item): key for key, item in after.items()}
    for sentence in sentences:
        sentence.cites = [where[id(before[c])] for c in sentence.cites
                          if c in before and id(before[c]) in where]


__all__ = ["PREFIX", "SUPPORT", "Cited", "Counts", "Resolver", "check", "content",
           "ground_all", "item_ids", "item_texts", "norm_id", "renumber", "resolve_items",
           "support"]
