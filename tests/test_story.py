"""The offline story merge: one item per thing said, citing every source; parties merged by
name; "where sources differ" (figures, dates, denials) with precision over recall."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefer.cache import Cache
from briefer.cli import app
from briefer.daily import daily
from briefer.differences import differences, quantities
from briefer.ingest import load
from briefer.model import Article, Evidence, KeyIssue, Position
from briefer.story import merge_items, party_names, sources_of
from tests.conftest import FIXTURES

CLUSTERS = FIXTURES / "clusters"
UKRAINE = CLUSTERS / "ukraine-june-deadline-2026-02"
JOBS = CLUSTERS / "multinews-us-jobs-report-2012-03"
NOT_ARTICLES = ["--exclude", "SOURCES.txt", "--exclude", "ref.txt"]


def _articles(*texts: str) -> list[Article]:
    return [Article(id=f"s{n}", text=t, path_or_url=f"{n}.txt") for n, t in enumerate(texts, 1)]


def _item(source: str, quote: str, cls: type = KeyIssue, **fields: str) -> KeyIssue | Position:
    ev = Evidence(source_id=source, quote=quote, start=0, end=len(quote))
    return cls(evidence=[ev], **({"issue": quote} if cls is KeyIssue else fields))


# --- the clusters through `briefer daily` ---------------------------------------------------

@pytest.fixture(scope="module")
def ukraine(tmp_path_factory):
    cache = Cache(tmp_path_factory.mktemp("c") / "c.sqlite3")
    return daily([UKRAINE / "001.txt", UKRAINE / "002.txt"], cache=cache).daily


def _shared(story) -> list:
    """The items of the story that cite both reports, whatever section the engine chose."""
    return [x for _, x in story.items() if len(sources_of(x)) > 1]


def _one(items: list, text: str):
    (found,) = [x for x in items if any(text in e.quote for e in x.evidence)]
    return found


# Facts both Ukraine reports state: NPR "over 400 drones and about 40 missiles" = BBC "more
# than 400 drones and 40 missiles"; the same quotation "difficult issues remained difficult";
# NPR "And they say that they want to do everything by June" = BBC "The Americans say...";
# Zelensky's "We confirmed our participation" (NPR alone, BBC after the Miami proposal).
UKRAINE_PAIRS = ("400 drones", "ifficult issues remained difficult",
                 "want to do everything by June", "We confirmed our participation")


def _pairs_in_both_briefs() -> list[str]:
    """The pairs each article's own brief carries (which sentences the engine picks is the
    classifier's choice; the merge must join every pair both briefs hold, and nothing else)."""
    from briefer.engines.extractive import ExtractiveEngine

    briefs = [ExtractiveEngine().condense(a)
              for a in load([UKRAINE / "001.txt", UKRAINE / "002.txt"]).articles]
    return [p for p in UKRAINE_PAIRS
            if all(any(p in e.quote for _, x in b.items() for e in x.evidence) for b in briefs)]


def test_the_ukraine_cluster_is_one_story_with_items_cited_by_both_reports(ukraine):
    assert [s.source_ids for s in ukraine.stories] == [["s1", "s2"]]
    merged = _shared(ukraine.stories[0])
    both = _pairs_in_both_briefs()
    assert both, "the briefs share no fact: nothing for the merge to join"
    assert len(merged) == len(both)
    for pair in both:
        found = _one(merged, pair)
        assert [e.source_id for e in found.evidence] == ["s1", "s2"]
        assert all(pair in e.quote for e in found.evidence)


def _sentence(path, text: str) -> str:
    from briefer.text import segment

    article = load([path]).articles[0]
    (found,) = [s.text for s in segment(article.text) if text in s.text]
    return found


