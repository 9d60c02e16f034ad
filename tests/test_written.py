"""What a model wrote and what a story adds, rendered: bottom lines sentence by sentence with
their citations (an unverified one marked, never passed off as fact), the daily's bullets
linking to their stories, "where sources differ", usage and sentence counts in the colophon."""

from __future__ import annotations

import html as html_module
import io
import re
from datetime import datetime, timezone

import pytest
from docx import Document

from briefer.cache import Cache
from briefer.daily import daily
from briefer.model import DailyBrief, Grounding, Meta, Prose
from briefer.render import render
from briefer.render.common import Layout
from briefer.render.written import grounding_line, usage_line
from tests.conftest import write

VERIFIED = "The two reports agree that the market strike killed civilians."
UNVERIFIED = "Rescue teams will search the rubble until Friday."
BULLET = "Kharkiv's death toll is disputed between officials and the governor."
LOOSE = "Talks on the harbour are stalled."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def conflicting(tmp_path_factory) -> DailyBrief:
    """Two reports of one strike that disagree on the toll, and an unrelated election."""
    folder = tmp_path_factory.mktemp("clips")
    write(folder / "a.txt", "Market strike in Kharkiv kills 12\n\nOfficials said 12 people were "
          "killed in the strike on a market in Kharkiv on Tuesday. The mayor said rescue "
          "work would continue through the night.\n")
    write(folder / "b.txt", "Kharkiv market strike: 15 dead\n\nThe strike on a market in "
          "Kharkiv killed 15 people, the regional governor said on Tuesday. The mayor said "
          "rescue work would continue through the night in Kharkiv.\n")
    write(folder / "c.txt", "Valmora votes\n\nVoters in Valmora elected a new parliament on "
          "Sunday, the electoral commission said. Turnout was the highest in a decade.\n")
    return daily([folder / "a.txt", folder / "b.txt", folder / "c.txt"],
                 cache=Cache(folder / "c.sqlite3")).daily


@pytest.fixture()
def written(conflicting) -> DailyBrief:
    """The same daily as a model would leave it: prose with citations, one sentence whose
    citations did not verify, usage and sentence counts."""
    d = conflicting.model_copy(deep=True)
    strike = d.stories[0]
    strike.bottom_line = [Prose(text=VERIFIED, evidence=strike.key_issues[0].evidence,
                                verified=True),
                          Prose(text=UNVERIFIED, verified=False)]
    d.bottom_line = [Prose(text=BULLET, evidence=strike.differences[0].claims[0].evidence,
                           cites=[strike.id], verified=True),
                     Prose(text=LOOSE, cites=[d.stories[1].id], verified=False)]
    d.meta.usage.update(calls=4, input_tokens=12345, output_tokens=678)
    d.meta.grounding = Grounding(items=9, verified=9, rate=1.0, sentences=5,
                                 sentences_verified=3, sentences_dropped=1)
    return d


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join("".join(t.text or "" for t in block.iter(f"{W}t"))
                     for block in doc.element.body.iterchildren())


def test_the_offline_merge_reports_where_the_sources_differ(conflicting):
    strike = conflicting.stories[0]
    assert strike.source_ids == ["s1", "s2"]
    (toll,) = strike.differences
    assert toll.about == "the number of people"
    assert [c.evidence[0].source_id for c in toll.claims] == ["s1", "s2"]
    assert "12 people" in toll.claims[0].text and "15 people" in toll.claims[1].text
    rescue = [x for _, x in strike.items() if "rescue work" in x.evidence[0].quote]
    assert [e.source_id for e in rescue[0].evidence] == ["s1", "s2"]  # one item, both cited


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_every_format_shows_where_sources_differ_with_each_side_cited(conflicting, fmt):
    out = render(conflicting, fmt)
    text = _docx_text(out) if isinstance(out, bytes) else out
    block = text[text.index("Where sources differ"):]
    assert "The number of people" in block
    assert re.search(r"s1: “Officials said 12 people were killed.*s2: “… on a market in "
                     r"Kharkiv killed 15 people", block, re.S)


def test_markdown_renders_a_models_prose_sentence_by_sentence(written):
    md = render(written, "md")
    assert "## Executive summary" not in md
    head = md[md.index("## Bottom line"):md.index("## 1.")]
    bullet = next(line for line in head.splitlines() if BULLET in line)
    assert re.search(r"\[\\\[\d+\\\]\]\(#e\d+\) \(see \[story 1\]\(#story-1\)\)$", bullet)
    loose = next(line for line in head.splitlines() if LOOSE in line)
    assert loose.endswith("_(unverified)_ (see [story 2](#story-2))")
    assert '<a id="story-1"></a>' in md and '<a id="story-2"></a>' in md
    story = md[md.index("## 1."):md.index("### Key issues")]
    assert re.search(re.escape(VERIFIED) + r" \[\\\[\d+\\\]\]\(#e\d+\)", story)
    assert UNVERIFIED + " _(unverified)_" in story
    assert ("3/5 written sentences verified, 1 dropped; 4 model calls, 12,345 input and 678 "
            "output tokens") in md.splitlines()[-1]


