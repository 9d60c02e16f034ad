"""Score a brief's sections against gold annotations, by the rule of the annotation GUIDE.

A gold item is *found* when an item of the same section has evidence overlapping the gold
quote by at least half of the shorter of the two spans, on whitespace-folded plain text. A
brief item is a *hit* when its evidence overlaps some gold item of its section that way. For
matched positions and red lines the *party agrees* when the two names share a word other
than titles and articles. This is a port of ``corpus/annotations/score.py`` (same fold, same
overlap, same party rule), so figures computed here equal the reference scorer's.

    counts = score(brief, gold, article_text)        # per-section counts for one article
    figures = aggregate([counts, ...])               # recall / precision / party agreement
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SECTIONS = ("key_issues", "positions", "red_lines", "next_steps")
#: the field naming who holds an item, per section
WHO = {"positions": "party", "red_lines": "party", "next_steps": "actor"}
#: words that never make two party names agree
STOP = frozenset({"the", "a", "an", "of", "mr", "mrs", "ms", "dr", "president", "minister",
                  "prime", "secretary", "foreign", "state", "us", "u.s.", "s", "and", "for",
                  "on", "in"})
COUNTS = ("gold", "gold_essential", "found", "found_essential", "brief", "brief_hits",
          "party_n", "party_ok")

Span = tuple[int, int]


def fold(s: str) -> str:
    """Whitespace-folded, lower-cased text with typographic quotes and Markdown emphasis and
    links flattened: the form in which quotes are looked up."""
    s = unicodedata.normalize("NFKC", s).replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"\*\*|__", "", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def find(folded_text: str, quote: str) -> Span | None:
    """Span of ``quote`` (first occurrence) in already-folded text, or None."""
    q = fold(quote)
    i = folded_text.find(q)
    return (i, i + len(q)) if q and i >= 0 else None


def overlap(a: Span, b: Span) -> bool:
    """The spans share at least half of the shorter one (and something at all)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def name_words(name: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9.]+", fold(name or "")) if w not in STOP}


def same_party(a: str | None, b: str | None) -> bool:
    """GUIDE's party rule: the names share a word other than titles and articles."""
    return bool(name_words(a) & name_words(b))


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _item_quotes(item: Any) -> list[str]:
    evidence = _get(item, "evidence") or []
    quotes = [_get(e, "quote") or "" for e in evidence]
    if not evidence and _get(item, "quote"):
        quotes = [_get(item, "quote")]  # a model's draft item
    return quotes


def score(brief: Any, gold: Mapping[str, Any], text: str) -> dict[str, dict[str, int]]:
    """Per-section counts for one article.

    ``brief`` is a brief as a dict (``Brief.model_dump()`` or JSON) or any object with the
    four section attributes (a :class:`~briefer.model.Sections`); its items' quotes are
    ``evidence[].quote`` (or ``quote`` for a draft item). ``gold`` is a ``*.gold.json``
    document; ``text`` is the article's plain text (folded here).
    """
    folded = fold(text)
    out: dict[str, dict[str, int]] = {}
    for sec in SECTIONS:
        g: list[tuple[Mapping[str, Any], Span]] = []
        for it in gold.get("items") or []:
            if it.get("section") != sec:
                continue
            sp = find(folded, it.get("quote") or "")
            if sp:
                g.append((it, sp))
        b: list[tuple[Any, list[Span]]] = []
        for it in _get(brief, sec) or []:
            found_spans = [find(folded, q) for q in _item_quotes(it)]
            b.append((it, [sp for sp in found_spans if sp]))
        found = [any(overlap(gs, s) for _, ss in b for s in ss) for _, gs in g]
        hits = [any(overlap(gs, s) for _, gs in g for s in ss) for _, ss in b]
        party_ok = party_n = 0
        if sec in ("positions", "red_lines"):
            for git, gs in g:
                for bit, ss in b:
                    if any(overlap(gs, s) for s in ss):
                        party_n += 1
                        party_ok += same_party(git.get("party"), _get(bit, WHO[sec]))
                        break
        out[sec] = {
            "gold": len(g),
            "gold_essential": sum(1 for it, _ in g if it.get("essential")),
            "found": sum(found),
            "found_essential": sum(f for f, (it, _) in zip(found, g, strict=True)
                                   if it.get("essential")),
            "brief": len(b),
            "brief_hits": sum(hits),
            "party_n": party_n,
            "party_ok": party_ok,
        }
    return out


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def total(results: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    """Sum of per-article counts."""
    sums = {s: dict.fromkeys(COUNTS, 0) for s in SECTIONS}
    for r in results:
        for s in SECTIONS:
            for k in COUNTS:
                sums[s][k] += int(r.get(s, {}).get(k, 0))
    return sums


def aggregate(results: Sequence[Mapping[str, Mapping[str, int]]] | Iterable[
        Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, float | int | None]]:
    """Per-section figures over many articles: ``recall_essential``, ``recall``,
    ``precision`` and ``party_agreement`` (None when undefined) plus the summed counts."""
    figs: dict[str, dict[str, float | int | None]] = {}
    for s, t in total(results).items():
        figs[s] = {
            "recall_essential": ratio(t["found_essential"], t["gold_essential"]),
            "recall": ratio(t["found"], t["gold"]),
            "precision": ratio(t["brief_hits"], t["brief"]),
            "party_agreement": ratio(t["party_ok"], t["party_n"]),
            **t,
        }
    return figs


def format_figures(figs: Mapping[str, Mapping[str, Any]]) -> str:
    """The reference scorer's table."""
    def fmt(x: Any) -> str:
        return "-" if x is None else f"{x:.2f}"

    lines = [f"{'section':11s} {'R(ess)':>7s} {'R(all)':>7s} {'P':>6s} {'party':>6s}  gold/brief"]
    for s, f in figs.items():
        lines.append(f"{s:11s} {fmt(f['recall_essential']):>7s} {fmt(f['recall']):>7s} "
                     f"{fmt(f['precision']):>6s} {fmt(f['party_agreement']):>6s}  "
                     f"{f['gold']}/{f['brief']}")
    return "\n".join(lines)


__all__ = ["SECTIONS", "aggregate", "find", "fold", "format_figures", "overlap", "same_party",
           "score", "total"]