def test_the_same_facts_in_both_ukraine_reports_merge():
    # NPR "over 400 drones and about 40 missiles" = BBC "more than 400 drones and 40 missiles"
    npr = _sentence(UKRAINE / "001.txt", "400 drones")
    bbc = _sentence(UKRAINE / "002.txt", "400 drones")
    # NPR "And they say that they want to do everything by June" = BBC "The Americans say..."
    npr_june = _sentence(UKRAINE / "001.txt", "want to do everything by June")
    bbc_june = _sentence(UKRAINE / "002.txt", "want to do everything by June")
    other = _sentence(UKRAINE / "002.txt", "difficult issues remained difficult")
    kept = merge_items([("key_issues", _item("s1", npr)), ("positions", _item("s1", npr_june)),
                        ("key_issues", _item("s2", bbc)), ("key_issues", _item("s2", other)),
                        ("next_steps", _item("s2", bbc_june))])
    assert [(name, sources_of(x)) for name, x in kept] == [
        ("key_issues", ["s1", "s2"]), ("positions", ["s1", "s2"]), ("key_issues", ["s2"])]
    drones = kept[0][1]
    assert "more than 400 drones and 40 missiles" in drones.evidence[1].quote
    assert "want to do everything by June" in kept[1][1].evidence[1].quote


def test_items_several_sources_carry_come_first_and_each_source_leads(ukraine):
    from briefer.engines.extractive import ExtractiveEngine

    story = ukraine.stories[0]
    shared = {e.quote for x in _shared(story) for e in x.evidence}
    merged_first = set()  # "s2.next_steps": that article's first item of the section merged
    for sid, article in zip(("s1", "s2"), load([UKRAINE / "001.txt", UKRAINE / "002.txt"])
                            .articles, strict=True):
        for key in ("key_issues", "red_lines", "next_steps"):
            own = getattr(ExtractiveEngine().condense(article), key)
            if own and own[0].evidence[0].quote in shared:
                merged_first.add(f"{sid}.{key}")
    for key in ("key_issues", "red_lines", "next_steps"):
        counts = [len(sources_of(x)) for x in getattr(story, key)]
        assert counts == sorted(counts, reverse=True)
        # after the shared items, every article's first items before their second ones:
        # the few lines a memo shows are not all the lead article's
        single = [x.evidence[0].source_id for x in getattr(story, key) if len(sources_of(x)) == 1]
        # (an article whose own first item merged into an item both carry already leads)
        if len(set(single)) == 2 and not merged_first & {f"{s}.{key}" for s in single}:
            assert set(single[:2]) == {"s1", "s2"}, key
    # positions: the same party's together (story.py sorts them so after the lead order), so
    # a party's items are one run
    parties = [p.party for p in story.positions]
    assert all(parties.index(p) == n or parties[n - 1] == p for n, p in enumerate(parties))


def test_parties_merge_by_name_across_reports(ukraine):
    story = ukraine.stories[0]
    holders = {x.who for _, x in story.items() if x.who}
    assert "Volodymyr Zelenskyy" in holders  # NPR's spelling, the lead article's
    assert "Volodymyr Zelensky" not in holders  # BBC's, merged into it
    bbc = [x for _, x in story.items()
           if x.evidence[0].source_id == "s2" and "Zelensk" in (x.who or "")]
    assert bbc and all(x.who == "Volodymyr Zelenskyy" for x in bbc)


def test_merged_evidence_still_points_into_each_article(ukraine):
    texts = {a.id: a.text for a in load([UKRAINE / "001.txt", UKRAINE / "002.txt"]).articles}
    story = ukraine.stories[0]
    for ev in story.all_evidence():
        assert texts[ev.source_id][ev.start : ev.end] == ev.quote