def test_html_marks_an_unverified_sentence_and_links_bullets_to_stories(written):
    html = render(written, "html")
    assert re.search(re.escape(LOOSE) + r'</span> <span class="unverified">\(unverified\)'
                     r'</span> \(see <a href="#story-2">story 2</a>\)', html)
    assert 'id="story-1"' in html and 'id="story-2"' in html
    assert re.search(re.escape(VERIFIED) + r'</span><sup><a href="#e\d+"', html)
    assert "Executive summary" not in html
    footer = html[html.index("<footer"):]
    assert "3/5 written sentences verified, 1 dropped; 4 model calls" in footer


def test_docx_marks_an_unverified_sentence_and_links_bullets_to_stories(written):
    data = render(written, "docx")
    text = _docx_text(data)
    assert f"{LOOSE} (unverified) (see story 2)" in text
    assert f"{UNVERIFIED} (unverified)" in text
    assert "Executive summary" not in text and "Bottom line" in text
    xml = Document(io.BytesIO(data)).element.xml
    assert 'w:anchor="story-2"' in xml and 'w:name="story-2"' in xml  # the link lands
    assert "4 model calls, 12,345 input and 678 output tokens" in text


def test_a_model_bottom_line_for_a_story_beyond_the_summary_or_a_hidden_one(written):
    many = written.model_copy(deep=True)
    many.bottom_line[1].cites = ["story-9"]  # a story the memo does not show
    md = render(many, "md", layout=Layout(max_stories=1))
    assert "(see story 9 (not shown))" in md
    assert "## 2." not in md


def test_a_brief_with_a_models_bottom_line(seed_brief):
    brief = seed_brief.model_copy(deep=True)
    brief.bottom_line = [Prose(text="Blinken and Wang agreed to keep talking.",
                               evidence=brief.key_issues[0].evidence, verified=True),
                         Prose(text="A summit is planned for spring.", verified=False)]
    md = render(brief, "md")
    line = next(x for x in md.splitlines() if x.startswith("**Bottom line:**"))
    assert re.fullmatch(r"\*\*Bottom line:\*\* Blinken and Wang agreed to keep talking\. "
                        r"\[\\\[1\\\]\]\(#e1\) A summit is planned for spring\. "
                        r"_\(unverified\)_", line)
    html = render(brief, "html")
    bluf = html[html.index('<p class="bluf"'):].split("</p>")[0]
    assert re.search(r'spring\.</span> <span class="unverified">\(unverified\)</span>$', bluf)
    assert "A summit is planned for spring. (unverified)" in _docx_text(render(brief, "docx"))


def test_a_brief_whose_model_sentences_all_failed_says_so_not_that_it_has_no_prose(seed_brief):
    brief = seed_brief.model_copy(deep=True)
    brief.bottom_line, brief.summary, brief.summary_evidence = [], "", []
    brief.meta.grounding = Grounding(items=3, verified=3, rate=1.0, sentences=2,
                                     sentences_verified=0, sentences_dropped=2)
    said = "the model's 2 sentences for it did not verify against the source and were dropped"
    for fmt in ("md", "html"):
        memo = html_module.unescape(str(render(brief, fmt)))
        assert said in memo and "holds no prose" not in memo, fmt
    assert said[1:] in _docx_text(render(brief, "docx"))
    brief.meta.grounding = Grounding(items=3, verified=3, rate=1.0)  # the extractive engine
    assert "the source holds no prose sentences" in render(brief, "md")


def test_without_a_model_the_executive_summary_stays(conflicting):
    md = render(conflicting, "md")
    assert "## Executive summary" in md and "## Bottom line" not in md
    assert "<a id=\"story-1\"></a>" not in md and "(unverified)" not in md


def _meta(**usage: int) -> Meta:
    return Meta(engine_or_provider="openai", created_at=datetime(2026, 12, 2, tzinfo=timezone.utc),
                briefer_version="0", usage=usage)


def test_usage_line_names_calls_tokens_and_cost_only_when_a_model_was_called():
    assert usage_line(_meta(articles=3, cache_hits=3)) == ""
    assert usage_line(_meta(calls=1)) == "1 model call"
    assert usage_line(_meta(calls=3, input_tokens=1000, output_tokens=20,
                            cost_microusd=12_300)) == (
        "3 model calls, 1,000 input and 20 output tokens, $0.0123")
    priced = _meta(calls=2)
    priced.params["cost_usd"] = 0.5
    assert usage_line(priced) == "2 model calls, $0.5000"


def test_grounding_line_adds_sentence_counts_only_when_there_are_sentences():
    meta = _meta()
    meta.grounding = Grounding(items=17, verified=17, rate=1.0)
    assert grounding_line(meta) == "17/17 items grounded in the source"
    meta.grounding = Grounding(items=4, verified=3, rate=0.75, sentences=2,
                               sentences_verified=2)
    assert grounding_line(meta) == ("3/4 items grounded in the source; 2/2 written sentences "
                                    "verified")
