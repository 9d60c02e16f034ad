"""What every renderer shares: the memo's layout (how much to show, how to cite, how to
write dates), citation numbering, text clean-up, and each declared section's items as plain
parts (lead, role, text, when) so templates iterate sections instead of naming them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from briefer.model import SECTION_TABLE, Brief, DailyBrief, Evidence, Sections, Source, section
from briefer.render.formats import EVIDENCE_MODES, plural

#: section name -> heading, from the section table
SECTION_TITLES = {spec.name: spec.title for spec in SECTION_TABLE}

EvidenceMode = Literal["full", "compact", "none"]
DATE_FORMAT = "%d %B %Y"
#: a daily memo a principal reads in five minutes: about 6-8 Word pages for 13 clips
DAILY_MAX_STORIES = 8
DAILY_MAX_ITEMS = 3
#: stories with a line in a daily memo's executive summary (their section does not repeat it)
SUMMARY_STORIES = 7


@dataclass(frozen=True)
class Layout:
    """How much of a brief a memo shows and how it cites.

    ``evidence``: ``full`` (each quote with its source and character offsets), ``compact``
    (each quote once, pointing at its source in Sources, where title and URL are given
    once), ``none`` (no evidence list; citations point at Sources). ``max_stories`` and
    ``max_items`` (per section) cap what a memo shows; None shows everything. The JSON
    output is never cut.
    """

    evidence: EvidenceMode = "compact"
    max_stories: int | None = None
    max_items: int | None = None
    date_format: str = DATE_FORMAT

    @classmethod
    def default(cls, doc: Brief | DailyBrief, **given: Any) -> Layout:
        """The defaults for ``doc`` (a daily memo is capped), overridden by ``given`` values
        that are not None; 0 for a cap means no cap."""
        base = (cls(max_stories=DAILY_MAX_STORIES, max_items=DAILY_MAX_ITEMS)
                if isinstance(doc, DailyBrief) else cls())
        chosen = {k: v for k, v in given.items() if v is not None}
        for key in ("max_stories", "max_items"):
            if chosen.get(key) == 0:
                chosen[key] = None
        return replace(base, **chosen)

    def day(self, value: str | date | datetime | None) -> str:
        return format_date(value, self.date_format)


def format_date(value: str | date | datetime | None, fmt: str = DATE_FORMAT) -> str:
    """A date in the memo's one format; text that is not an ISO date is kept as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            when: date = date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    else:
        when = value
    try:
        return when.strftime(fmt)
    except ValueError:  # pragma: no cover - a format the platform refuses
        return when.isoformat()


def _caption_item(item: Any) -> bool:
    return all(is_caption(ev.quote) for ev in item.evidence)


def trim(doc: Brief | DailyBrief, layout: Layout) -> tuple[Brief | DailyBrief, int]:
    """A copy of ``doc`` cut to the layout's caps, and how many stories were left out.
    Sources of a daily are those of the stories shown. Items that only quote a photo
    caption (``| The logo of NASA...``) are not memo lines."""
    holders_of: list[Sections] = list(doc.stories) if isinstance(doc, DailyBrief) else [doc]
    captions = any(_caption_item(item) for h in holders_of for _, item in h.items())
    if layout.max_stories is None and layout.max_items is None and not captions:
        return doc, 0
    out = doc.model_copy(deep=True)
    hidden = 0
    holders: list[Sections]
    if isinstance(out, DailyBrief):
        if layout.max_stories is not None and len(out.stories) > layout.max_stories:
            hidden = len(out.stories) - layout.max_stories
            out.stories = out.stories[: layout.max_stories]
            shown = {i for story in out.stories for i in story.source_ids}
            shown |= {ev.source_id for said in out.bottom_line for ev in said.evidence}
            out.sources = [s for s in out.sources if s.id in shown]
        holders = list(out.stories)
    else:
        holders = [out]
    for holder in holders:
        for spec in SECTION_TABLE:
            items = [x for x in getattr(holder, spec.name) if not _caption_item(x)]
            setattr(holder, spec.name, items[: layout.max_items] if layout.max_items
                    is not None else items)
    return out, hidden


def previous_of(doc: Brief | DailyBrief) -> dict[str, str | None]:
    """The file and date "What changed" compared against (``previous_name``,
    ``previous_date``), for the memo to name them."""
    if not isinstance(doc, DailyBrief) or doc.previous is None:
        return {"previous_name": None, "previous_date": None}
    from pathlib import PurePath

    when = doc.meta.params.get("previous_date")
    return {"previous_name": PurePath(doc.previous).name,
            "previous_date": str(when) if when else None}


# --- clean text ----------------------------------------------------------------------------

_OPEN = "\"'“‘«„"
_CLOSE = "\"'”’»"
_END = ".!?…"
_PIPES = re.compile(r"\s*(?:\|\s*)+")


def quoted(text: str) -> str:
    """``“text”``, without doubling the quote marks a quote already starts or ends with."""
    text = text.strip()
    head = "" if text[:1] in _OPEN else "“"
    tail = "" if text[-1:] in _CLOSE else "”"
    return f"{head}{text}{tail}"


