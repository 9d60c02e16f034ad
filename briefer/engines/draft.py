"""What a model is asked to return: the brief sections with one verbatim quote per item.

Built from :data:`briefer.model.SECTION_TABLE`: one list field per declared section, of that
section's draft item model. Smaller than the public Brief on purpose (no offsets, sources or
meta: those are computed, never trusted from a model).
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


def answer_model(translated: bool = False) -> type[DraftBase]:
    return TranslatedDraft if translated else Draft


def schema(translated: bool = False) -> dict[str, object]:
    if not translated:
        return Draft.model_json_schema()
    # Without pydantic's "title" annotations ("DraftKeyIssueTranslated"...), which small
    # models copy into the answer as if they were content; every section is asked for
    # (an empty list is an answer), so a grammar-bound model cannot stop after the summary.
    answer = _untitled(TranslatedDraft.model_json_schema())
    answer["required"] = [*answer.get("required", []),
                          *(spec.name for spec in model.SECTION_TABLE)]
    return answer


def _untitled(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _untitled(v) for k, v in node.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_untitled(v) for v in node]
    return node


@functools.lru_cache(maxsize=2)
def schema_text(translated: bool = False) -> str:
    """The schema as sent in every prompt: computed once (it was 8 ms an article)."""
    return json.dumps(schema(translated), separators=(",", ":"))
