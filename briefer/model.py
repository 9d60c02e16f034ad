"""The data contract every stage speaks: Article in, Brief out. No I/O here.

The JSON form of :class:`Brief` is public (README, "The JSON brief"). Keys may be added;
existing keys keep their meaning. Offsets (``start``/``end``) index the *normalised* article
text, the same text whose SHA-256 is ``sources[].sha256``, so ``text[start:end] == quote``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

SectionName = Literal["key_issues", "positions", "red_lines", "next_steps"]
SECTIONS: tuple[SectionName, ...] = ("key_issues", "positions", "red_lines", "next_steps")


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
    evidence: list[Evidence] = Field(min_length=1)

    @property
    def verified(self) -> bool:
        return all(e.verified for e in self.evidence)


class KeyIssue(_Item):
    issue: str = Field(min_length=1)
    detail: str | None = None

    @property
    def text(self) -> str:
        return self.issue

    @property
    def who(self) -> str | None:
        return None


class Position(_Item):
    party: str = Field(min_length=1)
    stance: str = Field(min_length=1)
    role: str | None = None

    @property
    def text(self) -> str:
        return self.stance

    @property
    def who(self) -> str | None:
        return self.party


class RedLine(_Item):
    party: str | None = None
    line: str = Field(min_length=1)

    @property
    def text(self) -> str:
        return self.line

    @property
    def who(self) -> str | None:
        return self.party


class NextStep(_Item):
    actor: str | None = None
    action: str = Field(min_length=1)
    when: str | None = None

    @property
    def text(self) -> str:
        return self.action

    @property
    def who(self) -> str | None:
        return self.actor


Item = KeyIssue | Position | RedLine | NextStep


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


class Sections(_Model):
    """What a brief and a story share: the bottom line and the four sections."""

    title: str
    summary: str
    summary_evidence: list[Evidence] = Field(default_factory=list)
    key_issues: list[KeyIssue] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    red_lines: list[RedLine] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)

    def items(self) -> Iterator[tuple[SectionName, Item]]:
        for name in SECTIONS:
            for item in getattr(self, name):
                yield name, item

    def all_evidence(self) -> Iterator[Evidence]:
        yield from self.summary_evidence
        for _, item in self.items():
            yield from item.evidence


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
    url: str | None = None
    date: str | None = None
    format: str = "text"
    encoding: str | None = None
    dropped_lines: int = 0

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
        )


__all__ = [
    "SCHEMA_VERSION",
    "SECTIONS",
    "Article",
    "Brief",
    "Change",
    "DailyBrief",
    "Evidence",
    "Grounding",
    "Item",
    "KeyIssue",
    "Meta",
    "NextStep",
    "NotIncluded",
    "Notice",
    "Position",
    "RedLine",
    "SectionName",
    "Sections",
    "Source",
    "Story",
    "sha256_text",
]
