"""A story from the briefs of the articles that report it: one item per thing said, citing
every source that says it; one name per party; where the sources differ.

Deterministic and offline (the extractive engine's side of issue 12; a model's synthesis
replaces the prose, not this merge). Items of every article, lead article first and
sections in table order, are compared pairwise; two items are **the same** when

* their quotes are near-identical sentences: rapidfuzz ``ratio`` of the folded quotes
  >= :data:`SAME_SENTENCE` (90). Independent reports of one event are far below: the
  closest cross-source pair of items scores 57.1 in the Ukraine-deadline cluster and 58.7
  in the jobs-report one, while an item's quote against its copy with one word changed
  scores 96.3 or more (``bench/story.py`` prints both);
* they carry the same quotation: the words inside quote marks share a run of at least
  :data:`SAME_QUOTE_WORDS` (6) words, or all of the shorter quotation (3 words or more), as
  "difficult issues remained difficult" in both Ukraine reports;
* they state the same figures: at least two identical counts of the same thing ("400
  drones", "40 missiles"), see :mod:`briefer.differences`.

The first of a group in reading order stays, in its section; the others' evidence from
other sources is added to it. Items that several sources carry rank first in their
section, then each article's first items before its second ones (lead article first), so
the few lines a memo shows come from every source.

Parties merge by name: case, whitespace, accents and doubled letters aside ("Zelenskyy" =
"Zelensky"), and a short form ("Wang") joins the one fuller name that opens or ends with
it, capitalised there ("Wang Yi"; never "police" into "Denver police"); the fullest form is shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone

from rapidfuzz import fuzz

from briefer.differences import differences, quantities
from briefer.model import SECTION_TABLE, Article, Brief, Item, Story, section
from briefer.render.common import is_caption
from briefer.text import WORD

SAME_SENTENCE = 90
SAME_QUOTE_WORDS = 6
SHORT_QUOTE_WORDS = 3
SAME_FIGURES = 2

_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]{6,}?)[\"“”«»„]")
_FOLD = re.compile(r"[^\w\s]")


def build_stories(groups: Sequence[Sequence[Article]], briefs: Mapping[str, Brief]
                  ) -> list[Story]:
    """One story per group of articles, most salient first, ids ``story-1``..."""
    stories = [merge_story(group, briefs) for group in groups]
    stories.sort(key=lambda s: (-s.salience, s.id))
    for n, story in enumerate(stories, 1):
        story.id = f"story-{n}"
    return stories


def merge_story(group: Sequence[Article], briefs: Mapping[str, Brief]) -> Story:
    parts = [briefs[a.id] for a in group]
    lead = parts[0]
    # the lead article's first sentence that is not a photo caption ("| The logo of...")
    first = next((e for e in lead.summary_evidence if not is_caption(e.quote)),
                 lead.summary_evidence[0] if lead.summary_evidence else None)
    story = Story(
        id="", title=lead.title, summary=first.quote if first else lead.summary,
        summary_evidence=[first] if first else [],
        source_ids=[a.id for a in group],
    )
    entries: list[tuple[str, Item]] = []
    #: where an item stood in its own article's section: the first items of every article
    #: come before the second ones, so the memo's few lines show each source's lead items
    rank: dict[int, int] = {}
    for part in parts:
        for spec in SECTION_TABLE:
            for n, item in enumerate(getattr(part, spec.name)):
                # a copy with its own evidence list (merging extends it; quotes are shared)
                copy = item.model_copy(update={"evidence": list(item.evidence)})
                entries.append((spec.name, copy))
                rank[id(copy)] = n
    names = party_names([item.who for _, item in entries if item.who])
    for name, item in entries:
        field = section(name).party
        if field and item.who:
            setattr(item, field, names[item.who])
    merged = merge_items(entries)
    for spec in SECTION_TABLE:
        kept = [item for name, item in merged if name == spec.name]
        kept.sort(key=lambda x: (-len(sources_of(x)), rank[id(x)]))  # stable: lead first
        setattr(story, spec.name, kept[: spec.story_limit])
    order: dict[str, int] = {}
    for n, pos in enumerate(story.positions):
        order.setdefault(pos.party, n)
    story.positions.sort(key=lambda p: order[p.party])  # the same party's positions together
    if len(group) > 1:
        story.differences = differences(group)
    story.salience = salience(story, group)
    return story


def sources_of(item: Item) -> list[str]:
    return list(dict.fromkeys(ev.source_id for ev in item.evidence))


# --- the same item ---------------------------------------------------------------------------

def _folded(text: str) -> str:
    return " ".join(_FOLD.sub(" ", text.lower()).split())


def _grams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class _Said:
    """What an item's first quote says, in the forms the comparisons need: the folded
    sentence, its quotations as word runs, its figures."""

    def __init__(self, item: Item) -> None:
        quote = item.evidence[0].quote
        self.folded = _folded(quote)
        quotations = [w for w in (_folded(q).split() for q in _QUOTED.findall(quote))
                      if len(w) >= SHORT_QUOTE_WORDS]
        #: runs of SAME_QUOTE_WORDS words; the short quotations whole; every shorter run
        self.runs = set().union(*(_grams(w, SAME_QUOTE_WORDS) for w in quotations))
        self.shorts = {tuple(w) for w in quotations if len(w) < SAME_QUOTE_WORDS}
        self.parts = set().union(*(_grams(w, n) for w in quotations
                                   for n in range(SHORT_QUOTE_WORDS, SAME_QUOTE_WORDS)))
        self.figures = {(q.value, q.noun) for q in quantities(quote) if q.noun}


def _same_quotation(a: _Said, b: _Said) -> bool:
    """A run of SAME_QUOTE_WORDS quoted words in both, or a shorter quotation of one
    whole in a quotation of the other."""
    return bool(a.runs & b.runs or a.shorts & b.parts or b.shorts & a.parts)


def same(a: _Said, b: _Said) -> bool:
    """Whether two items say the same thing (see the module docstring)."""
    if fuzz.ratio(a.folded, b.folded, score_cutoff=SAME_SENTENCE):
        return True
    return _same_quotation(a, b) or len(a.figures & b.figures) >= SAME_FIGURES


def merge_items(entries: Sequence[tuple[str, Item]]) -> list[tuple[str, Item]]:
    """Each group of items that say the same thing as its first item, with the evidence of
    the others (one quote per further source), in reading order."""
    kept: list[tuple[str, Item, _Said]] = []
    for name, item in entries:
        said = _Said(item)
        for _, first, first_said in kept:
            if same(first_said, said):
                known = set(sources_of(first))
                first.evidence += [ev for ev in item.evidence if ev.source_id not in known]
                break
        else:
            kept.append((name, item, said))
    return [(name, item) for name, item, _ in kept]


# --- parties -----------------------------------------------------------------------------------

def _name_tokens(name: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    # transliterations differ by a doubled letter: Zelenskyy / Zelensky, Abbas / Abas
    return tuple(re.sub(r"(.)\1+", r"\1", w) if len(w) >= 5 else w
                 for w in WORD.findall(plain))


def _fullest(forms: list[str]) -> str:
    """The most words, then the most capitalised, then the longest, then the first."""
    def rank(form: str) -> tuple[int, int, int, int]:
        words = form.split()
        return (-len(words), -sum(w[:1].isupper() for w in words), -len(" ".join(words)),
                forms.index(form))

    return " ".join(min(forms, key=rank).split())


def party_names(names: Sequence[str]) -> dict[str, str]:
    """Each name as written -> the form the story shows for that party."""
    groups: dict[tuple[str, ...], list[str]] = {}
    proper: dict[tuple[str, ...], set[str]] = {}  # the tokens some form writes capitalised
    for name in names:
        key = _name_tokens(name)
        if key and name not in groups.setdefault(key, []):
            groups[key].append(name)
            proper.setdefault(key, set()).update(
                t for t, w in zip(key, WORD.findall(name), strict=False) if w[:1].isupper())
    into: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key in sorted(groups, key=len):
        # a short form is a name in the fuller form: "Wang" of "Wang Yi", not the
        # "police" of "Denver police"
        fuller = [k for k in groups if len(k) > len(key) and _part_of(key, k)
                  and set(key) <= proper[k]]
        widest = [k for k in fuller if not any(_part_of(k, o) and o != k for o in fuller)]
        if len(widest) == 1:  # unambiguous: "Wang" with "Wang Yi" but not also "Wang Wei"
            into[key] = widest[0]

    def final(key: tuple[str, ...]) -> tuple[str, ...]:
        while key in into:
            key = into[key]
        return key

    merged: dict[tuple[str, ...], list[str]] = {}
    for key, forms in groups.items():
        merged.setdefault(final(key), []).extend(forms)
    shown = {key: _fullest(forms) for key, forms in merged.items()}
    return {name: shown[final(key)] for key, forms in groups.items() for name in forms}


def _part_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """``short`` opens or ends ``long``: "Wang" of "Wang Yi", "Biden" of "Joe Biden"."""
    n = len(short)
    return long[:n] == short or long[-n:] == short


# --- salience ----------------------------------------------------------------------------------

def article_date(article: Article) -> date | None:
    try:
        return date.fromisoformat((article.date or "")[:10])
    except ValueError:
        return None


def salience(story: Story, group: Sequence[Article]) -> float:
    """Articles in the story, plus 0.5 with red lines, 0.3 with next steps, plus up to 0.5
    for recency."""
    score = float(len(group)) + 0.5 * bool(story.red_lines) + 0.3 * bool(story.next_steps)
    dates = [d for d in map(article_date, group) if d]
    if dates:
        age = (datetime.now(timezone.utc).date() - max(dates)).days
        score += 0.5 / (1 + max(0, age))
    return round(score, 4)


__all__ = ["article_date", "build_stories", "merge_items", "merge_story", "party_names", "salience",
           "same",
           "sources_of"]
