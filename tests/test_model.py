from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

import briefer
from briefer.model import Brief, Evidence, KeyIssue, NextStep


def test_public_api_is_pinned():
    assert briefer.__all__ == [
        "Article", "Brief", "BriefResult", "BrieferError", "Evidence", "InputError",
        "OutputError", "ProviderError", "UnknownProviderError", "__version__", "brief",
    ]
    for name in briefer.__all__:
        assert getattr(briefer, name) is not None
    with pytest.raises(AttributeError):
        _ = briefer.nope


def test_json_contract_keys(seed_brief):
    data = json.loads(seed_brief.model_dump_json())
    assert {"title", "summary", "key_issues", "positions", "red_lines", "next_steps",
            "sources", "meta"} <= set(data)
    assert {"issue", "detail", "evidence"} <= set(data["key_issues"][0])
    assert {"party", "stance", "evidence"} <= set(data["positions"][0])
    assert {"party", "line", "evidence"} <= set(data["red_lines"][0])
    assert {"actor", "action", "when", "evidence"} <= set(
        NextStep.model_fields) | {"evidence"}  # (the seed's brief may have no next step)
    assert {"id", "title", "path_or_url", "sha256", "chars"} <= set(data["sources"][0])
    assert {"engine_or_provider", "model", "prompt", "created_at", "briefer_version",
            "timings"} <= set(data["meta"])
    assert {"source_id", "quote", "start", "end"} <= set(data["positions"][0]["evidence"][0])
    assert data["meta"]["engine_or_provider"] == "extractive"
    assert data["meta"]["briefer_version"] == briefer.__version__


def test_json_round_trips(seed_brief):
    again = Brief.model_validate_json(seed_brief.model_dump_json())
    assert again == seed_brief


def test_evidence_span_must_match_quote_length():
    with pytest.raises(ValidationError, match="has length"):
        Evidence(source_id="s1", quote="abc", start=0, end=5)


def test_items_need_evidence():
    with pytest.raises(ValidationError):
        KeyIssue(issue="x", evidence=[])


def test_evidence_must_cite_a_listed_source(seed_brief):
    data = json.loads(seed_brief.model_dump_json())
    data["positions"][0]["evidence"][0]["source_id"] = "s9"
    with pytest.raises(ValidationError, match="unknown source id 's9'"):
        Brief.model_validate(data)


def test_unknown_keys_are_tolerated_for_forward_compatibility(seed_brief):
    data = json.loads(seed_brief.model_dump_json())
    data["future_field"] = 1
    assert Brief.model_validate(data).title == seed_brief.title
