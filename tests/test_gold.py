"""The GUIDE scoring rule (briefer.gold), on hand-written text."""

from __future__ import annotations

import pytest

from briefer import gold

TEXT = (
    "The council met on Monday to discuss the water dispute.\n\n"
    "The mayor said the city will never accept a cut in its water allowance. "
    "Farmers want the dam opened before the harvest. "
    "A vote on the plan is scheduled for next week."
)
RED = "the city will never accept a cut in its water allowance"
POS = "Farmers want the dam opened before the harvest."
VOTE = "A vote on the plan is scheduled for next week."
ISSUE = "The council met on Monday to discuss the water dispute."

GOLD = {"items": [
    {"section": "red_lines", "party": "Mayor Ana Costa", "essential": True, "quote": RED},
    {"section": "positions", "party": "the farmers", "essential": True, "quote": POS},
    {"section": "next_steps", "party": None, "essential": False, "quote": VOTE},
    {"section": "key_issues", "party": None, "essential": True, "quote": ISSUE},
]}


def item(quote: str, **who: str | None) -> dict:
    return {"evidence": [{"quote": quote}], **who}


def test_fold_flattens_quotes_space_case_and_markdown():
    folded = gold.fold("  “Never”  **again**,\n  [said](http://x) ‘he’ ")
    assert folded == '"never" again, said \'he\''


def test_overlap_needs_half_of_the_shorter_span():
    assert gold.overlap((0, 10), (5, 30))  # 5 of the shorter 10
    assert not gold.overlap((0, 10), (6, 30))  # 4 of 10
    assert gold.overlap((10, 20), (0, 100))  # contained
    assert not gold.overlap((0, 10), (10, 20))  # touching is not overlapping
    assert not gold.overlap((0, 0), (0, 5))


def test_whole_sentence_evidence_finds_a_clause_quote():
    brief = {"red_lines": [item("The mayor said the city will never accept a cut in its "
                                "water allowance.", party="Ana Costa")]}
    r = gold.score(brief, GOLD, TEXT)["red_lines"]
    assert (r["found"], r["found_essential"], r["brief"], r["brief_hits"]) == (1, 1, 1, 1)
    assert (r["party_n"], r["party_ok"]) == (1, 1)


def test_a_short_fragment_of_a_long_quote_counts_but_a_sliver_does_not():
    # "Farmers want" (12 chars) lies inside the gold quote: half of the shorter span
    hit = gold.score({"positions": [item("Farmers want", party="farmers")]}, GOLD, TEXT)
    assert hit["positions"]["found"] == 1
    # evidence straddling two sentences, mostly in the wrong one: less than half overlaps
    straddle = "before the harvest. A vote on the plan is scheduled for next week."
    miss = gold.score({"positions": [item(straddle, party="farmers")]}, GOLD, TEXT)
    assert miss["positions"]["found"] == 0 and miss["positions"]["brief_hits"] == 0


def test_section_must_match():
    brief = {"positions": [item(VOTE, party="council")]}
    r = gold.score(brief, GOLD, TEXT)
    assert r["positions"]["brief_hits"] == 0 and r["next_steps"]["found"] == 0


def test_quote_not_in_text_is_ignored_on_both_sides():
    g = {"items": [*GOLD["items"], {"section": "red_lines", "party": "X", "essential": True,
                                    "quote": "words that are not in the article"}]}
    brief = {"red_lines": [item("nothing like this appears anywhere")]}
    r = gold.score(brief, g, TEXT)["red_lines"]
    assert r["gold"] == 1 and r["brief"] == 1 and r["brief_hits"] == 0


def test_whitespace_case_and_typographic_quotes_are_folded():
    text = "He said: “We will  NOT\nleave.” Then he left."
    g = {"items": [{"section": "red_lines", "party": "he", "essential": True,
                    "quote": '"We will not leave."'}]}
    r = gold.score({"red_lines": [item("“We will  NOT\nleave.”", party="He")]}, g, text)
    assert r["red_lines"]["found"] == 1


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Mayor Ana Costa", "Ana Costa", True),
    ("the farmers", "Farmers", True),
    ("President Biden", "President Macron", False),  # titles do not make a match
    ("the Secretary of State", "State Department", False),
    ("U.S. officials", "U.S. Senate", False),  # "u.s." and "us" are stop words
    ("US officials", "US Senate", False),
    ("E.U. Commission", "the E.U.", True),  # dotted abbreviations are one word
    ("Hamas", None, False),
])
def test_party_rule(a, b, same):
    assert gold.same_party(a, b) is same


def test_party_agreement_counts_the_first_matching_item_only():
    brief = {"red_lines": [item(RED, party="the council"), item(RED, party="Ana Costa")]}
    r = gold.score(brief, GOLD, TEXT)["red_lines"]
    assert (r["party_n"], r["party_ok"]) == (1, 0)


def test_next_steps_have_no_party_figures_and_key_issues_count():
    brief = {"next_steps": [item(VOTE, actor="council")], "key_issues": [item(ISSUE)]}
    r = gold.score(brief, GOLD, TEXT)
    assert r["next_steps"]["party_n"] == 0 and r["next_steps"]["found"] == 1
    assert r["next_steps"]["found_essential"] == 0 and r["key_issues"]["found_essential"] == 1


def test_draft_items_with_a_bare_quote_and_objects_with_attributes():
    class Obj:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    brief = Obj(red_lines=[Obj(evidence=[Obj(quote=RED)], party="Costa")], positions=[],
                next_steps=[], key_issues=[])
    assert gold.score(brief, GOLD, TEXT)["red_lines"]["found"] == 1
    draft = {"red_lines": [{"quote": RED, "party": "Costa"}]}
    assert gold.score(draft, GOLD, TEXT)["red_lines"]["party_ok"] == 1


def test_aggregate_ratios():
    one = gold.score({"red_lines": [item(RED, party="Costa"), item(POS, party="x")],
                      "positions": [item(POS, party="Farmers")]}, GOLD, TEXT)
    two = gold.score({}, GOLD, TEXT)
    figs = gold.aggregate([one, two])
    assert figs["red_lines"]["recall_essential"] == 0.5  # found in one article of two
    assert figs["red_lines"]["precision"] == 0.5
    assert figs["red_lines"]["party_agreement"] == 1.0
    assert figs["next_steps"]["recall_essential"] is None  # no essential next step
    assert figs["positions"]["recall"] == 0.5
    assert "red_lines" in gold.format_figures(figs)