def test_the_cli_daily_of_a_cluster_folder_is_one_story(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["daily", str(UKRAINE), *NOT_ARTICLES, "-f", "json",
                                      "-q"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    (story,) = out["stories"]
    assert story["source_ids"] == ["s1", "s2"] and story["differences"] == []
    assert sum(len({e["source_id"] for e in x["evidence"]}) > 1
               for key in ("key_issues", "positions", "red_lines", "next_steps")
               for x in story[key]) == len(_pairs_in_both_briefs())


def test_the_jobs_preview_and_report_differ_in_figures_that_are_not_one_quantity():
    """The preview ("expected to hold steady at 8.3%", "203,000 new jobs", February's
    227,000) and the report (8.2 percent, 120,000 in March): a forecast against a result and
    different months are not a conflict between sources."""
    articles = load([JOBS / "001.txt", JOBS / "002.txt"]).articles
    assert {q.noun for a in articles for q in quantities(a.text)} >= {"%", "jobs"}
    assert differences(articles) == []


# --- merging items ---------------------------------------------------------------------------

def test_a_wire_copy_with_a_word_changed_is_one_item_citing_both():
    wire = "The ministry said the harbour will reopen to fishing boats on Monday morning."
    copy = "The ministry said the harbour would reopen to fishing boats on Monday morning."
    other = "The ministry said fishing quotas for cod will be cut by a fifth next year."
    kept = merge_items([("key_issues", _item("s1", wire)), ("key_issues", _item("s2", copy)),
                        ("key_issues", _item("s2", other))])
    assert [sources_of(x) for _, x in kept] == [["s1", "s2"], ["s2"]]


def test_a_shared_quotation_merges_across_sections_into_the_first():
    a = _item("s1", 'Berg said: "We will not accept any cut to the cod quota below last year."',
              Position, party="Ana Berg", stance="no cut")
    b = _item("s2", 'The quota fight goes on. "We will not accept any cut to the cod quota," '
                    "she told reporters.")
    c = _item("s1", 'Okafor said: "The stocks have collapsed and quotas must follow."')
    kept = merge_items([("positions", a), ("key_issues", b), ("key_issues", c)])
    assert [(k, sources_of(x)) for k, x in kept] == [("positions", ["s1", "s2"]),
                                                      ("key_issues", ["s1"])]


def test_the_same_sentence_twice_in_one_source_adds_no_second_citation():
    quote = "Both delegations will meet again in Geneva next week."
    kept = merge_items([("next_steps", _item("s1", quote)), ("key_issues", _item("s1", quote))])
    assert len(kept) == 1 and len(kept[0][1].evidence) == 1


def test_one_shared_figure_is_not_the_same_item():
    a = _item("s1", "Officials said 400 drones were launched at Kyiv overnight.")
    b = _item("s2", "The factory builds 400 drones a month for the army.")
    assert len(merge_items([("key_issues", a), ("key_issues", b)])) == 2


# --- parties ---------------------------------------------------------------------------------

def test_a_short_form_joins_the_one_fuller_name_shown_in_full():
    names = party_names(["Wang", "Wang Yi", "wang  yi", "Blinken", "Antony Blinken"])
    assert names == {"Wang": "Wang Yi", "Wang Yi": "Wang Yi", "wang  yi": "Wang Yi",
                     "Blinken": "Antony Blinken", "Antony Blinken": "Antony Blinken"}


def test_an_ambiguous_short_form_or_a_common_noun_stays_as_written():
    names = party_names(["Wang", "Wang Yi", "Wang Wei", "police", "Denver police"])
    assert names["Wang"] == "Wang" and names["Wang Wei"] == "Wang Wei"
    assert names["police"] == "police"


def test_transliterations_that_differ_by_a_doubled_letter_are_one_party():
    names = party_names(["Volodymyr Zelenskyy", "Zelensky", "Volodymyr Zelensky"])
    assert set(names.values()) == {"Volodymyr Zelenskyy"}
    assert party_names(["Russia", "Russian"]) == {"Russia": "Russia", "Russian": "Russian"}


# --- where sources differ --------------------------------------------------------------------

CONFLICTS = {
    "the number of people": (
        "Officials said 12 people were killed in the strike on a market in Kharkiv.",
        "The strike on a market in Kharkiv killed 15 people, the regional governor said."),
    "a percentage": (
        "The unemployment rate fell to 8.2 percent in March, the Labor Department said.",
        "The Labor Department said the unemployment rate in March fell to 8.4%."),
    "an amount": (
        "The aid package is worth $12 billion, the finance ministry said on Monday.",
        "The finance ministry said on Monday that the aid package is worth $15 billion."),
    "the date": (
        "The talks between the two delegations will resume in Geneva on 12 March.",
        "The two delegations will resume their talks in Geneva on March 14."),
    "a denial": (
        "Russian troops shelled the Zaporizhzhia nuclear plant overnight, officials said.",
        "Moscow denied that its troops shelled the Zaporizhzhia nuclear plant."),
}


@pytest.mark.parametrize("about", list(CONFLICTS))
def test_a_conflict_between_two_sources_is_reported_with_each_side_cited(about):
    one, two = CONFLICTS[about]
    text_one, text_two = f"Intro line here.\n\n{one}", two
    (found,) = differences(_articles(text_one, text_two))
    assert found.about == about
    first, second = found.claims
    assert first.evidence[0].source_id == "s1" and second.evidence[0].source_id == "s2"
    assert text_one[first.evidence[0].start : first.evidence[0].end] == one
    assert first.text.strip("… ") in one and second.text.strip("… ") in two  # verbatim


NOT_CONFLICTS = {
    "bounds that agree": (
        "At least 12 people were killed in the strike on a market in Kharkiv.",
        "The strike on a market in Kharkiv killed 15 people, the regional governor said."),
    "a round figure": (
        "Some 55,000 Ukrainian soldiers have been killed since the invasion, Zelensky said.",
        "Zelensky said 55,300 Ukrainian soldiers have been killed since the invasion."),
    "different things counted": (
        "Officials said 12 people were killed in the strike on a market in Kharkiv.",
        "Officials said 15 buildings were damaged in the strike on a market in Kharkiv."),
    "different months": (
        "The Labor Department said the economy added 120,000 jobs in March.",
        "The Labor Department said the economy added 227,000 jobs in February."),
    "a forecast": (
        "The unemployment rate is expected to hold steady at 8.3% in March.",
        "The unemployment rate fell to 8.2 percent in March, the lowest since 2009."),
    "unrelated sentences": (
        "Police said 12 people were arrested after the match in Leeds.",
        "The storm left 15 people without power in the valley, the utility said."),
    "two measures, each a percentage": (  # seen in a real daily: South Korea's rate, China's
        "Cheong In-kyo will visit Washington on Tuesday to discuss the blanket 25 percent "
        "tariff Trump announced for the nation's goods.",
        'Those Chinese tariffs had come in response to 34% "reciprocal" duties announced by '
        "Trump on Tuesday in Washington."),
    "the same figure": (
        "Russia launched over 400 drones and about 40 missiles at the energy grid overnight.",
        "Overnight Russia launched more than 400 drones and 40 missiles at the energy grid."),
}


@pytest.mark.parametrize("case", list(NOT_CONFLICTS))
def test_figures_that_can_both_be_true_are_not_a_difference(case):
    assert differences(_articles(*NOT_CONFLICTS[case])) == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_what_sources_differ_about_is_capitalised_not_glued(tmp_path, fmt):
    """The Markdown escape folds whitespace per expression: "A" + " percentage" once
    rendered as "Apercentage"."""
    from briefer.render import render

    one, two = CONFLICTS["a percentage"]
    (tmp_path / "a.txt").write_text(f"Unemployment falls.\n\n{one}\n")
    (tmp_path / "b.txt").write_text(f"Unemployment rate.\n\n{two}\n")
    result = daily([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [s.differences[0].about for s in result.daily.stories if s.differences] == [
        "a percentage"]
    assert "A percentage" in render(result.daily, fmt)


def test_one_source_is_never_compared_with_itself():
    one, two = CONFLICTS["the number of people"]
    assert differences(_articles(f"{one} {two}")) == []


def test_years_times_and_dates_are_not_counted():
    found = quantities("On Feb. 3, 2026 at 8:30 a.m., 4.5 million people and 12 of them")
    assert [(q.value, q.noun) for q in found] == [(4_500_000.0, "people")]


def test_a_percentage_or_amount_names_what_it_measures_when_the_text_says():
    found = quantities('a 25 percent tariff, 34% "reciprocal" duties, 40% of the vote, '
                       "fell to 8.2 percent, the lowest; $5 million in aid")
    assert [q.noun for q in found] == ["% tariff", "% reciprocal", "% vote", "%", "$ aid"]


def test_differences_are_deterministic():
    one, two = CONFLICTS["the number of people"]
    assert differences(_articles(one, two)) == differences(_articles(one, two))
