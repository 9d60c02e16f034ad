"""What a model is asked to return: the brief sections with one verbatim quote per item.

Smaller than the public Brief on purpose (no offsets, sources or meta: those are computed,
never trusted from a model). Bounds on lists and strings keep grammar-constrained local
models from generating forever.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field

QUOTE = Field(min_length=1, max_length=600,
              description="text copied character for character from the article")
TEXT = Field(min_length=1, max_length=400)
OPTIONAL = Field(default=None, max_length=120)


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftKeyIssue(_Draft):
    issue: str = TEXT
    detail: str | None = Field(default=None, max_length=400)
    quote: str = QUOTE


class DraftPosition(_Draft):
    party: str = Field(min_length=1, max_length=120)
    stance: str = TEXT
    quote: str = QUOTE


class DraftRedLine(_Draft):
    party: str | None = OPTIONAL
    line: str = TEXT
    quote: str = QUOTE


class DraftNextStep(_Draft):
    actor: str | None = OPTIONAL
    action: str = TEXT
    when: str | None = OPTIONAL
    quote: str = QUOTE


class Draft(_Draft):
    """The model's answer for one article (or one chunk of it)."""

    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=800)
    key_issues: list[DraftKeyIssue] = Field(default_factory=list, max_length=6)
    positions: list[DraftPosition] = Field(default_factory=list, max_length=10)
    red_lines: list[DraftRedLine] = Field(default_factory=list, max_length=6)
    next_steps: list[DraftNextStep] = Field(default_factory=list, max_length=6)


def schema() -> dict[str, object]:
    return Draft.model_json_schema()


def schema_text() -> str:
    return json.dumps(schema(), separators=(",", ":"))
