"""What a model is asked to return: the brief sections with one verbatim quote per item.

Built from :data:`briefer.model.SECTION_TABLE`: one list field per declared section, of that
section's draft item model. Smaller than the public Brief on purpose (no offsets, sources or
meta: those are computed, never trusted from a model).

Answers by kind (:data:`ANSWERS`): ``plain`` (brief@1/@2), ``translated`` (brief@3: each item
adds ``translation``), ``grounded`` (brief@4: the sections first, then the bottom line as
sentences citing the answer's own items by position, ``k1`` the first key issue, ``p2`` the
second position...), ``grounded_translated`` (brief@5: the same for an article in another
language, each item with ``translation``), ``story`` (story@1: one story over several
briefs, citing their items by the ids the prompt gives them) and ``daily`` (daily@1:
bullets citing story ids).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

import briefer.model as model


class DraftBase(BaseModel):
    """What every answer has; :data:`Draft` adds one list per declared section."""

    model_config = ConfigDict(extra="ignore")

    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=800)


def _fields() -> dict[str, Any]:
    return {spec.name: (list[spec.draft],  # type: ignore[name-defined]
                        Field(default_factory=list, max_length=spec.draft_limit))
            for spec in model.SECTION_TABLE}


#: The model's answer for one article (or one chunk of it).
Draft: type[DraftBase] = create_model(
    "Draft", __base__=DraftBase, __doc__="The model's answer for one article (or one chunk "
    "of it).", **_fields())


def _translated(item: type[BaseModel]) -> Any:
    """A draft item that also carries the quote translated into the brief's language. Kept
    apart from the plain items so brief@1/@2 send the very schema they always sent."""
    return create_model(f"{item.__name__}Translated", __base__=item, translation=(
        str | None, Field(default=None, max_length=800,
                          description="the quote translated into the brief's language")))


def _translated_fields() -> dict[str, Any]:
    return {spec.name: (list[_translated(spec.draft)],  # type: ignore[misc]
                        Field(default_factory=list, max_length=spec.draft_limit))
            for spec in model.SECTION_TABLE}


#: The answer a translating prompt (brief@3) asks for: each item gains ``translation``.
TranslatedDraft: type[DraftBase] = create_model(
    "TranslatedDraft", __base__=DraftBase, __doc__="The model's answer, in the reader's "
    "language, for an article in another language.", **_translated_fields())


#: how an answer's sentence names the items of the same answer: ``k1`` = first key issue
ID_PREFIX: dict[str, str] = {spec.name: spec.name[0] for spec in model.SECTION_TABLE}
if len(set(ID_PREFIX.values())) != len(ID_PREFIX):  # pragma: no cover - a new section
    raise TypeError("two sections share the first letter their item ids are made of")


class DraftSentence(BaseModel):
    """A sentence a model wrote and the ids of what it rests on."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1, max_length=400)
    cites: list[str] = Field(default_factory=list, max_length=8,
                             description="ids of the items this sentence rests on")


def _grounded(name: str, doc: str, fields: dict[str, Any]) -> type[BaseModel]:
    """A brief answer whose sections (``fields``) are followed by a cited bottom line."""
    return create_model(
        name, __config__=ConfigDict(extra="ignore"), __doc__=doc,
        title=(str, Field(min_length=1, max_length=200)),
        **fields,
        bottom_line=(list[DraftSentence], Field(default_factory=list, max_length=6,
                                                description=(
            "1 to 3 sentences, each citing the ids of the items above it rests on"))),
    )


#: brief@4: the sections first (a model writes them before the sentences that cite them),
#: then the bottom line sentence by sentence. ``summary`` is computed, see :func:`summary`.
GroundedDraft: type[BaseModel] = _grounded(
    "GroundedDraft", "The model's answer with a cited bottom line (brief@4).", _fields())