def prose(text: str | None) -> str:
    """A line of the memo as prose: whitespace folded, table pipes and the caption marks
    pages leave around a photo credit gone."""
    if not text:
        return ""
    text = " ".join(text.split())
    text = _PIPES.sub(" — ", text).strip(" —")
    return text


_CAPTION = re.compile(r"^\s*(?:\||(?:photo|image|picture|file photo|illustration|credit)s?\b"
                      r"\s*[:|(]|the (?:logo|photo|image|picture) of\b)", re.IGNORECASE)


def is_caption(text: str) -> bool:
    """A photo caption or credit a page left in its text (``| The logo of NASA...``)."""
    return bool(_CAPTION.match(text))


def bottom_line(holder: Sections) -> tuple[str, list[Evidence]]:
    """The summary of a brief or story and its evidence, without the sentences that are
    photo captions (when the summary is made of its evidence quotes, as both engines'
    are); the summary as it is otherwise."""
    summary, evidence = holder.summary, list(holder.summary_evidence)
    captions = [e for e in evidence if is_caption(e.quote) and e.quote in summary]
    if not captions or len(captions) == len(evidence):
        return prose(summary), evidence
    for ev in captions:
        summary = summary.replace(ev.quote, "", 1)
    return prose(summary), [e for e in evidence if e not in captions]


def sentence_end(text: str, mark: str = ".") -> str:
    """``text`` ending in one full stop: none added after ``.!?…``, trailing ``,;:`` dropped."""
    text = text.rstrip().rstrip(",;:").rstrip()
    if not text or text[-1] in _END or (text[-1] in _CLOSE and text[-2:-1] in _END):
        return text
    return text + mark


def label(text: str | None) -> str:
    """A title used as a label inside a line ("s3, Title, chars..."): no trailing ``,;:.``
    that would double the separator after it."""
    return prose(text).rstrip(" ,;:.")


def _stem(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.rstrip("…").lower()).split())


def headline(title: str | None, summary: str | None) -> tuple[str | None, str]:
    """``(title, summary)`` for a ``Title: summary`` line, or ``(None, summary)`` when the
    summary already says the title (a title cut from the first sentence), so the line never
    reads ``Title: Title``."""
    t, s = prose(title), prose(summary)
    if not s:
        return None, t
    if not t:
        return None, s
    ts, ss = _stem(t), _stem(s)
    if not ts or ss.startswith(ts) or ts.startswith(ss):
        return None, s
    return t, s


# --- citations -----------------------------------------------------------------------------

class Raw(str):
    """Markup a template helper produced on purpose: not escaped again."""


@dataclass(frozen=True)
class Citation:
    number: int
    evidence: Evidence
    source: Source
    #: the memo's own line already reproduces the quote (an extractive item is its sentence)
    echoed: bool = False
    #: the quote as the evidence list shows it (compact: an echoed quote's first words)
    shown: str = ""


CLIP_WORDS = 10


def clip(text: str, words: int = CLIP_WORDS) -> str:
    """The first ``words`` words and "…" (never a second "…"); short text unchanged."""
    parts = text.split()
    if len(parts) <= words + 4:
        return text
    return " ".join(parts[:words]).rstrip(",;:.…") + "…"


def _echoes(line: str, quote: str) -> bool:
    """Whether a memo line reproduces (most of) a quote."""
    a, b = _stem(line), _stem(quote)
    if not a or not b:
        return False
    return b in a or (a in b and len(a) >= 0.6 * len(b))


class Citations:
    """Numbers evidence spans in reading order; the same span keeps its number."""

    def __init__(self, evidence: Iterable[Evidence], sources: Iterable[Source],
                 mode: EvidenceMode = "full", echoed: Iterable[Evidence] = ()) -> None:
        self._sources = {s.id: s for s in sources}
        self._numbers: dict[tuple[str, int, int, str], int] = {}
        self._echoed = {self._key(ev) for ev in echoed}
        self.mode = mode
        self.entries: list[Citation] = []
        for ev in evidence:
            self._number(ev)

    @staticmethod
    def _key(ev: Evidence) -> tuple[str, int, int, str]:
        # an unverified quote has no span: it is told apart by its text
        return (ev.source_id, ev.start, ev.end, "" if ev.verified else ev.quote)

    def _number(self, ev: Evidence) -> int:
        key = self._key(ev)
        if key not in self._numbers:
            self._numbers[key] = len(self.entries) + 1
            echoed = key in self._echoed and ev.verified
            shown = clip(ev.quote) if echoed and self.mode == "compact" else ev.quote
            self.entries.append(Citation(len(self.entries) + 1, ev,
                                         self._sources[ev.source_id], echoed, shown))
        return self._numbers[key]

    def numbers(self, evidence: list[Evidence]) -> list[int]:
        return [self._number(ev) for ev in evidence]

    def marks(self, evidence: list[Evidence]) -> list[tuple[str, str]]:
        """``(text, anchor)`` of each citation mark: ``[n]`` -> ``#e<n>``, or with no
        evidence list, each cited source once: ``[s3]`` -> ``#src-s3``."""
        if self.mode == "none":
            ids = list(dict.fromkeys(ev.source_id for ev in evidence))
            return [(f"[{i}]", source_anchor(i)) for i in ids]
        return [(f"[{n}]", f"e{n}") for n in self.numbers(evidence)]

    def cite(self, target: Any) -> Raw:
        """Markdown citation marks, each a link to its evidence entry (or source)."""
        evidence = target if isinstance(target, list) else getattr(target, "evidence", [])
        marks = "".join(f"[\\{text[:-1]}\\]](#{anchor})" for text, anchor in self.marks(evidence))
        unverified = any(not ev.verified for ev in evidence)
        return Raw((" " + marks if marks else "") + (" ⚠ *unverified*" if unverified else ""))


