"""DOCX and HTML memos, reopened and checked for real (python-docx, LibreOffice, html.parser)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from docx import Document
from typer.testing import CliRunner

from briefer.cli import app
from briefer.daily import daily
from briefer.errors import TemplateError
from briefer.model import Article, Brief, Evidence, Meta, Position, RedLine
from briefer.render import render
from briefer.render.common import Layout
from tests.conftest import EXAMPLE, FIXTURES, ROOT, write

MEMO = {"to": "Deputy Secretary", "from": "Policy Planning Staff",
        "classification": "UNCLASSIFIED // FOR OFFICIAL USE"}
DAILY = FIXTURES / "daily"


def docx_text(data: bytes) -> tuple[str, Document]:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), doc


def body_in_order(doc: Document) -> str:
    """Paragraphs and table cells in document order."""
    out = []
    for block in doc.element.body.iterchildren():
        out.append("".join(t.text or "" for t in block.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
    return "\n".join(out)


def assert_in_order(text: str, needles: list[str]) -> None:
    pos = 0
    for needle in needles:
        found = text.find(needle, pos)
        assert found >= 0, f"{needle!r} missing or out of order"
        pos = found + len(needle)


def test_brief_docx_has_every_item_party_and_citation_in_order(seed_brief):
    data = render(seed_brief, "docx", memo=MEMO)
    _, doc = docx_text(data)
    text = body_in_order(doc)
    assert_in_order(text, ["MEMORANDUM", "TO:", "Deputy Secretary", "FROM:",
                           "Policy Planning Staff", "DATE:", "SUBJECT:", "Bottom line"])
    expected = []
    for k in seed_brief.key_issues:
        expected.append(k.issue)
    for p in seed_brief.positions:
        expected += [p.party, p.stance]
    for r in seed_brief.red_lines:
        expected.append(r.line)
    for n in seed_brief.next_steps:
        expected.append(n.action)
    assert_in_order(text, expected)
    body, evidence = re.split(r"^Evidence$", text, flags=re.MULTILINE)
    cited = [int(n) for n in re.findall(r"\[(\d+)\]", body)]
    listed = [int(n) for n in re.findall(r"^\[(\d+)\] “", evidence, re.MULTILINE)]
    assert set(cited) == set(listed) and listed == sorted(listed)
    assert "\nSources\n" in evidence and "chars " not in evidence  # compact: no offsets
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert MEMO["classification"] in header and MEMO["classification"] in footer
    assert "Page" in footer
    props = doc.core_properties
    assert props.title == seed_brief.title and props.author == "Policy Planning Staff"
    assert props.created is not None
    assert len(doc.tables) == 2  # memo header block, positions by party


def test_without_a_banner_header_and_footer_stay_clean(seed_brief):
    _, doc = docx_text(render(seed_brief, "docx"))
    assert "{%" not in body_in_order(doc)
    assert all("{" not in p.text for p in doc.sections[0].header.paragraphs)


def _hostile() -> Brief:
    quote = "Bad\x00 bytes\x0b here\x1f and\x0c a form feed <w:t> & ]]>"
    article = Article(id="s1", text=quote, path_or_url="a.txt")
    ev = Evidence(source_id="s1", quote=quote, start=0, end=len(quote))
    bad = Evidence(source_id="s1", quote="never said", start=0, end=0, verified=False)
    return Brief(title="Control\x07 chars", summary=quote, summary_evidence=[ev],
                 positions=[Position(party="<script>alert(1)</script>", stance=quote,
                                     evidence=[ev])],
                 red_lines=[RedLine(party="X", line="made up", evidence=[bad])],
                 sources=[article.to_source()],
                 meta=Meta(engine_or_provider="openai", model="m",
                           created_at="2026-01-01T00:00:00Z", briefer_version="0"))


def test_control_characters_and_markup_render_safely():
    text, _ = docx_text(render(_hostile(), "docx"))
    assert "Bad bytes here and a form feed <w:t> & ]]>" in text
    assert "<script>alert(1)</script>" in text  # as text, escaped in the XML
    assert "[unverified: not found in the source]" in text


def test_xml_safe_drops_what_xml_cannot_hold():
    from briefer.render.docx import xml_safe

    assert xml_safe("a\x00b\ud800c\x1fd\ufffe e\n f") == "abcd e f"


def test_daily_docx(tmp_path):
    d = daily([DAILY, tmp_path / "missing.txt"], cache=None).daily
    text, doc = docx_text(render(d, "docx", memo=MEMO))
    order = body_in_order(doc)
    assert_in_order(order, ["Executive summary", "1. " + d.stories[0].title,
                            "2. " + d.stories[1].title, "Not included",
                            "Evidence", "Sources"])
    text, doc = docx_text(render(d, "docx", memo=MEMO, layout=Layout(max_items=None)))
    for story in d.stories:
        for _, item in story.items():
            main = getattr(item, "stance", None) or getattr(item, "line", None) or \
                getattr(item, "action", None) or item.issue
            assert main in text
    assert "missing.txt: no such file or folder" in text


def test_broken_user_template_names_the_tag_and_writes_nothing(tmp_path, seed_brief):
    from docx import Document as New

    doc = New()
    doc.add_paragraph("{{ summary }")
    doc.add_paragraph("{%p for x in %}")
    bad = tmp_path / "broken.docx"
    doc.save(bad)
    with pytest.raises(TemplateError, match=r"template broken\.docx: bad tag"):
        render(seed_brief, "docx", template=bad)
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-f", "docx", "--template",
                                      str(bad), "-o", str(out)])
    assert result.exit_code == 2 and "template broken.docx" in result.stderr
    assert not out.exists()
    notdocx = write(tmp_path / "plain.docx", "not a zip")
    with pytest.raises(TemplateError, match="cannot be used as a Word template"):
        render(seed_brief, "docx", template=notdocx)


def test_user_docx_template_renders_sandboxed(tmp_path, seed_brief):
    from docx import Document as New

    doc = New()
    doc.add_paragraph("Letterhead of the Ministry")
    doc.add_paragraph("{{ memo.subject }}: {{ summary }}")
    doc.add_paragraph("{{ summary.__class__.__mro__ }}")
    tpl = tmp_path / "letterhead.docx"
    doc.save(tpl)
    with pytest.raises(TemplateError, match="unsafe"):
        render(seed_brief, "docx", template=tpl)


def test_templates_are_reproducible_from_the_script(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build-templates"), str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("memo.docx", "daily.docx"):
        assert (tmp_path / name).read_bytes() == (ROOT / "templates" / name).read_bytes(), name


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler-utils are not installed; "
                           ".ci/run installs them where apt-get can")
def test_libreoffice_opens_the_docx_and_the_pdf_has_the_content(tmp_path, seed_brief):
    path = tmp_path / "memo.docx"
    path.write_bytes(render(seed_brief, "docx", memo=MEMO))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "memo.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 8
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    flat = " ".join(text.split())
    for needle in ("MEMORANDUM", "UNCLASSIFIED // FOR OFFICIAL USE", "Bottom line",
                   "Wang Yi", "Janet Yellen", "Evidence", "Sources", f"Page 1 of {pages}"):
        assert needle in flat, needle


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_has_every_item(seed_brief):
    page = render(seed_brief, "html", memo=MEMO)
    parser = _Collect()
    parser.feed(page)
    text = " ".join("".join(parser.text).split())
    for _, item in seed_brief.items():
        main = getattr(item, "stance", None) or getattr(item, "line", None) or \
            getattr(item, "action", None) or item.issue
        assert " ".join(main.split()) in text
    assert "<style>" in page and "@media print" in page and "<link" not in page
    assert parser.scripts == 0
    assert all(href.startswith(("#", "http")) for href in parser.links)
    assert MEMO["classification"] in text


def test_html_escapes_hostile_text_and_links():
    brief = _hostile()
    brief.sources[0].url = "javascript:alert(1)"
    page = render(brief, "html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "(unverified)" in page and "(not found in the source)" in page


def test_render_command_from_saved_json(tmp_path, seed_brief):
    saved = write(tmp_path / "brief.json", seed_brief.model_dump_json())
    runner = CliRunner()
    for fmt in ("md", "json", "html", "docx"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(app, ["render", str(saved), "-f", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    d = daily([DAILY], cache=None).daily
    saved_daily = write(tmp_path / "daily.json", d.model_dump_json())
    result = runner.invoke(app, ["render", str(saved_daily), "-f", "md"])
    assert result.exit_code == 0 and "## Executive summary" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    ('{"title": 1}', "not a valid brief: title"),
    ("{not json", "not JSON"),
    ('{"stories": [], "title": "t"}', "not a valid daily brief"),
])
def test_render_rejects_bad_json(tmp_path, content, message):
    saved = write(tmp_path / "x.json", content)
    out = tmp_path / "out.md"
    result = CliRunner().invoke(app, ["render", str(saved), "-o", str(out)])
    assert result.exit_code == 2 and message in result.stderr
    assert not out.exists()


def test_docx_needs_an_output_file():
    result = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-f", "docx"])
    assert result.exit_code == 2 and "give -o FILE.docx" in result.stderr


def test_house_templates_from_config_folder(tmp_path, monkeypatch):
    """templates_dir in briefer.toml: files found there replace the shipped templates."""
    from docx import Document as New

    house = tmp_path / "house"
    write(house / "brief.md.j2", "HOUSE STYLE {{ brief.title }}\n")
    doc = New()
    doc.add_paragraph("MINISTRY LETTERHEAD")
    doc.add_paragraph("{{ summary }}")
    doc.save(house / "memo.docx")
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "briefer.toml", f'templates_dir = "{house}"\n')
    runner = CliRunner()
    md = runner.invoke(app, ["brief", str(EXAMPLE)])
    assert md.stdout.startswith("HOUSE STYLE Antony Blinken raised")
    out = tmp_path / "m.docx"
    assert runner.invoke(app, ["brief", str(EXAMPLE), "-f", "docx", "-o", str(out)]).exit_code == 0
    assert "MINISTRY LETTERHEAD" in docx_text(out.read_bytes())[0]
    html = runner.invoke(app, ["brief", str(EXAMPLE), "-f", "html"])  # none there: shipped
    assert "<!DOCTYPE html>" in html.stdout
    explicit = write(tmp_path / "mine.md.j2", "MINE\n")
    assert runner.invoke(app, ["brief", str(EXAMPLE), "--template", str(explicit)]
                         ).stdout == "MINE\n"  # the flag wins over config


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_next_step_nobody_is_named_for_has_no_label_and_no_dangling_colon(seed_brief, fmt):
    from briefer.model import NextStep

    brief = seed_brief.model_copy(deep=True)
    ev = brief.next_steps[0].evidence
    brief.next_steps = [NextStep(actor=None, action="Talks resume in Geneva on Monday",
                                 evidence=ev)]
    out = render(brief, fmt, **({"memo": MEMO} if fmt == "docx" else {}))
    text = body_in_order(docx_text(out)[1]) if fmt == "docx" else out
    assert "Talks resume in Geneva on Monday" in text
    assert "Pending" not in text
    assert "Talks resume in Geneva on Monday:" not in text
