from __future__ import annotations

import json
import re

import pytest

from briefer.errors import TemplateError, UsageError
from briefer.model import Article, Brief, Evidence, Meta, Position, RedLine
from briefer.render import render
from briefer.render.markdown import md_escape


def test_markdown_memo_has_every_section_and_numbered_citations(seed_brief):
    text = render(seed_brief, "md")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == ["Key issues", "Positions", "Red lines", "Next steps", "Evidence",
                        "Sources"]
    evidence = text.split("## Evidence", 1)[1]
    entries = re.findall(r'^- <a id="e(\d+)"></a>\[(\d+)\] ', evidence, re.MULTILINE)
    assert entries and all(a == b for a, b in entries)  # each entry is its own anchor
    listed = [int(n) for n, _ in entries]
    assert listed == list(range(1, len(listed) + 1))
    body = text.split("## Evidence", 1)[0]
    cited = {int(n) for n in re.findall(r"\[\\\[(\d+)\\\]\]\(#e\1\)", body)}
    assert cited == set(listed)  # every citation links to its entry, every quote is cited
    for _, item in seed_brief.items():
        assert item.evidence[0].quote.split()[0] in evidence


def test_citation_points_at_the_quote_of_its_item(seed_brief):
    text = render(seed_brief, "md")
    line = next(ln for ln in text.splitlines() if ln.startswith("- **Janet Yellen**") and
                "not acceptable" in ln)
    number = re.findall(r"\]\(#e(\d+)\)", line)[-1]
    quote_line = next(ln for ln in text.splitlines()
                      if ln.startswith(f'- <a id="e{number}"></a>[{number}] '))
    assert "not acceptable to the rest of the world" in quote_line


def test_empty_sections_say_so_instead_of_padding():
    article = Article(id="s1", text="Nothing much happened today in the town hall.",
                      path_or_url="a.txt")
    brief = Brief(title="Quiet", summary="", sources=[article.to_source()],
                  meta=Meta(engine_or_provider="extractive", created_at="2026-01-01T00:00:00Z",
                            briefer_version="0"))
    text = render(brief)
    assert text.count("_None found in the source._") == 4


def _hostile_brief() -> Brief:
    quote = "Click ![x](http://evil.example/p.png) <script>alert(1)</script> **now**"
    article = Article(id="s1", text=quote, path_or_url="a.txt")
    evidence = [Evidence(source_id="s1", quote=quote, start=0, end=len(quote))]
    return Brief(
        title="# Fake heading\n## injected", summary=quote, summary_evidence=evidence,
        positions=[Position(party="[link](http://evil.example)", stance=quote,
                            evidence=evidence)],
        red_lines=[RedLine(line="x", evidence=[Evidence(source_id="s1", quote="Click",
                                                         start=0, end=5, verified=False)])],
        sources=[article.to_source()],
        meta=Meta(engine_or_provider="extractive", created_at="2026-01-01T00:00:00Z",
                  briefer_version="0"))


def test_source_text_cannot_inject_markdown_or_html():
    text = render(_hostile_brief())
    escaped = (r"Click !\[x\](http://evil.example/p.png) \<script\>alert(1)\</script\> "
               r"\*\*now\*\*")
    mark = r"[\[1\]](#e1)"
    assert f"- **\\[link\\](http://evil.example)**: {escaped} {mark}\n" in text
    assert f"**Bottom line:** {escaped} {mark}\n" in text
    assert "<script>" not in text and "![x](" not in text
    assert text.startswith("# # Fake heading ## injected\n")  # newline folded: no new block


def test_unverified_evidence_is_visibly_marked():
    text = render(_hostile_brief())
    assert "⚠ *unverified*" in text and "⚠ *not found in the source*" in text


def test_json_output_is_the_model(seed_brief):
    data = json.loads(render(seed_brief, "json"))
    assert Brief.model_validate(data) == seed_brief


def test_unknown_format():
    with pytest.raises(UsageError, match="unknown format 'pdf'"):
        render(_hostile_brief(), "pdf")


def test_user_template_is_sandboxed_and_strict(tmp_path, seed_brief):
    good = tmp_path / "good.md.j2"
    good.write_text("{{ brief.title }}|{{ brief.positions | length }}|"
                    "{{ cite(brief.positions[0]) }}")
    assert render(seed_brief, template=good).startswith(md_escape(seed_brief.title) + "|")
    missing = tmp_path / "missing.md.j2"
    missing.write_text("{{ nope }}")
    with pytest.raises(TemplateError, match="'nope' is undefined"):
        render(seed_brief, template=missing)
    unsafe = tmp_path / "unsafe.md.j2"
    unsafe.write_text("{{ brief.__class__.__init__.__globals__ }}")
    with pytest.raises(TemplateError, match="unsafe"):
        render(seed_brief, template=unsafe)
    broken = tmp_path / "broken.md.j2"
    broken.write_text("line one\n{% for x in %}")
    with pytest.raises(TemplateError, match=r"broken.md.j2:2"):
        render(seed_brief, template=broken)
    with pytest.raises(TemplateError, match="no such file"):
        render(seed_brief, template=tmp_path / "absent.j2")


def test_md_escape():
    assert md_escape("a*b_c [d](e) <f> `g` |h| ~i~ \\") == (
        r"a\*b\_c \[d\](e) \<f\> \`g\` \|h\| \~i\~ \\")
    assert md_escape(None) == ""
    assert md_escape("two\nlines") == "two lines"


@pytest.mark.parametrize(("body", "message"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "ran longer than"),
    ("{{ 'x' * 100000000 }}", "repetition result too large"),
    ("{% for i in range(10**9) %}{% endfor %}", "exponent too large|too big"),
    ("{% for i in range(99999) %}{{ 'y' * 1000 }}{% endfor %}", "output larger than"),
    ("{{ brief.__class__.__mro__ }}", "unsafe|access to attribute"),
])
def test_runaway_user_templates_fail_cleanly(tmp_path, seed_brief, monkeypatch, body, message):
    import time

    from briefer import sandbox

    monkeypatch.setattr(sandbox, "SECONDS", 1.0)
    monkeypatch.setattr(sandbox, "MAX_CHARS", 50_000_000)
    tpl = tmp_path / "evil.md.j2"
    tpl.write_text(body)
    start = time.perf_counter()
    with pytest.raises(TemplateError, match=message):
        render(seed_brief, template=tpl)
    assert time.perf_counter() - start < 10
