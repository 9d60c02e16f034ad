"""What a model wrote and what a story adds, as plain parts every renderer shares: bottom
lines sentence by sentence (each with its evidence, an unverified one flagged), the daily
bottom line's links to its stories, "where sources differ", and the colophon's usage and
grounding counts. Nothing here is markup: the renderers escape and link."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from briefer.model import Brief, DailyBrief, Evidence, Meta, Prose, Sections, Story

#: how a memo marks a sentence a model wrote whose citations did not verify
UNVERIFIED_SENTENCE = "(unverified)"


@dataclass(frozen=True)
class StoryRef:
    """A story a bullet of the daily bottom line cites: its number in the memo and anchor,
    or no anchor when the memo does not show it (cut by ``--max-stories``)."""

    label: str
    anchor: str | None


def written(holder: Sections | DailyBrief) -> list[Prose]:
    """The sentences a model wrote for a brief, story or daily (empty: the extractive
    summary is shown, as before)."""
    return list(holder.bottom_line)


def no_summary(holder: Sections | DailyBrief) -> str:
    """What a memo says where a brief has no bottom line: the model's sentences all failed
    their check (say so: the source may well hold prose), or the source holds none."""
    grounding = holder.meta.grounding if isinstance(holder, (Brief, DailyBrief)) else None
    if grounding is not None and grounding.sentences and not holder.bottom_line:
        n = grounding.sentences
        many = n != 1
        return (f"no summary: the model's {n} sentence{'s' if many else ''} for it did not "
                f"verify against the source and {'were' if many else 'was'} dropped")
    return "no summary: the source holds no prose sentences"


def story_refs(daily: DailyBrief, sentence: Prose) -> list[StoryRef]:
    """The stories a daily bottom-line bullet cites, as the memo numbers them."""
    number = {story.id: n for n, story in enumerate(daily.stories, 1)}
    refs = []
    for cited in dict.fromkeys(sentence.cites):
        if cited in number:
            refs.append(StoryRef(f"story {number[cited]}", cited))
        elif cited.startswith("story-"):
            refs.append(StoryRef(f"{cited.replace('-', ' ')} (not shown)", None))
    return refs


def summary_stories(daily: DailyBrief, default: int) -> int:
    """Stories whose summary is a line of the executive summary (and so not repeated under
    their heading): none when a model wrote the daily's bottom line instead."""
    return 0 if daily.bottom_line else default


def prose_evidence(holder: Sections | DailyBrief) -> Iterator[Evidence]:
    for sentence in holder.bottom_line:
        yield from sentence.evidence


def difference_evidence(holder: Sections) -> Iterator[Evidence]:
    if isinstance(holder, Story):
        for difference in holder.differences:
            for claim in difference.claims:
                yield from claim.evidence


def sources_line(evidence: list[Evidence]) -> str:
    """``s1, s3``: the sources of a claim, once each, in order."""
    return ", ".join(dict.fromkeys(ev.source_id for ev in evidence))


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _cost(usage: dict[str, int | float]) -> str:
    for key in ("cost_usd", "cost"):
        if key in usage:
            return f"${float(usage[key]):,.4f}"
    for key in ("cost_microusd", "cost_micro_usd"):
        if key in usage:
            return f"${usage[key] / 1e6:,.4f}"
    return ""


def usage_line(meta: Meta) -> str:
    """``3 model calls, 12,000 input and 900 output tokens, $0.0123``, when a model was
    called (``meta.usage`` has ``calls``); empty otherwise. The cost is ``cost_microusd``
    (or ``cost_usd``/``cost``) in ``meta.usage``, else ``cost_usd`` in ``meta.params``."""
    usage: dict[str, int | float] = dict(meta.usage)
    if "calls" not in usage:
        return ""
    parts = [_count(int(usage["calls"]), "model call")]
    tokens = [f"{int(usage[k]):,} {k.split('_')[0]}" for k in ("input_tokens", "output_tokens")
              if k in usage]
    if tokens:
        parts.append(" and ".join(tokens) + " tokens")
    cost = _cost(usage) or _cost({k: v for k, v in meta.params.items()
                                  if k == "cost_usd" and isinstance(v, int | float)})
    if cost:
        parts.append(cost)
    return ", ".join(parts)


def grounding_line(meta: Meta) -> str:
    """``17/17 items grounded in the source; 4/5 written sentences verified, 1 dropped``
    (the sentence counts only when a model wrote some)."""
    g = meta.grounding
    if g is None:
        return ""
    text = f"{g.verified}/{g.items} items grounded in the source" if g.items or not (
        g.sentences or g.sentences_dropped) else ""
    if g.sentences or g.sentences_dropped:
        said = f"{g.sentences_verified}/{g.sentences} written sentences verified"
        if g.sentences_dropped:
            said += f", {g.sentences_dropped} dropped"
        text = f"{text}; {said}" if text else said
    return text


def colophon_tail(meta: Meta) -> str:
    """What the colophon adds after the date: ``; <grounding>; <usage>`` (each when known)."""
    return "".join(f"; {part}" for part in (grounding_line(meta), usage_line(meta)) if part)


def has_written(doc: Brief | DailyBrief) -> bool:
    """Whether a model wrote any of the memo's prose (bottom lines anywhere)."""
    if isinstance(doc, DailyBrief):
        return bool(doc.bottom_line) or any(s.bottom_line for s in doc.stories)
    return bool(doc.bottom_line)


__all__ = ["UNVERIFIED_SENTENCE", "StoryRef", "colophon_tail", "difference_evidence",
           "grounding_line", "has_written", "prose_evidence", "sources_line", "story_refs",
           "summary_stories", "usage_line", "written"]
