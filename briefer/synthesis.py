"""A model writes what the daily says beyond the briefs: one story over a story's articles
(``story@1``) and the day's bottom line (``daily@1``). Every word of it is checked.

* Story: one call per story of two or more articles, over the articles' verified briefs
  (never the raw texts, so tokens stay bounded). Each brief's grounded items are listed
  with ids (``s2.p1``: source s2, its first position). The answer's summary sentences,
  positions, red lines, next steps and the claims of "where sources differ" cite those
  ids; an item may add a new quote of one article, verified against it like any other.
  What cites nothing grounded, or says what its citations do not (:mod:`briefer.prose`),
  is dropped and counted. A section the model left empty (or whose items all failed)
  keeps the offline merge's; so does the story when the call fails, with a notice.
* Daily: one call over the story titles and summaries: 3 to 7 bullets by importance, each
  citing its story ids; a bullet citing no story of the day, or saying what its stories do
  not, is dropped.

Calls: one per story of two or more articles + one for the daily; both answers are cached
(:mod:`briefer.cache`, keyed by the exact prompt and the engine's identity), so a re-run
with everything cached makes no call.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefer import prose, quarantine
from briefer.batch import cost
from briefer.cache import Cache, cache_key
from briefer.config import Settings
from briefer.engines.answers import Usage
from briefer.engines.draft import DailyDraft, DraftStoryItem, StoryDraft
from briefer.engines.sanitize import clean, hostile, title_fits
from briefer.errors import BrieferError
from briefer.model import (
    Article,
    Brief,
    Claim,
    DailyBrief,
    Difference,
    Evidence,
    Grounding,
    NextStep,
    Notice,
    Position,
    Prose,
    RedLine,
    Story,
)
from briefer.prompts import PromptStore, boundary
from briefer.verify import check

MIN_BULLETS, MAX_BULLETS = 3, 7


@dataclass
class Written:
    """What the model wrote for a daily, and what it cost; :meth:`apply` puts it in."""

    bottom_line: list[Prose] = field(default_factory=list)
    #: the calls made (answered, repaired, failed) and their tokens
    calls: Usage = field(default_factory=Usage)
    cache_hits: int = 0
    counts: prose.Counts = field(default_factory=prose.Counts)
    #: the per-article briefs' sentences (their bottom lines), counted by verify
    briefs: prose.Counts = field(default_factory=prose.Counts)
    notices: list[Notice] = field(default_factory=list)
    prompts: dict[str, str] = field(default_factory=dict)
    #: a model engine was at hand (the extractive engine writes nothing: nothing to add)
    active: bool = False

    def apply(self, daily: DailyBrief, settings: Settings) -> None:
        """The bottom line, calls and tokens (added to the articles'), the cost at
        ``[prices]``, the sentence counts and the notices, into ``daily``."""
        if not self.active:
            return
        daily.bottom_line = self.bottom_line
        usage = daily.meta.usage
        mine = self.calls.figures()
        for key in ("calls", "repairs", "input_tokens", "output_tokens"):
            usage[key] = usage.get(key, 0) + mine[key]
        usage["synthesis_calls"] = self.calls.calls
        usage["cache_hits"] = usage.get("cache_hits", 0) + self.cache_hits
        price = cost(settings, daily.meta.model, usage)
        if price is not None:
            usage["cost_microusd"] = round(price * 1_000_000)
            daily.meta.params["cost_usd"] = round(price, 6)
        if daily.meta.grounding is None:
            items = [item for story in daily.stories for _, item in story.items()]
            verified = sum(item.verified for item in items)
            daily.meta.grounding = Grounding(
                items=len(items), verified=verified,
                rate=round(verified / len(items), 4) if items else 1.0)
        grounding = daily.meta.grounding
        counts = self.counts.add(self.briefs)
        grounding.sentences += counts.sentences
        grounding.sentences_verified += counts.verified
        grounding.sentences_dropped += counts.dropped
        if self.prompts:  # (meta.prompt is one brief prompt's {id, version, sha256})
            daily.meta.params["prompts"] = dict(self.prompts)
        daily.meta.warnings.extend(self.notices)


def write(stories: Sequence[Story], briefs: Mapping[str, Brief],
          articles: Mapping[str, Article], engine: Any, settings: Settings,
          cache: Cache | None = None) -> Written:
    """Synthesise every story of two or more articles in place, then the day's bottom
    line. Without a model (the extractive engine) nothing is written and nothing called."""
    written = Written()
    if not hasattr(engine, "ask"):
        return written
    written.active = True
    for brief in briefs.values():
        if brief.meta.grounding is not None:
            g = brief.meta.grounding
            written.briefs = written.briefs.add(
                prose.Counts(g.sentences, g.sentences_verified, g.sentences_dropped))
    try:
        _write(stories, briefs, articles, engine, settings, cache, written)
    finally:
        engine.close()
    return written


def _write(stories: Sequence[Story], briefs: Mapping[str, Brief],
           articles: Mapping[str, Article], engine: Any, settings: Settings,
           cache: Cache | None, written: Written) -> None:
    store = PromptStore(settings.prompts_dir)
    story_prompt, daily_prompt = store.get("story"), store.get("daily")
    for story in stories:
        if len(story.source_ids) < 2:
            continue
        written.prompts["story"] = story_prompt.ref
        listing, ids = listing_of(story, briefs)
        rendered = story_prompt.render(schema=_schema("story"), briefs=listing,
                                       count=len(story.source_ids), boundary=boundary(listing))
        try:
            answer = _ask(engine, rendered, "story", listing, cache, written)
        except BrieferError as exc:
            written.notices.append(Notice(kind="synthesis", message=(
                f"{story.id}: the model's story could not be written ({exc}); it is the "
                "offline merge of its articles")))
            continue
        assert isinstance(answer, StoryDraft)
        apply_story(story, answer, ids, articles, written)
    suspect = suspicion(articles)
    if stories:
        written.prompts["daily"] = daily_prompt.ref
        listing = stories_listing(stories)
        rendered = daily_prompt.render(schema=_schema("daily"), stories=listing,
                                       count=len(stories), boundary=boundary(listing))
        try:
            answer = _ask(engine, rendered, "daily", listing, cache, written)
        except BrieferError as exc:
            written.notices.append(Notice(kind="synthesis", message=(
                f"the model's bottom line for the day could not be written ({exc})")))
        else:
            assert isinstance(answer, DailyDraft)
            written.bottom_line = bullets(answer, stories, written, suspect)


def _schema(kind: str) -> str:
    from briefer.engines.draft import schema_text

    return schema_text(kind)


def _ask(engine: Any, rendered: Any, kind: str, untrusted: str, cache: Cache | None,
         written: Written) -> Any:
    """The answer from the cache when this exact prompt was answered by this engine
    before, else from one call (then cached)."""
    from briefer.engines.draft import answer_model

    key = cache_key(rendered.sha256, f"{engine.cache_id}\0{rendered.prompt.ref}")
    model = answer_model(kind)
    if cache is not None:
        with contextlib.suppress(sqlite3.Error, ValueError):
            value = cache.get(key)
            if value:
                written.cache_hits += 1
                return model.model_validate_json(value)
    answer, notices = engine.ask(rendered, kind, untrusted, written.calls)
    written.notices.extend(notices)
    if cache is not None:
        with contextlib.suppress(sqlite3.Error):
            cache.put(key, engine.cache_id, answer.model_dump_json())
    return answer


# --- story@1 ---------------------------------------------------------------------------------

def listing_of(story: Story, briefs: Mapping[str, Brief]) -> tuple[str, dict[str, prose.Cited]]:
    """The story's briefs as the prompt shows them, and what each item id resolves to.
    Only grounded items are listed (an unverified one cannot be cited)."""
    lines: list[str] = []
    ids: dict[str, prose.Cited] = {}
    for source_id in story.source_ids:
        brief = briefs.get(source_id)
        if brief is None:
            continue
        lines += [f"## Source {source_id}: {brief.title}", f"Summary: {brief.summary}"]
        for key, item in prose.item_ids(brief).items():
            if not item.verified:
                continue
            cite = f"{source_id}.{key}"
            ids[cite] = prose.Cited(prose.item_texts(item), list(item.evidence))
            who = f"{item.who}: " if item.who else ""
            quote = " ".join(item.evidence[0].quote.split())
            lines.append(f"[{cite}] {who}{item.text} (quote: \"{quote}\")")
        lines.append("")
    return "\n".join(lines).strip(), ids


def suspicion(articles: Mapping[str, Article]) -> Callable[[str | None], bool]:
    """The output check of what a model wrote over ``articles``: text addressed to a model,
    or repeating a passage of one of them that is kept out of briefs
    (:meth:`briefer.quarantine.Guard.suspect`: payload words, five words of it in a row)."""
    guards = [quarantine.guard(a.text) for a in articles.values()]
    guards = [g for g in guards if g.spans]

    def suspect(text: str | None) -> bool:
        return bool(text) and (hostile(text) or any(g.suspect(text) for g in guards))
    return suspect


def _grounded(text: str, cites: Sequence[str], ids: Mapping[str, prose.Cited],
              quote: str | None = None, source: str | None = None,
              articles: Mapping[str, Article] | None = None,
              suspect: Callable[[str | None], bool] = hostile) -> list[Evidence] | None:
    """The evidence of what ``text`` cites (plus its new quote, when it is in the named
    article and not in a quarantined passage), or None when it cites nothing grounded, is
    not supported by it, or is ``suspect``."""
    evidence: list[Evidence] = []
    grounds: list[str] = []
    for cite in dict.fromkeys(prose.norm_id(c) for c in cites):
        found = ids.get(cite)
        if found is not None:
            grounds += found.texts
            evidence += [e.model_copy() for e in found.evidence
                         if e.verified and e not in evidence]
    if quote and source and articles and (source := source.strip().lower()) in articles:
        new = Evidence(source_id=source, quote=quote, start=0, end=0, verified=False)
        check(new, articles)
        if new.verified and not quarantine.guard(articles[source].text).overlaps(
                new.start, new.end):
            evidence.append(new)
            grounds.append(new.quote)
    if not evidence or suspect(text) or prose.support(text, grounds) < prose.SUPPORT:
        return None
    return evidence


def apply_story(story: Story, answer: StoryDraft, ids: Mapping[str, prose.Cited],
                articles: Mapping[str, Article], written: Written) -> None:
    """The model's story over the offline one, where it holds up (see module doc)."""
    def resolve(cite: str) -> prose.Cited | None:
        return ids.get(prose.norm_id(cite))

    here = {sid: articles[sid] for sid in story.source_ids if sid in articles}
    suspect = suspicion(articles)  # a payload of any article of the day
    grounds = [t for cited in ids.values() for t in cited.texts]
    if not suspect(answer.title) and title_fits(answer.title, "\n".join(grounds)):
        story.title = clean(answer.title, "")
    sentences = [_sentence(s.text, s.cites, suspect) for s in answer.summary if s.text.strip()]
    kept, counts = prose.ground_all(sentences, resolve)
    written.counts = written.counts.add(counts)
    if kept:
        story.bottom_line = kept
        story.summary = " ".join(s.text for s in kept)
        story.summary_evidence = []
    dropped = 0
    for name, make in (("positions", _position), ("red_lines", _red_line),
                       ("next_steps", _next_step)):
        items = []
        for got in getattr(answer, name):
            evidence = _grounded(f"{got.party or ''} {got.text}", got.cites, ids,
                                 got.quote, got.source, here, suspect)
            item = make(got, evidence) if evidence else None
            if item is None:
                dropped += 1
            else:
                items.append(item)
        if items:
            if name == "positions":  # the same party's positions together, first seen first
                first: dict[str, int] = {}
                for n, item in enumerate(items):
                    first.setdefault(item.who.casefold() if item.who else "", n)
                items.sort(key=lambda i: first[i.who.casefold() if i.who else ""])
            setattr(story, name, items)
    differences = []
    for diff in answer.differences:
        claims = []
        for claim in diff.claims:
            evidence = _grounded(claim.text, claim.cites, ids, suspect=suspect)
            if evidence:
                claims.append(Claim(text=clean(claim.text, ""), evidence=evidence))
        sides = {e.source_id for c in claims for e in c.evidence}
        if len(claims) >= 2 and len(sides) >= 2 and not suspect(diff.about):
            differences.append(Difference(about=clean(diff.about, ""), claims=claims))
        else:
            dropped += 1
    if differences:
        story.differences = differences
    if dropped:
        written.notices.append(Notice(kind="unverified_prose", message=(
            f"{story.id}: {dropped} item(s) or difference(s) the model wrote were dropped: "
            "they cite nothing grounded in the briefs, or say what their citations do not")))
    if counts.dropped:
        written.notices.append(Notice(kind="unverified_prose", message=(
            f"{story.id}: {counts.dropped} of the {counts.sentences} summary sentences the "
            "model wrote were dropped")))


def _sentence(text: str, cites: Sequence[str],
              suspect: Callable[[str | None], bool] = hostile) -> Prose:
    """A written sentence; one addressed to a model, or repeating a quarantined passage
    (``suspect``), cites nothing, so it is dropped (and counted) like any unsupported one."""
    return Prose(text=clean(text, ""), cites=[] if suspect(text) else list(cites))


def _position(got: DraftStoryItem, evidence: list[Evidence]) -> Position | None:
    if not got.party or not got.party.strip():
        return None
    return Position(party=clean(got.party, ""), stance=clean(got.text, ""), evidence=evidence)


def _red_line(got: DraftStoryItem, evidence: list[Evidence]) -> RedLine:
    return RedLine(party=clean(got.party, "") if got.party else None,
                   line=clean(got.text, ""), evidence=evidence)


def _next_step(got: DraftStoryItem, evidence: list[Evidence]) -> NextStep:
    return NextStep(actor=clean(got.party, "") if got.party else None,
                    action=clean(got.text, ""), when=got.when or None, evidence=evidence)


# --- daily@1 ---------------------------------------------------------------------------------

def stories_listing(stories: Sequence[Story]) -> str:
    return "\n".join(f"[{s.id}] {s.title}: {' '.join(s.summary.split())} "
                     f"({len(s.source_ids)} source{'s' * (len(s.source_ids) > 1)})"
                     for s in stories)


def story_texts(story: Story) -> list[str]:
    """What a bullet citing ``story`` may draw on: its title, summary and grounded items
    (an unverified item is no ground, whoever wrote it)."""
    texts = [story.title, story.summary]
    for _, item in story.items():
        if item.verified:
            texts += prose.item_texts(item)
    return texts


def bullets(answer: DailyDraft, stories: Sequence[Story], written: Written,
            suspect: Callable[[str | None], bool] = hostile) -> list[Prose]:
    """The answer's bullets that cite a story of the day and say what it says, at most
    :data:`MAX_BULLETS`, in the model's order (by importance)."""
    by_id = {s.id: s for s in stories}

    def resolve(cite: str) -> prose.Cited | None:
        story = by_id.get(prose.norm_id(cite))
        return prose.Cited(story_texts(story)) if story else None

    sentences = [_sentence(b.text, b.cites, suspect) for b in answer.bullets[:MAX_BULLETS]
                 if b.text.strip()]
    kept, counts = prose.ground_all(sentences, resolve)
    written.counts = written.counts.add(counts)
    if counts.dropped:
        written.notices.append(Notice(kind="unverified_prose", message=(
            f"{counts.dropped} of the {counts.sentences} bullets the model wrote for the "
            "day's bottom line were dropped: they cite no story of the day, or say what "
            "their stories do not")))
    if kept and len(kept) < MIN_BULLETS:
        written.notices.append(Notice(kind="synthesis", message=(
            f"the day's bottom line has {len(kept)} bullet(s), fewer than {MIN_BULLETS}")))
    return kept


__all__ = ["MAX_BULLETS", "MIN_BULLETS", "Written", "apply_story", "bullets", "listing_of",
           "stories_listing", "write"]
