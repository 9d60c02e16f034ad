"""A memo a principal reads in five minutes (issue 13): length caps, compact evidence,
citations that are links, clean text, Markdown that passes heading and list lint rules,
"what changed" against an earlier date only, and a conventional CLI."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.changes import find_previous
from briefer.cli import app
from briefer.daily import daily
from briefer.model import Article, Brief, Evidence, KeyIssue, Meta, Position, RedLine
from briefer.render import render
from briefer.render.common import (
    Layout,
    clip,
    format_date,
    headline,
    label,
    prose,
    quoted,
    sentence_end,
)
from tests.conftest import EXAMPLE, FIXTURES, ROOT, write

DAILY = FIXTURES / "daily"
WIRE, LOCAL, COPY, ELECTION = (DAILY / n for n in (
    "harbour-wire.txt", "harbour-local.txt", "harbour-syndicated.txt", "election.txt"))
HOSTILE = FIXTURES / "hostile" / "01-ignore-previous.txt"

# --- a small Markdown lint: markdownlint's MD022 and MD032, and one list item per line ------

_HEADING = re.compile(r"^#{1,6} ")
_ITEM = re.compile(r"^(?:[-*+]|\d+\.) ")
_GLUED_ITEM = re.compile(r"(?<=[^\s\d\\])(?:\d+\.|-) (?=\*\*|<a id=|⚠|\[)")


def md_lint(text: str) -> list[str]:
    """Problems as ``RULE line N: ...``; empty when the text passes."""
    problems = []
    lines = text.split("\n")
    for n, line in enumerate(lines):
        prev = lines[n - 1] if n else ""
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        where = f"line {n + 1}: {line[:60]!r}"
        if _HEADING.match(line):
            if prev.strip():
                problems.append(f"MD022 {where}: no blank line above the heading")
            if nxt.strip():
                problems.append(f"MD022 {where}: no blank line below the heading")
        if _ITEM.match(line):
            if prev.strip() and not _ITEM.match(prev):
                problems.append(f"MD032 {where}: no blank line above the list")
            if nxt.strip() and not _ITEM.match(nxt) and not nxt.startswith("  "):
                problems.append(f"MD032 {where}: no blank line below the list")
            if _GLUED_ITEM.search(line[2:]):
                problems.append(f"one item per line, {where}: two items on one line")
    return problems


def test_the_lint_finds_what_the_old_memos_had():
    old = ("## Evidence\n\n- [1] quote\n## Sources\n\n- **s1**: A (a.txt; 10 chars)- **s2**: B\n"
           "\n1. One. [1]2. Two. [2]\nText right after\n")
    found = " ".join(md_lint(old))
    assert "MD022" in found and "MD032" in found and "one item per line" in found


def _daily_with_everything(tmp_path: Path):
    """A daily with a duplicate, a failure, a warning and a previous day: every list."""
    first = daily([WIRE, ELECTION], cache=None).daily
    first.date = "2026-03-13"
    previous = write(tmp_path / "2026-03-13.json", first.model_dump_json())
    return daily([WIRE, COPY, LOCAL, ELECTION, HOSTILE, tmp_path / "gone.txt"], cache=None,
                 previous=previous).daily


@pytest.mark.parametrize("evidence", ["full", "compact", "none"])
def test_markdown_memos_pass_the_heading_and_list_rules(tmp_path, seed_brief, evidence):
    d = _daily_with_everything(tmp_path)
    assert d.not_included and d.meta.warnings and d.changes is not None
    assert any(s.duplicates for s in d.sources)
    for doc in (seed_brief, d):
        text = render(doc, "md", layout=Layout.default(doc, evidence=evidence))
        assert md_lint(text) == [], "\n".join(md_lint(text))


def test_markdown_citations_are_links_to_anchors_and_text_cannot_add_links(seed_brief):
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(render(seed_brief, "md"))
    assert '<a href="#e1">[1]</a>' in html and '<a id="e1"></a>' in html
    assert '<a href="#src-s1">s1</a>' in html and '<a id="src-s1"></a>' in html
    targets = set(re.findall(r'href="#([\w-]+)"', html))
    anchors = set(re.findall(r'<a id="([\w-]+)"></a>', html))
    assert targets and targets <= anchors  # every citation lands somewhere
    quote = "See [here](http://evil.example) and <a href='http://evil.example'>x</a> now."
    article = Article(id="s1", text=quote, path_or_url="a.txt",
                      title="[t](http://evil.example)", url="javascript:alert(1)")
    ev = [Evidence(source_id="s1", quote=quote, start=0, end=len(quote))]
    hostile = Brief(title=article.title, summary=quote, summary_evidence=ev,
                    key_issues=[KeyIssue(issue=quote, evidence=ev)],
                    sources=[article.to_source()],
                    meta=Meta(engine_or_provider="x", created_at="2026-01-01T00:00:00Z",
                              briefer_version="0"))
    for mode in ("full", "compact", "none"):
        out = MarkdownIt("commonmark").render(
            render(hostile, "md", layout=Layout(evidence=mode)))  # type: ignore[arg-type]
        assert not re.search(r'href="(?!#)', out)  # only the memo's own anchors are links
        assert "<a href='http" not in out and "&lt;a href=" in out


def _docx_xml(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return (z.read("word/document.xml").decode(),
                z.read("word/_rels/document.xml.rels").decode())


def test_word_citations_are_internal_links_to_bookmarked_evidence(seed_brief):
    doc = seed_brief.model_copy(deep=True)
    doc.sources[0].url = "https://example.org/news/blinken"
    xml, rels = _docx_xml(render(doc, "docx"))
    bookmarks = re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"', xml)
    names = [name for _, name in bookmarks]
    assert len(names) == len(set(names)) and len({i for i, _ in bookmarks}) == len(bookmarks)
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml)
    assert set(anchors) <= set(names)  # every internal link lands on a bookmark
    n_items = sum(1 for _ in doc.items())
    cited = [a for a in anchors if re.fullmatch(r"e\d+", a)]
    assert len(cited) >= n_items  # each item's citation is a link
    entries = {n for n in names if re.fullmatch(r"e\d+", n)}
    assert entries == {f"e{n}" for n in range(1, len(entries) + 1)}
    assert {f"r{n[1:]}" for n in entries} <= set(anchors)  # each entry links back
    assert "src-s1" in anchors and "src-s1" in names  # evidence -> Sources
    rid = re.search(r'<w:hyperlink r:id="([^"]+)"', xml).group(1)  # the URL, clickable
    assert re.search(rf'Id="{rid}"[^>]*Target="https://example.org/news/blinken"[^>]*'
                     r'TargetMode="External"|TargetMode="External"[^>]*Id="' + rid, rels)
    # the quote is listed once; the source title and URL are not repeated per quote
    assert xml.count("https://example.org/news/blinken") == 1
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(render(doc, "docx"))).paragraphs)
    assert re.search(r"^s1: \S", text, re.MULTILINE)  # runs keep the space they end with
    assert re.search(r"^\[1\] “", text, re.MULTILINE)


def test_word_memo_without_an_evidence_list_links_citations_to_sources(seed_brief):
    xml, _ = _docx_xml(render(seed_brief, "docx", layout=Layout(evidence="none")))
    anchors = set(re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml))
    assert anchors == {"src-s1"} and ">Evidence<" not in xml
    assert ">[s1]<" in xml


def test_the_html_memos_have_the_same_links(seed_brief, tmp_path):
    for doc in (seed_brief, _daily_with_everything(tmp_path)):
        for mode in ("compact", "none"):
            html = render(doc, "html", layout=Layout.default(doc, evidence=mode))
            ids = re.findall(r'id="([^"]+)"', html)
            assert len(ids) == len(set(ids))  # unique ids, citations numbered r<n>-<k>
            targets = set(re.findall(r'href="#([^"]+)"', html))
            assert targets and all(f'id="{t}"' in html for t in targets)


_SYLLABLES = ("ba", "ce", "di", "fo", "gu", "ha", "ji", "ko", "lu", "me", "ni", "po", "ru",
              "sa", "te", "vo")


def _article_text(i: int) -> str:
    """A short article of its own: names and nouns no other article of the set shares."""
    a, b, c, d, place, thing, noun = (
        (_SYLLABLES[i] + _SYLLABLES[(k * 5 + 3) % 16] + _SYLLABLES[(i + k * 7) % 16])
        for k in range(7))
    a, b, c, d, place = (w.capitalize() for w in (a, b, c, d, place))
    return (f"{a} {b} said the {thing} plan for {place} must be stopped. "
            f"\"We will never accept the {thing} deal,\" said {a} {b}, the minister of "
            f"{place}. The {place} council will vote this week on the {thing} proposal. "
            f"{c} {d} warned that the {thing} would cost {noun} millions. "
            f"The {noun} union said the {thing} plan was a red line for workers. "
            f"{c} {d} will meet {a} {b} next week to discuss the {thing} talks.\n")


def test_daily_memo_shows_the_most_salient_stories_and_a_few_items_each(tmp_path):
    for i in range(10):
        write(tmp_path / "clips" / f"{i:02d}.txt", _article_text(i))
    d = daily([tmp_path / "clips"], cache=None).daily
    assert len(d.stories) == 10
    text = render(d, "md")
    assert len(re.findall(r"^## \d+\. ", text, re.MULTILINE)) == 8
    assert "2 less salient not shown" in text
    for block in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        items = re.findall(r"^- ", block.split("\n## ")[0], re.MULTILINE)
        assert len(items) <= 3
    assert len(json.loads(render(d, "json"))["stories"]) == 10  # JSON is never cut
    runner = CliRunner()
    out = runner.invoke(app, ["daily", str(tmp_path / "clips"), "--no-cache",
                              "--max-stories", "0", "--max-items", "1"]).stdout
    assert len(re.findall(r"^## \d+\. ", out, re.MULTILINE)) == 10
    assert "not shown" not in out
    out = runner.invoke(app, ["daily", str(tmp_path / "clips"), "--no-cache",
                              "--max-stories", "2"]).stdout
    assert len(re.findall(r"^## \d+\. ", out, re.MULTILINE)) == 2
    assert len(re.findall(r'^- <a id="src-', out, re.MULTILINE)) == 2  # only their sources
    single = runner.invoke(app, ["brief", str(EXAMPLE), "--max-items", "1"]).stdout
    assert all(len(re.findall(r"^- \*\*", part, re.MULTILINE)) <= 1
               for part in single.split("## ")[1:5])


def test_evidence_modes(seed_brief):
    full = render(seed_brief, "md", layout=Layout(evidence="full"))
    compact = render(seed_brief, "md")
    none = render(seed_brief, "md", layout=Layout(evidence="none"))
    assert "chars " in full.split("## Evidence")[1].split("## Sources")[0]
    evidence = compact.split("## Evidence")[1].split("## Sources")[0]
    assert "chars " not in evidence and "blinken-wang.txt" not in evidence
    assert compact.count("blinken-wang.txt") == 1  # where the source is: once, in Sources
    assert "## Evidence" not in none and "(#e" not in none
    assert "[\\[s1\\]](#src-s1)" in none
    # a quote the memo's line reproduces is listed by its first words, the others in full
    entries = re.findall(r'^- <a id="e\d+"></a>\[\d+\] (.+) \(\[s1\]', evidence, re.MULTILINE)
    assert len(entries) == len(list(re.finditer(r"^- <a", evidence, re.MULTILINE)))
    assert any(e.endswith("…”") for e in entries)


def test_what_changed_never_compares_a_day_with_itself(tmp_path):
    base = daily([WIRE, ELECTION], cache=None).daily
    out = tmp_path / "out"
    for name, day in (("2026-03-12.json", "2026-03-12"), ("2026-03-13.json", "2026-03-13"),
                      ("today.json", "2026-03-14")):
        base.date = day
        write(out / name, base.model_dump_json())
    os.utime(out / "2026-03-12.json", (2e9, 2e9))  # written last, but an older date
    assert find_previous(out, before="2026-03-14") == out / "2026-03-13.json"
    assert find_previous(out, before="2026-03-12") is None
    runner = CliRunner()
    result = runner.invoke(app, ["daily", str(WIRE), str(LOCAL), "--date", "2026-03-14",
                                 "-o", str(out / "today.md"), "--no-cache"])
    assert result.exit_code == 0, result.output
    memo = (out / "today.md").read_text()
    assert "## What changed since 13 March 2026" in memo
    assert "_Compared with 2026-03-13.json._" in memo
    assert "compared with " in result.stderr and "2026-03-13.json" in result.stderr
    for name in ("2026-03-12.json", "2026-03-13.json"):
        (out / name).unlink()
    result = runner.invoke(app, ["daily", str(WIRE), str(LOCAL), "--date", "2026-03-14",
                                 "-f", "docx", "-o", str(out / "today.docx"), "--no-cache"])
    assert result.exit_code == 0 and "compared with" not in result.stderr  # today.json: no


def test_clean_text_helpers():
    assert quoted("“The Secretary said,” he added.") == "“The Secretary said,” he added.”"
    assert quoted('"Never," she said') == '"Never," she said”'
    assert quoted("plain") == "“plain”"
    assert headline("Do lower gasoline prices make for confident consumers?",
                    "Do lower gasoline prices make for confident consumers?") == \
        (None, "Do lower gasoline prices make for confident consumers?")
    assert headline("The de facto assumption of climate change policy is that the world…",
                    "The de facto assumption of climate change policy is that the world must "
                    "limit warming.")[0] is None
    assert headline("NASA gets $18 billion", "The agency's budget rose.")[0] == \
        "NASA gets $18 billion"
    assert sentence_end("Barely a shot was fired.") == "Barely a shot was fired."
    assert sentence_end("Friend,") == "Friend." and label("Friend,") == "Friend"
    assert prose("| The logo of NASA | Reuters") == "The logo of NASA — Reuters"
    assert clip("one two three four five six seven eight nine ten eleven twelve thirteen "
                "fourteen fifteen…").count("…") == 1
    assert format_date("2026-12-02") == "02 December 2026"
    assert format_date("2026-12-02T10:00:00Z", "%Y-%m-%d") == "2026-12-02"
    assert format_date("last Tuesday") == "last Tuesday"


def _punctuated_brief() -> Brief:
    text = "“The Secretary discussed concerns,” a spokesman said. Barely a shot was fired."
    a = Article(id="s1", text=text, path_or_url="article.txt", title="Barely a shot was fired.")
    b = Article(id="s2", text=text, path_or_url="friend.txt", title="Friend,",
                url="https://example.org/friend", date="2026-11-30")
    first = text.index("Barely")
    q1 = [Evidence(source_id="s1", quote=text[:first - 1], start=0, end=first - 1)]
    q2 = [Evidence(source_id="s2", quote=text[first:], start=first, end=len(text))]
    return Brief(title="Barely a shot was fired.", summary=text[:first - 1],
                 summary_evidence=q1,
                 positions=[Position(party="The spokesman", stance="concerns", evidence=q1)],
                 red_lines=[RedLine(party="Friend,", line="no shot", evidence=q2)],
                 sources=[a.to_source(), b.to_source()],
                 meta=Meta(engine_or_provider="x", created_at="2026-12-02T09:00:00Z",
                           briefer_version="0"))


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("evidence", ["full", "compact"])
def test_no_doubled_punctuation_or_quote_marks_and_one_date_format(fmt, evidence):
    from docx import Document

    doc = _punctuated_brief()
    out = render(doc, fmt, layout=Layout(evidence=evidence))  # type: ignore[arg-type]
    if fmt == "docx":
        assert isinstance(out, bytes)
        text = "\n".join(p.text for p in Document(io.BytesIO(out)).paragraphs)
    else:
        assert isinstance(out, str)
        text = out
    assert not re.search(r"(?<!\.)\.\.(?!\.)", text) and ",," not in text
    assert "““" not in text and "””" not in text and "…." not in text
    assert "02 December 2026" in text and "30 November 2026" in text
    assert "2026-11-30" not in text and "2026-12-02" not in text.replace("/", " ")


def test_date_format_setting_is_used_everywhere(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFER_DATE_FORMAT", "%Y-%m-%d")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 3, 14, 8, tzinfo=timezone.utc)
                                                    .timestamp())))
    runner = CliRunner()
    memo = runner.invoke(app, ["daily", str(WIRE), "--no-cache"]).stdout
    assert memo.startswith("# Daily brief, 2026-03-14\n") and "March" not in memo
    monkeypatch.setenv("BRIEFER_DATE_FORMAT", "no directive")
    bad = runner.invoke(app, ["brief", str(EXAMPLE)])
    assert bad.exit_code == 2 and "date_format" in bad.stderr


def test_daily_summary_line_never_repeats_its_title():
    d = daily([WIRE, ELECTION], cache=None).daily
    for line, story in zip(d.summary, d.stories, strict=True):
        lead, _ = headline(story.title, story.summary)
        assert not line.startswith(f"{story.title}: {story.title}")
        if lead is None:
            assert line == prose(story.summary)


# --- CLI ------------------------------------------------------------------------------------

HELP_ARGS = [[], ["brief"], ["daily"], ["render"], ["eval"], ["providers"], ["providers", "list"],
             ["providers", "check"], ["config", "show"], ["prompts", "list"], ["prompts", "show"],
             ["prompts", "diff"], ["cache", "info"]]


@pytest.mark.parametrize("args", HELP_ARGS, ids=lambda a: " ".join(a) or "briefer")
def test_help_takes_h_and_shows_plain_metavars(args):
    short = CliRunner().invoke(app, [*args, "-h"])
    long = CliRunner().invoke(app, [*args, "--help"])
    assert short.exit_code == 0 and short.stdout == long.stdout
    assert "-h, --help" in short.stdout
    for noise in ("<list[", "{INPUT}", "range>", "<str>", "<int>", "<float>", "<path>",
                  "<file>"):
        assert noise not in short.stdout, noise


def test_brief_help_names_the_inputs_plainly():
    out = CliRunner().invoke(app, ["brief", "-h"]).stdout
    assert "Usage: briefer brief [OPTIONS] INPUT..." in out and "\n  INPUT...  " in out
    assert "--max-items N" in out and "--evidence full|compact|none" in out


@pytest.mark.parametrize("command", [["brief", str(EXAMPLE)], ["daily", str(WIRE)]])
def test_unknown_prompt_is_exit_2_on_the_offline_engine_too(command):
    result = CliRunner().invoke(app, [*command, "--prompt", "brief@9"])
    assert result.exit_code == 2 and "unknown prompt version 'brief@9'" in result.stderr


def test_counts_are_plural_only_when_more_than_one(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["brief", str(EXAMPLE), str(tmp_path / "gone.txt")])
    assert result.exit_code == 3 and "1 of 2 inputs failed" in result.stderr
    result = runner.invoke(app, ["daily", str(WIRE), str(tmp_path / "gone.txt"), "--no-cache"])
    assert result.exit_code == 3 and "1 source failed;" in result.stderr
    assert "1 story from 1 source" in result.stdout


def test_folders_skip_non_articles_and_say_so(tmp_path):
    folder = tmp_path / "clips"
    write(folder / "a.txt", WIRE.read_text())
    for name in ("SOURCES.txt", "GUIDE.md", "README.md", "a.ref.txt", "a.src.txt",
                 "a.dek.txt", "page.expected.txt"):
        write(folder / name, "Not an article. It says where the clips came from.\n")
    result = CliRunner().invoke(app, ["brief", str(folder), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [s["path_or_url"] for s in json.loads(result.stdout)["sources"]] == \
        [str(folder / "a.txt")]
    assert "skipped 7 non-article files in folders:" in result.stderr
    named = CliRunner().invoke(app, ["brief", str(folder / "GUIDE.md"), "-f", "json"])
    assert named.exit_code == 0  # a file named on the command line is read


def test_eval_names_articles_by_their_path_below_the_corpus(tmp_path):
    pytest.importorskip("rouge_score")
    for cluster in ("c1", "c2"):
        write(tmp_path / "corpus" / cluster / "001.txt", (DAILY / "election.txt").read_text()
              if cluster == "c1" else WIRE.read_text())
    write(tmp_path / "corpus" / "GUIDE.md", "# How to annotate\n\nNot an article.\n")
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "corpus"), "--json", "-"])
    assert result.exit_code == 0, result.output
    names = [a["article"] for a in json.loads(result.stdout)["runs"][0]["articles"]]
    assert names == ["c1/001.txt", "c2/001.txt"]
    table = CliRunner().invoke(app, ["eval", str(tmp_path / "corpus")]).stdout
    header = table.splitlines()[1]
    assert header.split()[:2] == ["run", "engine"] and "\t" not in table


def test_eval_without_the_extra_names_the_extra(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "rouge_score" else real(name, *a))
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "needs the eval extra" in result.stderr and "briefer[eval]" in result.stderr
    assert "provider" not in result.stderr


def test_providers_list_with_a_provider_shows_that_one():
    runner = CliRunner()
    only = runner.invoke(app, ["providers", "list", "-p", "openai"])
    assert only.exit_code == 0
    assert [line.split()[0] for line in only.stdout.splitlines()[1:]] == ["openai"]
    bad = runner.invoke(app, ["providers", "list", "-p", "nosuch"])
    assert bad.exit_code == 2 and "unknown provider 'nosuch'" in bad.stderr


# --- README matches --help -------------------------------------------------------------------

def _readme_usage() -> dict[str, set[str]]:
    block = re.search(r"## Usage\n\n```sh\n(.*?)```", (ROOT / "README.md").read_text(),
                      re.DOTALL).group(1)
    options: dict[str, set[str]] = {}
    command = None
    for line in block.splitlines():
        start = re.match(r"briefer (brief|daily|render|eval)\b", line)
        if start:
            command = start.group(1)
        elif not line.startswith(" "):
            command = None
        if command:
            usage = line.split("#")[0]
            options.setdefault(command, set()).update(
                re.findall(r"(--[a-z][a-z0-9-]+)", usage)
                + (["--output"] if re.search(r"\[-o FILE\]", usage) else []))
    return options


@pytest.mark.parametrize("command", ["brief", "daily", "render", "eval"])
def test_readme_usage_lines_match_the_help(command):
    shown = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]+)",
                           CliRunner().invoke(app, [command, "--help"]).stdout)) - {"--help"}
    readme = _readme_usage()[command]
    assert readme <= shown, f"README names options {command} lacks: {readme - shown}"
    # daily and eval sum up the provider options as "[provider options...]"
    summed = {"--provider", "--model", "--base-url", "--prompt", "--profile"}
    missing = shown - readme - (summed if command in ("daily", "eval") else set())
    assert not missing, f"{command} options missing from the README usage: {missing}"


# --- bench scripts --------------------------------------------------------------------------

@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "bench").glob("*.py")
                                          if not p.name.startswith("_")))
def test_every_bench_script_prints_its_usage(script):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--help"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr[-500:]
    if script != "build_injection_heldout2.py":  # takes no arguments: prints its data
        shown = (proc.stdout + proc.stderr).lower()
        assert "usage" in shown or f"python bench/{script}" in shown


# --- pages in LibreOffice (needs soffice and the shared corpus) ------------------------------

SHARED = ROOT.parent / "shared" / "corpus"


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")
                         and (SHARED / "dev").is_dir()),
                    reason="needs soffice, pdfinfo and ../shared/corpus")
def test_the_daily_memo_of_the_dev_clips_fits_in_ten_pages(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "pages.py"), "--keep",
                           str(tmp_path)], capture_output=True, text=True, timeout=600,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    pages = {row.rsplit(None, 1)[0].strip(): int(row.rsplit(None, 1)[1])
             for row in proc.stdout.splitlines() if re.search(r"\d\s*$", row)
             and not row.startswith("saved")}
    daily_pages = next(v for k, v in pages.items() if k.startswith("daily"))
    assert daily_pages <= 10


def test_a_photo_caption_is_not_a_bottom_line():
    from briefer.render.common import bottom_line, is_caption

    assert is_caption("| The logo of NASA, the National Aeronautics and Space Administration.")
    assert is_caption("Photo: Reuters") and not is_caption("The agency got $18 billion.")
    text = "| The logo of NASA. NASA will receive $18 billion for 2015. It is more than asked."
    a = Article(id="s1", text=text, path_or_url="nasa.html", title="NASA Receives $18 Billion")
    spans = [(0, 19), (20, 57), (58, len(text))]
    ev = [Evidence(source_id="s1", quote=text[s:e], start=s, end=e) for s, e in spans]
    brief = Brief(title=a.title, summary=" ".join(e.quote for e in ev), summary_evidence=ev,
                  key_issues=[KeyIssue(issue="The logo of NASA", evidence=ev[:1]),
                              KeyIssue(issue="NASA will receive $18 billion", evidence=ev[1:2])],
                  sources=[a.to_source()],
                  meta=Meta(engine_or_provider="x", created_at="2026-12-02T09:00:00Z",
                            briefer_version="0"))
    summary, evidence = bottom_line(brief)
    assert summary.startswith("NASA will receive") and evidence == ev[1:]
    for fmt in ("md", "html"):
        out = render(brief, fmt)
        assert "logo of NASA" not in out and "| The" not in out  # nor a key issue
        assert "NASA will receive $18 billion" in out.split("Evidence")[0]
    from briefer.story import merge_story

    story = merge_story([a], {"s1": brief})
    assert story.summary == ev[1].quote and story.summary_evidence == [ev[1]]


def test_every_daily_format_lists_the_warnings(tmp_path):
    from docx import Document

    d = _daily_with_everything(tmp_path)
    kind = d.meta.warnings[0].kind
    docx = render(d, "docx")
    assert isinstance(docx, bytes)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "\nWarnings\n" in text and f"⚠ {kind}: " in text
    assert "<h2>Warnings</h2>" in render(d, "html") and "## Warnings" in render(d, "md")


def test_tables_print_brackets_as_text(monkeypatch):
    """A cell like pip install 'briefer[bedrock]' is text, not rich markup."""
    import importlib.util

    from typer.testing import CliRunner

    from briefer.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "langchain_aws" else real(name, *a))
    out = CliRunner().invoke(app, ["providers", "list"]).stdout
    assert "pip install 'briefer[bedrock]'" in out