class DraftStoryItem(BaseModel):
    """A story item: what it says, who holds it, and the briefs' items it rests on (or a new
    quote of one article, named by its source id)."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1, max_length=400)
    party: str | None = Field(default=None, max_length=120)
    when: str | None = Field(default=None, max_length=120)
    cites: list[str] = Field(default_factory=list, max_length=8,
                             description="ids of the briefs' items this rests on")
    quote: str | None = Field(default=None, max_length=600, description=(
        "optional: a new quote copied word for word from one article"))
    source: str | None = Field(default=None, max_length=20,
                               description="the source id of the article quoted")


class DraftClaim(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1, max_length=400)
    cites: list[str] = Field(default_factory=list, max_length=8)


class DraftDifference(BaseModel):
    model_config = ConfigDict(extra="ignore")

    about: str = Field(min_length=1, max_length=200)
    claims: list[DraftClaim] = Field(default_factory=list, max_length=4)


class StoryDraft(BaseModel):
    """story@1: one story written over several articles' briefs."""

    model_config = ConfigDict(extra="ignore")

    title: str = Field(min_length=1, max_length=200)
    summary: list[DraftSentence] = Field(default_factory=list, max_length=5)
    positions: list[DraftStoryItem] = Field(default_factory=list, max_length=12)
    red_lines: list[DraftStoryItem] = Field(default_factory=list, max_length=8)
    next_steps: list[DraftStoryItem] = Field(default_factory=list, max_length=8)
    differences: list[DraftDifference] = Field(default_factory=list, max_length=5)


class DailyDraft(BaseModel):
    """daily@1: the day's bottom line, bullets by importance citing story ids."""

    model_config = ConfigDict(extra="ignore")

    bullets: list[DraftSentence] = Field(default_factory=list, max_length=7)


_CITING = {"DraftSentence", "DraftClaim"}

#: brief@5: brief@4's answer for an article in another language (items add
#: ``translation``), in the reader's language
GroundedTranslatedDraft: type[BaseModel] = _grounded(
    "GroundedTranslatedDraft",
    "The model's answer with a cited bottom line, in the reader's language (brief@5).",
    _translated_fields())

#: answer kinds -> the model a valid answer parses into
ANSWERS: dict[str, type[BaseModel]] = {
    "plain": Draft, "translated": TranslatedDraft, "grounded": GroundedDraft,
    "grounded_translated": GroundedTranslatedDraft,
    "story": StoryDraft, "daily": DailyDraft}


def kind_of(translates: bool) -> str:
    return "translated" if translates else "plain"


def answer_model(kind: str | bool = False) -> type[BaseModel]:
    if isinstance(kind, bool):
        kind = kind_of(kind)
    return ANSWERS[kind]


def schema(kind: str | bool = False) -> dict[str, object]:
    if isinstance(kind, bool):
        kind = kind_of(kind)
    if kind == "plain":
        return Draft.model_json_schema()
    # Without pydantic's "title" annotations ("DraftKeyIssueTranslated"...), which small
    # models copy into the answer as if they were content; every field is asked for
    # (an empty list is an answer), so a grammar-bound model cannot stop after the summary.
    answer = _untitled(ANSWERS[kind].model_json_schema())
    answer["required"] = list(dict.fromkeys([*answer.get("required", []),
                                             *answer.get("properties", {})]))
    for name, node in answer.get("$defs", {}).items():
        if name in _CITING:  # a sentence without its citations is no answer
            node["required"] = list(node.get("properties", {}))
    if kind != "translated":  # (brief@3's schema stays as recorded)
        # json_schema's name, the tool's name (LangChain requires one): "Draft" as brief@2's
        answer["title"] = "Draft" if kind.startswith("grounded") else ANSWERS[kind].__name__
    return answer


def summary(draft: BaseModel) -> str:
    """The draft's bottom line as one string (brief@4 writes it as cited sentences)."""
    sentences = getattr(draft, "bottom_line", None)
    if sentences is None:
        return str(getattr(draft, "summary", ""))
    return " ".join(s.text.strip() for s in sentences if s.text.strip())


def _untitled(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _untitled(v) for k, v in node.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_untitled(v) for v in node]
    return node


@functools.lru_cache(maxsize=8)
def schema_text(kind: str | bool = False) -> str:
    """The schema as sent in every prompt: computed once (it was 8 ms an article)."""
    return json.dumps(schema(kind), separators=(",", ":"))
