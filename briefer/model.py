"""The data contract every stage speaks: Article in, Brief out. No I/O here.

The JSON form of :class:`Brief` is public (README, "The JSON brief"). Keys may be added;
existing keys keep their meaning. Offsets (``start``/``end``) index the *normalised* article
text, the same text whose SHA-256 is ``sources[].sha256``, so ``text[start:end] == quote``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

SCHEMA_VERSION = "1.0"

SectionName = Literal["key_issues", "positions", "red_lines", "next_steps"]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=False, str_strip_whitespace=False)


class Evidence(_Model):
    """A verbatim span of one source: ``source.text[start:end] == quote``.

    A quote a model returned that could not be found in the source is kept with
    ``verified: false`` and ``start == end == 0``. When the quote was found only after
    normalising quotes/whitespace or by fuzzy matching, ``quote`` is the source's own text
    and ``model_quote`` what the model wrote.
    """

    source_id: str
    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    verified: bool = True
    model_quote: str | None = None
    #: the quote in the brief's language, when the source is in another (model engines only;
    #: the quote itself stays verbatim in the source's language: that is what is verified)
    translation: str | None = None

    @model_serializer(mode="wrap")
    def _without_empty_translation(self, handler: SerializerFunctionWrapHandler
                                   ) -> dict[str, Any]:
        """``translation`` appears in the JSON only when there is one."""
        data: dict[str, Any] = handler(self)
        if data.get("translation") is None:
            data.pop("translation", None)
        return data

    @model_validator(mode="after")
    def _span_matches_quote(self) -> Evidence:
        if not self.verified and self.start == self.end == 0:
            return self
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"evidence span {self.start}:{self.end} has length {self.end - self.start}, "
                f"quote has length {len(self.quote)}"
            )
        return self


class _Item(_Model):
    """An item of a section. Each kind names its text field and its party field (who holds
    the position, draws the line or acts); renderers use :attr:`text` and :attr:`who`."""

    evidence: list[Evidence] = Field(min_length=1)
    _text_field: ClassVar[str]
    _who_field: ClassVar[str | None] = None

    @property
    def verified(self) -> bool:
        return all(e.verified for e in self.evidence)

    @property
    def text(self) -> str:
        return str(getattr(self, self._text_field))

    @property
    def who(self) -> str | None:
        return getattr(self, self._who_field) if self._who_field else None


class KeyIssue(_Item):
    issue: str = Field(min_length=1)
    detail: str | None = None
    _text_field = "issue"


class Position(_Item):
    party: str = Field(min_length=1)
    stance: str = Field(min_length=1)
    role: str | None = None
    _text_field, _who_field = "stance", "party"


class RedLine(_Item):
    party: str | None = None
    line: str = Field(min_length=1)
    _text_field, _who_field = "line", "party"


class NextStep(_Item):
    actor: str | None = None
    action: str = Field(min_length=1)
    when: str | None = None
    _text_field, _who_field = "action", "actor"


Item = KeyIssue | Position | RedLine | NextStep


# --- what a model is asked to return per item -----------------------------------------------
# Smaller than the items above on purpose (no offsets: those are computed, never trusted from
# a model). Bounds on strings keep grammar-constrained local models from generating forever.

_QUOTE = Field(min_length=1, max_length=600,
               description="text copied character for character from the article")
_TEXT = Field(min_length=1, max_length=400)
_OPTIONAL = Field(default=None, max_length=120)


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftKeyIssue(_Draft):
    issue: str = _TEXT
    detail: str | None = Field(default=None, max_length=400)
    quote: str = _QUOTE


class DraftPosition(_Draft):
    party: str = Field(min_length=1, max_length=120)
    stance: str = _TEXT
    quote: str = _QUOTE


class DraftRedLine(_Draft):
    party: str | None = _OPTIONAL
    line: str = _TEXT
    quote: str = _QUOTE


class DraftNextStep(_Draft):
    actor: str | None = _OPTIONAL
    action: str = _TEXT
    when: str | None = _OPTIONAL
    quote: str = _QUOTE


@dataclass(frozen=True)
class Section:
    """One section of a brief, declared once. Engines, the model's answer schema, merging,
    daily stories, renderers and templates all iterate :data:`SECTION_TABLE`."""

    name: str
    title: str
    item: type[_Item]
    draft: type[BaseModel]
    #: items per article (extractive engine), in a model's answer, and per daily story
    limit: int
    draft_limit: int
    story_limit: int
    #: the item field naming who (None: the section has no party, e.g. key issues)
    party: str | None
    #: what a memo shows when an item's party is unknown ("": the item's text leads, as for
    #: a next step nobody is named for: a label such as "Pending" read as a party)
    unattributed: str = ""
    #: Word memos lay the section out as a table by party
    table: bool = False


SECTION_TABLE: tuple[Section, ...] = (
    Section("key_issues", "Key issues", KeyIssue, DraftKeyIssue, 5, 6, 6, None),
    Section("positions", "Positions", Position, DraftPosition, 10, 10, 12, "party",
            table=True),
    Section("red_lines", "Red lines", RedLine, DraftRedLine, 6, 6, 8, "party",
            "Unattributed"),
    Section("next_steps", "Next steps", NextStep, DraftNextStep, 6, 6, 8, "actor"),
)
SECTIONS: tuple[SectionName, ...] = tuple(s.name for s in SECTION_TABLE)  # type: ignore[misc]


def section(name: str) -> Section:
    """The declaration of section ``name``; KeyError for an unknown one."""
    for spec in SECTION_TABLE:
        if spec.name == name:
            return spec
    raise KeyError(name)


class Source(_Model):
    id: str
    title: str | None = None
    path_or_url: str
    sha256: str
    chars: int
    url: str | None = None
    date: str | None = None
    format: str | None = None
    #: other paths/URLs that carried the same text (near-duplicates collapsed into this one)
    duplicates: list[str] = Field(default_factory=list)
    #: the language the source is written in, ISO 639-1 ("en", "es"...; briefer.language)
    language: str | None = None


class Notice(_Model):
    """Something a reader of the brief should know (dropped text, suspicious input...)."""

    kind: str
    message: str
    source_id: str | None = None
    start: int | None = None
    end: int | None = None


class Grounding(_Model):
    items: int
    verified: int
    rate: float
    #: sentences a model wrote (bottom lines, story and executive summaries): how many,
    #: how many had citations that verify, how many were dropped for citing nothing
    #: (or nothing that verifies). Zero on the extractive engine: it writes no prose.
    sentences: int = 0
    sentences_verified: int = 0
    sentences_dropped: int = 0


class Meta(_Model):
    engine_or_provider: str
    model: str | None = None
    prompt: dict[str, str] | None = None
    created_at: datetime
    briefer_version: str
    schema_version: str = SCHEMA_VERSION
    params: dict[str, Any] = Field(default_factory=dict)
    usage: dict[str, int] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    grounding: Grounding | None = None
    warnings: list[Notice] = Field(default_factory=list)


class Prose(_Model):
    """A sentence a model wrote, with what it rests on.

    ``evidence``: verbatim quotes of the sources (checked like any evidence); ``cites``: ids
    of what the sentence rests on that the answer named (an item of the briefs given to the
    model, or a story id for the daily's bottom line). ``verified`` is set by grounding:
    the citations resolve, their quotes are in the sources, and the sentence shares its
    content with what it cites. Renderers show an unverified sentence marked as such.
    """

    text: str = Field(min_length=1)
    evidence: list[Evidence] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list)
    verified: bool = False


class Claim(_Model):
    """One side of a disagreement between sources, with the evidence that says it."""

    text: str = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)


class Difference(_Model):
    """Where sources differ: what about (a figure, a date, a denial...) and each side."""

    about: str = Field(min_length=1)
    claims: list[Claim] = Field(min_length=2)


class Sections(_Model):
    """What a brief and a story share: the bottom line and the four sections."""

    title: str
    summary: str
    summary_evidence: list[Evidence] = Field(default_factory=list)
    #: the bottom line as a model wrote it, sentence by sentence with citations (empty on
    #: the extractive engine, whose ``summary`` is quoted sentences in ``summary_evidence``)
    bottom_line: list[Prose] = Field(default_factory=list)
    key_issues: list[KeyIssue] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    red_lines: list[RedLine] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)

    def items(self) -> Iterator[tuple[SectionName, Item]]:
        for spec in SECTION_TABLE:
            for item in getattr(self, spec.name):
                yield spec.name, item  # type: ignore[misc]

    def sections(self) -> list[tuple[Section, list[Item]]]:
        """Each declared section with this brief's (or story's) items, in table order."""
        return [(spec, getattr(self, spec.name)) for spec in SECTION_TABLE]

    def all_evidence(self) -> Iterator[Evidence]:
        yield from self.summary_evidence
        for sentence in self.bottom_line:
            yield from sentence.evidence
        for _, item in self.items():
            yield from item.evidence


# Every declared section is a field of Sections (one line each above, beside the table).
_missing = [s.name for s in SECTION_TABLE if s.name not in Sections.model_fields]
if _missing:  # pragma: no cover - a section declared without its field
    raise TypeError(f"Sections lacks a field for the declared sections {_missing}")


class Brief(Sections):
    """A structured brief of one or more sources."""

    sources: list[Source] = Field(default_factory=list)
    meta: Meta

    @model_validator(mode="after")
    def _evidence_names_a_source(self) -> Brief:
        known = {s.id for s in self.sources}
        for ev in self.all_evidence():
            if ev.source_id not in known:
                raise ValueError(f"evidence cites unknown source id {ev.source_id!r}")
        return self


class NotIncluded(_Model):
    """An input that is not in the brief, and why."""

    input: str
    reason: str


class Story(Sections):
    """One event, briefed from the articles that report it; items cite their article."""

    id: str
    source_ids: list[str]
    salience: float = 0.0
    #: claims that conflict between the story's sources, each side cited
    differences: list[Difference] = Field(default_factory=list)

    def all_evidence(self) -> Iterator[Evidence]:
        yield from super().all_evidence()
        for difference in self.differences:
            for claim in difference.claims:
                yield from claim.evidence


class Change(_Model):
    """Something new or gone in a story since the previous daily brief."""

    story_id: str
    story: str
    kind: Literal["new", "removed"]
    section: SectionName
    text: str
    party: str | None = None


class DailyBrief(_Model):
    """Many sources -> stories -> one memo. Stories are ordered by salience."""

    title: str
    date: str
    summary: list[str] = Field(default_factory=list)
    #: the daily's bottom line as a model wrote it: 3-7 bullets by importance, each citing
    #: its story ids in ``cites`` (empty without a model: ``summary`` is then the lines)
    bottom_line: list[Prose] = Field(default_factory=list)
    stories: list[Story] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    previous: str | None = None
    not_included: list[NotIncluded] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    meta: Meta

    @model_validator(mode="after")
    def _stories_cite_known_sources(self) -> DailyBrief:
        known = {s.id for s in self.sources}
        for story in self.stories:
            for ev in story.all_evidence():
                if ev.source_id not in known:
                    raise ValueError(f"story {story.id} cites unknown source {ev.source_id!r}")
        return self


class Article(_Model):
    """One normalised input text, ready to be condensed. ``text`` is what offsets index."""

    id: str
    text: str
    path_or_url: str
    title: str | None = None
    #: True when ingest made ``title`` up (the first line or the lead), False when the
    #: source gave it (front matter, HTML, a Markdown heading, a feed entry) or a caller
    #: did; a model engine may replace a derived title with its own
    title_derived: bool = False
    url: str | None = None
    date: str | None = None
    format: str = "text"
    encoding: str | None = None
    dropped_lines: int = 0
    #: ISO 639-1 code of the text's language, detected when the input is read
    language: str | None = None

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)

    def to_source(self) -> Source:
        return Source(
            id=self.id,
            title=self.title,
            path_or_url=self.path_or_url,
            sha256=self.sha256,
            chars=len(self.text),
            url=self.url,
            date=self.date,
            format=self.format,
            language=self.language,
        )


__all__ = [
    "SCHEMA_VERSION",
    "SECTIONS",
    "SECTION_TABLE",
    "Article",
    "Brief",
    "Change",
    "Claim",
    "DailyBrief",
    "Difference",
    "Evidence",
    "Grounding",
    "Item",
    "KeyIssue",
    "Meta",
    "NextStep",
    "NotIncluded",
    "Notice",
    "Position",
    "Prose",
    "RedLine",
    "Section",
    "SectionName",
    "Sections",
    "Source",
    "Story",
    "section",
    "sha256_text",
]
