"""The daily brief: duplicates, stories, summary, what changed, cache, failures, CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from briefer.cache import Cache
from briefer.changes import changes
from briefer.cli import app
from briefer.daily import cluster, daily, dedupe
from briefer.ingest import load
from briefer.model import Article, DailyBrief
from briefer.render import render
from tests.conftest import FIXTURES, write

DAILY = FIXTURES / "daily"
WIRE, LOCAL, COPY, ELECTION = (DAILY / n for n in (
    "harbour-wire.txt", "harbour-local.txt", "harbour-syndicated.txt", "election.txt"))


def test_near_duplicates_collapse_keeping_every_path():
    articles = load([WIRE, COPY, LOCAL]).articles
    kept, copies = dedupe(articles)
    assert [a.path_or_url for a in kept] == [str(WIRE), str(LOCAL)]
    assert [c.path_or_url for c in copies["s1"]] == [str(COPY)]


def test_reports_of_one_event_form_one_story_and_others_stay_apart():
    articles = load([WIRE, ELECTION, LOCAL]).articles
    groups = [[a.path_or_url for a in g] for g in cluster(articles)]
    assert groups == [[str(WIRE), str(LOCAL)], [str(ELECTION)]]


def test_clustering_is_deterministic():
    articles = load([DAILY]).articles
    first = [[a.id for a in g] for g in cluster(articles)]
    assert all([[a.id for a in g] for g in cluster(articles)] == first for _ in range(3))


def test_daily_brief_contract(tmp_path):
    result = daily([WIRE, ELECTION, LOCAL, COPY], cache=Cache(tmp_path / "c.sqlite3"))
    d = result.daily
    assert len(d.stories) == 2
    harbour, election = d.stories
    assert harbour.source_ids == ["s1", "s3"] and election.source_ids == ["s2"]
    assert harbour.salience > election.salience  # two reports outrank one
    cited = {e.source_id for _, item in harbour.items() for e in item.evidence}
    assert cited == {"s1", "s3"}  # items keep citing their own article
    parties = [p.party for p in harbour.positions]
    holders = set(parties) | {r.party for r in harbour.red_lines}
    assert {"Paul Okafor", "Marta Lind"} <= holders  # each article's speakers, merged
    assert parties == sorted(parties, key=parties.index)  # one party's positions together
    assert "Ana Berg" in {r.party for r in harbour.red_lines}  # "Norland minister Ana Berg"
    assert {s.actor for s in harbour.next_steps} == {"Both delegations", "Kelby boat owners"}
    assert len(d.summary) == 2 and d.summary[0].startswith(harbour.title)
    source = next(s for s in d.sources if s.id == "s1")
    assert source.duplicates == [str(COPY)]
    assert d.meta.usage["duplicates"] == 1 and d.meta.usage["articles"] == 3
    again = DailyBrief.model_validate_json(d.model_dump_json())
    assert again == d
    for story in d.stories:
        for _, item in story.items():
            for ev in item.evidence:
                path = {s.id: s.path_or_url for s in d.sources}[ev.source_id]
                text = load([path]).articles[0].text
                assert text[ev.start : ev.end] == ev.quote


def test_markdown_memo(tmp_path):
    d = daily([WIRE, ELECTION, LOCAL, tmp_path / "missing.txt"],
              cache=Cache(tmp_path / "c.sqlite3")).daily
    memo = render(d)
    for heading in ("## Executive summary", "## 1. Harbour talks", "## 2. Valmora election",
                    "### Positions", "### Red lines", "### Next steps", "## Not included",
                    "## Evidence", "## Sources"):
        assert heading in memo, heading
    assert "missing.txt: no such file or folder" in memo
    cited = {int(n) for n in __import__("re").findall(r"\]\(#e(\d+)\)",
                                                      memo.split("## Evidence")[0])}
    listed = memo.split("## Evidence")[1]
    assert cited and all(f'- <a id="e{n}"></a>[{n}] ' in listed for n in cited)


def test_what_changed_against_the_previous_day(tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    yesterday = daily([WIRE, ELECTION], cache=cache).daily
    path = write(tmp_path / "yesterday.json", yesterday.model_dump_json())
    today = daily([LOCAL, WIRE, ELECTION], cache=cache, previous=path).daily
    assert today.previous == str(path)
    new = {c.party for c in today.changes if c.kind == "new"}
    assert "Marta Lind" in new  # what the local paper's article adds
    assert not [c for c in today.changes if c.kind == "removed"]
    gone = changes(today, yesterday)  # and the other way round
    assert "Marta Lind" in {c.party for c in gone if c.kind == "removed"}
    assert "## What changed since " in render(today)
    assert f"_Compared with {path.name}._" in render(today)


def test_a_party_named_in_full_one_day_and_briefly_the_next_is_no_change(tmp_path):
    yesterday = daily([WIRE], cache=Cache(tmp_path / "c.sqlite3")).daily
    today = yesterday.model_copy(deep=True)
    story = today.stories[0]
    held = next(p for p in story.positions if p.party == "Paul Okafor")
    held.party = "Okafor"  # today's reports name him by his surname only
    assert [c for c in changes(yesterday, today) if c.party in ("Okafor", "Paul Okafor")] == []
    held.stance = "a new position"
    listed = {(c.kind, c.party) for c in changes(yesterday, today)}
    assert listed == {("new", "Okafor"), ("removed", "Paul Okafor")}


def test_cache_makes_a_rerun_free_and_no_cache_skips_it(tmp_path, monkeypatch):
    from briefer.engines.extractive import ExtractiveEngine

    calls = []
    real = ExtractiveEngine.condense
    monkeypatch.setattr(ExtractiveEngine, "condense",
                        lambda self, a: calls.append(a.id) or real(self, a))
    cache = Cache(tmp_path / "c.sqlite3")
    first = daily([WIRE, ELECTION, LOCAL], cache=cache).daily
    assert len(calls) == 3 and first.meta.usage["cache_hits"] == 0
    second = daily([WIRE, ELECTION, LOCAL], cache=cache).daily
    assert len(calls) == 3 and second.meta.usage["cache_hits"] == 3
    strip = {"meta": {"created_at", "usage"}}
    assert second.model_dump(exclude=strip) == first.model_dump(exclude=strip)
    daily([WIRE], cache=None)
    assert len(calls) == 4
    assert cache.info()["entries"] == 3


def test_cached_brief_is_rehomed_to_this_runs_ids(tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    daily([ELECTION], cache=cache)
    d = daily([WIRE, ELECTION], cache=cache).daily  # election is now s2, from the cache
    election = next(s for s in d.stories if "Valmora" in s.title)
    assert election.source_ids == ["s2"]
    assert {e.source_id for _, i in election.items() for e in i.evidence} == {"s2"}


def test_corrupt_cache_is_moved_aside_and_rebuilt(tmp_path):
    path = write(tmp_path / "c.sqlite3", b"this is not a database" * 100)
    cache = Cache(path)
    d = daily([WIRE], cache=cache).daily
    assert any(w.kind == "cache" and "corrupt" in w.message for w in d.meta.warnings)
    assert list(tmp_path.glob("c.sqlite3.corrupt-*"))
    assert Cache(path).info()["entries"] == 1


def test_two_processes_writing_one_cache(tmp_path):
    path = tmp_path / "shared.sqlite3"
    code = ("import sys; from pathlib import Path; from briefer.cache import Cache\n"
            "c = Cache(Path(sys.argv[1]))\n"
            "for n in range(300):\n    c.put(f'{sys.argv[2]}-{n}', 'e', 'x' * 500)\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), tag]) for tag in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    cache = Cache(path)
    assert cache.info()["entries"] == 600
    assert cache.get("a-299") == "x" * 500


def test_failures_are_listed_and_the_rest_is_briefed(tmp_path):
    png = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    result = daily([WIRE, tmp_path / "gone.txt", png], cache=None)
    d = result.daily
    assert [s.path_or_url for s in d.sources] == [str(WIRE)]
    reasons = {m.input: m.reason for m in d.not_included}
    assert reasons == {str(tmp_path / "gone.txt"): "no such file or folder",
                       str(png): "binary file (PNG image), not text"}
    assert result.failures


def test_cli_daily_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    listing = write(tmp_path / "sources.txt",
                    f"# today's clips\n{WIRE}\n\n{LOCAL}  # local paper\n{ELECTION}\n"
                    f"{tmp_path / 'nope.txt'}\n")
    out = tmp_path / "today.json"
    runner = CliRunner()
    result = runner.invoke(app, ["daily", "--sources", str(listing), "-f", "json", "-o",
                                 str(out), "--date", "2026-03-14", "--title", "Morning brief"])
    assert result.exit_code == 3, result.output
    assert "not included: " in result.stderr and "nope.txt: no such file" in result.stderr
    data = json.loads(out.read_text())
    assert (data["title"], data["date"], len(data["stories"])) == ("Morning brief",
                                                                   "2026-03-14", 2)
    # the next run finds yesterday's JSON in the output folder for "What changed"
    memo = tmp_path / "today.md"
    result = runner.invoke(app, ["daily", str(WIRE), str(LOCAL), str(ELECTION), "-o", str(memo)])
    assert result.exit_code == 0, result.output
    assert "## What changed since 14 March 2026" in memo.read_text()
    assert "_Compared with today.json._" in memo.read_text()
    info = runner.invoke(app, ["cache", "info"])
    assert "3 briefs" in info.stdout
    assert "removed 3 cached briefs" in runner.invoke(app, ["cache", "clear"]).stdout


@pytest.mark.parametrize(("args", "message"), [
    (["daily"], "no inputs: give INPUT... or --sources FILE"),
    (["daily", "x", "--since", "yesterday"], "--since wants a date as YYYY-MM-DD"),
    (["daily", "--sources", "/no/such/list"], "cannot read the sources list"),
])
def test_cli_daily_usage_errors(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr


def test_previous_that_is_not_a_daily_brief(tmp_path):
    bad = write(tmp_path / "prev.json", '{"title": "x"}')
    result = CliRunner().invoke(app, ["daily", str(WIRE), "--previous", str(bad), "--no-cache"])
    assert result.exit_code == 2 and "not a daily brief JSON" in result.stderr


def test_progress_is_a_bar_on_a_terminal_and_silent_otherwise(monkeypatch):
    import io

    from briefer import cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    with cli._progress(quiet=False) as (advance, loaded):
        loaded(2)
        for article in load([WIRE, ELECTION]).articles:
            advance(article, "done")
    with cli._progress(quiet=True) as (advance, loaded):
        assert advance is None and loaded is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli._progress(quiet=False) as (advance, loaded):
        assert advance is None  # not a terminal: no bar, clean logs


# The rule was measured on 354 English pairs people judged (bench/cluster.py, SemEval-2022
# Task 8): relaxing the names gate to one shared name, or lowering the cosine with a
# background IDF, doubled the share of different events merged. These pin the gates.
_PREVIEW = ("Payrolls preview: economists expect employers added 200,000 jobs in March and "
            "the unemployment rate to hold at 8.3 percent when the Labor Department reports.")
_REPORT = ("Employers added 120,000 jobs in March, fewer than expected, and the unemployment "
           "rate fell to 8.2 percent, the Labor Department said, as hiring slowed.")


def _article(ident: str, text: str, day: str | None = None) -> Article:
    return Article(id=ident, text=text, path_or_url=f"{ident}.txt", date=day)


def test_one_shared_name_does_not_make_one_story():
    # without "Labor Department", "March" is the only capitalised name both share
    preview = _article("a", _PREVIEW.replace("Labor Department", "government"))
    report = _article("b", _REPORT.replace("Labor Department", "government"))
    assert len(cluster([preview, report])) == 2
    # the same two texts with two more names in common are one story: the gate decides
    assert len(cluster([_article("a", _PREVIEW), _article("b", _REPORT)])) == 1


def test_two_shared_names_are_not_enough_without_shared_words():
    first = _article("a", "Anna Kowalska opened the Gdansk film festival with a documentary "
                          "about shipyard workers and their families.")
    second = _article("b", "Anna Kowalska lost her appeal in Gdansk after the court upheld "
                           "the tax ruling against her bakery business.")
    assert len(cluster([first, second])) == 2


def test_reports_days_apart_are_different_stories():
    first = _article("a", _PREVIEW, "2012-04-02")
    assert len(cluster([first, _article("b", _REPORT, "2012-04-06")])) == 2
    assert len(cluster([first, _article("b", _REPORT, "2012-04-05")])) == 1