def source_anchor(source_id: str) -> str:
    """The anchor of a source's entry in Sources (source ids are ``s1``, ``s2``...)."""
    return "src-" + re.sub(r"[^A-Za-z0-9_-]", "-", source_id)


def citations_of(doc: Brief | DailyBrief, mode: EvidenceMode = "full") -> Citations:
    """Every evidence span of a brief, or of all of a daily brief's stories, numbered. In
    compact mode a quote the memo's own line already reproduces is listed by its first
    words: the memo says it once."""
    return Citations(all_evidence(doc), doc.sources, mode, echoed_evidence(doc))


def echoed_evidence(doc: Brief | DailyBrief) -> Iterator[Evidence]:
    """Evidence whose quote the line citing it reproduces."""
    holders: list[Sections] = list(doc.stories) if isinstance(doc, DailyBrief) else [doc]
    for holder in holders:
        for ev in holder.summary_evidence:
            if _echoes(holder.summary, ev.quote):
                yield ev
        for key, item in holder.items():
            v = view(key, item)
            line = " ".join(filter(None, (v.lead, v.text)))
            for ev in item.evidence:
                if _echoes(line, ev.quote):
                    yield ev


def all_evidence(doc: Brief | DailyBrief) -> Iterator[Evidence]:
    """Evidence in reading order, as the memo cites it (a caption left out of a bottom
    line is not cited; a model's bottom line, when there is one, instead of the summary;
    "where sources differ" after a story's sections)."""
    from briefer.render.written import difference_evidence, prose_evidence

    if isinstance(doc, DailyBrief):
        yield from prose_evidence(doc)
    holders: list[Sections] = list(doc.stories) if isinstance(doc, DailyBrief) else [doc]
    for holder in holders:
        if holder.bottom_line:  # a model's sentences stand in for the extractive summary
            yield from prose_evidence(holder)
        else:
            yield from bottom_line(holder)[1]
        for _, item in holder.items():
            yield from item.evidence
        yield from difference_evidence(holder)


@dataclass(frozen=True)
class Line:
    """An item as a memo line: **lead** (role): text (when: ...). For a section without a
    party (key issues) the lead is the item's text and ``text`` its detail."""

    lead: str
    text: str | None
    role: str | None = None
    when: str | None = None


def view(key: str, item: Any) -> Line:
    spec = section(key)
    if spec.party is None:
        return Line(prose(item.text), prose(getattr(item, "detail", None)) or None)
    who = prose(item.who) or spec.unattributed
    if not who:
        return Line(prose(item.text), None, None, getattr(item, "when", None))
    return Line(who, prose(item.text) or None, getattr(item, "role", None),
                getattr(item, "when", None))


def languages_line(doc: Brief | DailyBrief) -> str:
    """``"English, Spanish"``: the languages of the sources, when one is not English (an
    all-English brief says nothing, as it always did)."""
    from briefer import language

    codes = [s.language for s in doc.sources]
    if all((c or language.DEFAULT) == language.DEFAULT for c in codes):
        return ""
    return ", ".join(language.names(codes))


def language_notices(doc: Brief | DailyBrief) -> list[str]:
    """The ``language`` notices ("not briefed in depth: Spanish; ...") with their source."""
    return [f"{w.message} ({w.source_id})" if w.source_id else w.message
            for w in doc.meta.warnings if w.kind == "language"]


def sections_of(holder: Sections) -> list[tuple[str, str, list[Any]]]:
    """``(name, title, items)`` for each declared section of a brief or story."""
    return [(spec.name, spec.title, items) for spec, items in holder.sections()]


__all__ = [
    "CLIP_WORDS",
    "DAILY_MAX_ITEMS",
    "DAILY_MAX_STORIES",
    "DATE_FORMAT",
    "EVIDENCE_MODES",
    "SECTION_TITLES",
    "SUMMARY_STORIES",
    "Citation",
    "Citations",
    "EvidenceMode",
    "Layout",
    "Line",
    "Raw",
    "all_evidence",
    "bottom_line",
    "citations_of",
    "clip",
    "echoed_evidence",
    "format_date",
    "headline",
    "is_caption",
    "label",
    "language_notices",
    "languages_line",
    "plural",
    "previous_of",
    "prose",
    "quoted",
    "sections_of",
    "sentence_end",
    "source_anchor",
    "trim",
    "view",
]
