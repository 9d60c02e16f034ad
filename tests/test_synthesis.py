"""Story synthesis (story@1) and the daily's bottom line (daily@1) against a scripted local
server (tests/fakeserver.py: SYNTHETIC answers written to the prompts' schemas): what the
model writes is kept only where it cites grounded items and says what they say; the
calls are bounded and cached; failures keep the offline story with a notice."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefer.cache import Cache
from briefer.config import Settings
from briefer.daily import daily
from tests.conftest import FIXTURES, write
from tests.fakeserver import Reply, Request, completion

DAILY = FIXTURES / "daily"
PRICES = {"m": {"input": 1.0, "output": 2.0}}
_ARTICLE = re.compile(r"<<<ARTICLE (\w+)>>>\n(.*?)\n<<<END ARTICLE", re.S)
_ITEM = re.compile(r"^\[(s\d+\.[kprn]\d+)\] (?:([^:\n]+): )?(.*?) \(quote: ", re.M)
_STORY = re.compile(r"^\[(story-\d+)\] ([^\n]*)$", re.M)


def settings(url: str, **overrides: Any) -> Settings:
    values = {"provider": "openai", "model": "m", "base_url": f"{url}/v1",
              "structured_output": "json_mode", "max_retries": 0, "timeout": 10,
              "concurrency": 1, "prices": PRICES}
    return Settings(**{**values, **overrides})


def _user(request: Request) -> str:
    return request.json()["messages"][-1]["content"]


def kind(request: Request) -> str:
    user = _user(request)
    return ("brief" if "<<<ARTICLE" in user else "story" if "<<<BRIEFS" in user
            else "daily" if "<<<STORIES" in user else "other")


def brief_answer(user: str) -> dict[str, Any]:
    """A faithful brief@4 answer: the article's second line as a key issue, a bottom-line
    sentence saying it (citing k1), and one sentence citing nothing."""
    text = _ARTICLE.search(user).group(2)
    lines = [line for line in text.splitlines() if line.strip()]
    first = lines[1]
    return {"title": "Model headline", "key_issues": [{"issue": first, "quote": first}],
            "positions": [], "red_lines": [], "next_steps": [],
            "bottom_line": [{"text": first, "cites": ["k1"]},
                            {"text": "Markets rallied on the news.", "cites": []}]}


def story_answer(user: str) -> dict[str, Any]:
    """A story@1 answer built from the listed items: the summary repeats the first item
    (citing it), one position per listed item with a party, and a difference whose two
    claims cite items of two sources."""
    items = _ITEM.findall(user)
    first_id, _, first_text = items[0]
    by_source: dict[str, tuple[str, str]] = {}
    for cite, _, text in items:
        by_source.setdefault(cite.split(".")[0], (cite, text))
    claims = [{"text": text, "cites": [cite]} for cite, text in by_source.values()]
    return {"title": "Norland and Sudmark cod quota talks",
            "summary": [{"text": first_text, "cites": [first_id]},
                        {"text": "Whales were sighted off the coast.", "cites": [first_id]}],
            "positions": [{"text": text, "party": "Kelby harbour", "cites": [cite]}
                          for cite, _, text in items[:2]],
            "red_lines": [], "next_steps": [],
            "differences": [{"about": "the talks", "claims": claims}]}


def daily_answer(user: str) -> dict[str, Any]:
    stories = _STORY.findall(user)
    return {"bullets": [{"text": line.split(":")[0], "cites": [sid]} for sid, line in stories]
            + [{"text": "A bullet about nothing of the day.", "cites": ["story-99"]}]}


def faithful(request: Request) -> Reply:
    user = _user(request)
    answer = {"brief": brief_answer, "story": story_answer, "daily": daily_answer}[
        kind(request)](user)
    return completion({"content": json.dumps(answer)})


def test_story_and_daily_are_written_cited_and_checked(server, tmp_path):
    server.respond = faithful
    result = daily([DAILY], settings(server.url))
    kinds = [kind(r) for r in server.requests]
    # calls = articles (3: the syndicated copy is a duplicate) + stories of 2+ (1) + 1
    assert sorted(kinds) == ["brief"] * 3 + ["daily", "story"]
    memo = result.daily
    assert memo.meta.usage["calls"] == 5 and memo.meta.usage["synthesis_calls"] == 2
    tokens_in, tokens_out = memo.meta.usage["input_tokens"], memo.meta.usage["output_tokens"]
    assert (tokens_in, tokens_out) == (5 * 1200, 5 * 300)
    assert memo.meta.usage["cost_microusd"] == tokens_in * 1 + tokens_out * 2
    (story,) = [s for s in memo.stories if len(s.source_ids) == 2]
    assert story.title == "Norland and Sudmark cod quota talks"
    # the sentence saying its item is kept with the item's evidence; the whale is dropped
    assert [s.text for s in story.bottom_line] == [story.summary]
    assert story.bottom_line[0].verified and story.bottom_line[0].evidence
    assert "Whales" not in memo.model_dump_json()
    assert {p.party for p in story.positions} == {"Kelby harbour"}
    assert all(ev.verified for p in story.positions for ev in p.evidence)
    (difference,) = story.differences
    assert len({ev.source_id for c in difference.claims for ev in c.evidence}) == 2
    # the day's bullets: one per story, each citing it; the one citing story-99 dropped
    assert [b.cites for b in memo.bottom_line] == [[s.id] for s in memo.stories]
    assert all(b.verified for b in memo.bottom_line)
    grounding = memo.meta.grounding
    # 3 brief sentences verified, 3 uncited dropped; story 1 of 2; daily 2 of 3
    assert (grounding.sentences, grounding.sentences_verified,
            grounding.sentences_dropped) == (3 * 2 + 2 + 3, 3 + 1 + 2, 3 + 1 + 1)
    assert memo.meta.params["prompts"] == {"story": "story@1", "daily": "daily@1"}


def test_a_story_keeps_one_partys_positions_together():
    from briefer.engines.draft import StoryDraft
    from briefer.model import Evidence, Story
    from briefer.prose import Cited
    from briefer.synthesis import Written, apply_story

    def cited(text: str) -> Cited:
        return Cited([text], [Evidence(source_id="s1", quote=text, start=0, end=len(text))])

    ids = {"s1.p1": cited("Norland rejects any quota cut"),
           "s1.p2": cited("Sudmark wants lower quotas"),
           "s2.p1": cited("Norland wants talks in Geneva")}
    answer = StoryDraft.model_validate({"title": "x", "positions": [
        {"party": "Norland", "text": "Norland rejects any quota cut", "cites": ["s1.p1"]},
        {"party": "Sudmark", "text": "Sudmark wants lower quotas", "cites": ["s1.p2"]},
        {"party": "norland", "text": "Norland wants talks in Geneva", "cites": ["s2.p1"]}]})
    story = Story(id="story-1", title="t", summary="s", source_ids=["s1", "s2"])
    apply_story(story, answer, ids, {}, Written())
    assert [p.party for p in story.positions] == ["Norland", "norland", "Sudmark"]


def test_a_rerun_with_everything_cached_makes_no_call(server, tmp_path):
    server.respond = faithful
    cache = Cache(tmp_path / "cache.sqlite3")
    first = daily([DAILY], settings(server.url), cache=cache).daily
    calls = len(server.requests)
    assert calls == 5
    second = daily([DAILY], settings(server.url), cache=cache).daily
    assert len(server.requests) == calls  # no call at all
    assert second.meta.usage["calls"] == 0 and second.meta.usage["cache_hits"] == 3 + 2
    assert second.bottom_line == first.bottom_line
    assert [s.model_dump() for s in second.stories] == [s.model_dump() for s in first.stories]


UNRELATED_QUOTE = ("Macmillan agreed to let retailers set e-book prices for two years under "
                   "the settlement.")
UNRELATED = {
    "title": "Macmillan settles e-book pricing case",
    "key_issues": [{"issue": "E-book price fixing settlement", "quote": UNRELATED_QUOTE}],
    "positions": [{"party": "Macmillan", "stance": "Settles the e-book case",
                   "quote": UNRELATED_QUOTE, "text": "Macmillan settles the e-book case",
                   "cites": ["s1.k1", "k1"]}],
    "red_lines": [], "next_steps": [],
    "bottom_line": [{"text": "Macmillan settled the e-book pricing case with regulators.",
                     "cites": ["k1"]}],
    "summary": [{"text": "Macmillan will let retailers set e-book prices.",
                 "cites": ["s1.k1", "s2.k1", "s4.k1"]}],
    "differences": [{"about": "e-book prices", "claims": [
        {"text": "Retailers set e-book prices.", "cites": ["s1.k1"]},
        {"text": "Publishers set e-book prices.", "cites": ["s2.k1"]}]}],
    "bullets": [{"text": "Macmillan settled the e-book pricing case.", "cites": ["story-1"]},
                {"text": "E-book prices will be set by retailers.", "cites": ["story-2"]}],
}


def test_the_same_unrelated_answer_to_every_request_never_reaches_the_memo(server):
    """Issue 12's bar: a server answering every request with the same unrelated brief (of
    every schema at once): no sentence of it reaches the daily unflagged."""
    from briefer.render import render

    server.respond = lambda request: completion({"content": json.dumps(UNRELATED)})
    result = daily([DAILY], settings(server.url)).daily
    assert sorted(kind(r) for r in server.requests) == ["brief"] * 3 + ["daily", "story"]
    phrases = ("Macmillan", "e-book", "E-book", "retailers")
    assert not result.bottom_line
    for story in result.stories:
        assert not any(p in story.title + story.summary for p in phrases)
        assert not story.bottom_line and not story.differences
        for _, item in story.items():  # its items are there, flagged: no quote verifies
            said = item.model_dump_json()
            assert not item.verified or not any(p in said for p in phrases)
    memo = str(render(result, "md"))
    flagged = [line for line in memo.splitlines() if any(p in line for p in phrases)]
    assert flagged and all("unverified" in line or "not found in the source" in line
                           for line in flagged)
    grounding = result.meta.grounding
    assert grounding.sentences == 3 + 1 + 2 and grounding.sentences_verified == 0
    assert grounding.sentences_dropped == grounding.sentences
    assert any(w.kind == "unverified_prose" for w in result.meta.warnings)


def _story_request_gets(server, *first: Reply) -> None:
    """Faithful answers, except the first story request gets ``first`` (in order)."""
    pending = list(first)
    asked: list[str] = []

    def respond(request: Request) -> Reply:
        if kind(request) == "story":
            asked.append(_user(request))
            if pending:
                return pending.pop(0)
        if kind(request) == "other":  # the repair call: the story asked for last
            return completion({"content": json.dumps(story_answer(asked[-1]))})
        return faithful(request)

    server.respond = respond


def test_a_malformed_story_answer_gets_one_repair(server):
    _story_request_gets(server, completion({"content": json.dumps({"title": 5})}))
    result = daily([DAILY], settings(server.url)).daily
    story_calls = [r for r in server.requests if kind(r) in ("story", "other")]
    assert len(story_calls) == 2
    repair = _user(story_calls[1])
    assert "did not match the schema" in repair and "title" in repair
    assert result.meta.usage["repairs"] == 1 and result.meta.usage["calls"] == 6
    (story,) = [s for s in result.stories if len(s.source_ids) == 2]
    assert story.title == "Norland and Sudmark cod quota talks"


def test_a_story_answer_cut_off_keeps_the_offline_story_with_a_notice(server):
    offline = daily([DAILY]).daily  # the extractive engine: the offline merge
    cut = completion({"content": '{"title": "Norland and Sud'}, finish="length")
    _story_request_gets(server, cut)
    result = daily([DAILY], settings(server.url)).daily
    (story,) = [s for s in result.stories if len(s.source_ids) == 2]
    assert not story.bottom_line and story.title != "Norland and Sudmark cod quota talks"
    notices = [w.message for w in result.meta.warnings
               if w.kind == "synthesis" and story.id in w.message]
    assert len(notices) == 1 and "max_tokens" in notices[0] and story.id in notices[0]
    assert result.bottom_line  # the day's bottom line is still written
    assert len(offline.stories) == len(result.stories)


def test_the_extractive_engine_makes_no_synthesis(tmp_path):
    result = daily([DAILY]).daily
    assert not result.bottom_line and "synthesis_calls" not in result.meta.usage


@pytest.mark.parametrize("cites", [[], ["story-7"]])
def test_a_bullet_citing_no_story_of_the_day_is_dropped(cites):
    from briefer.engines.draft import DailyDraft
    from briefer.model import Story
    from briefer.synthesis import Written, bullets

    story = Story(id="story-1", title="Harbour talks fail", summary="Cod talks failed.",
                  source_ids=["s1"])
    answer = DailyDraft.model_validate({"bullets": [
        {"text": "Harbour cod talks failed.", "cites": ["story-1"]},
        {"text": "Harbour cod talks failed again.", "cites": cites}]})
    written = Written()
    kept = bullets(answer, [story], written)
    assert [b.text for b in kept] == ["Harbour cod talks failed."]
    assert (written.counts.sentences, written.counts.dropped) == (2, 1)


def test_story_prompt_lists_only_grounded_items_with_ids(tmp_path):
    from briefer.engines import get_engine
    from briefer.ingest import load
    from briefer.model import Story
    from briefer.pipeline import condense_all
    from briefer.synthesis import listing_of

    a = write(tmp_path / "a.txt", Path(DAILY / "harbour-local.txt").read_text())
    articles = load([a]).articles
    done = condense_all(articles, get_engine("extractive", Settings()))
    brief = done.briefs["s1"]
    assert brief.key_issues and brief.positions
    brief.key_issues[0].evidence[0].verified = False
    listing, ids = listing_of(Story(id="story-1", title="t", summary="s", source_ids=["s1"]),
                              done.briefs)
    assert "s1.k1" not in ids and "[s1.k1]" not in listing
    assert "s1.p1" in ids and "[s1.p1]" in listing
    assert brief.positions[0].evidence[0].quote in ids["s1.p1"].texts


def test_a_synthesised_daily_renders_in_every_format(server, tmp_path):
    from briefer.render import render

    server.respond = faithful
    result = daily([DAILY], settings(server.url)).daily
    for fmt in ("md", "html", "docx", "json"):
        assert render(result, fmt)
