from __future__ import annotations

import io

import pytest

from briefer.errors import InputError
from briefer.ingest import load, read_article
from briefer.model import sha256_text
from tests.conftest import EXAMPLE, FIXTURES, write

ARTICLE = "Leaders met on Friday. They agreed to talk again next week.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16"),
        (ARTICLE.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        (ARTICLE.encode("utf-32"), "utf-32"),
    ],
)
def test_unicode_encodings_and_boms(data, encoding):
    article = read_article(data, "a.txt")
    assert article.encoding == encoding
    assert article.text == ARTICLE.strip()


def test_cp1252_fallback_keeps_smart_quotes_and_accents():
    data = "Caf\u00e9 talks \u201cstalled\u201d \u2013 again.".encode("cp1252")
    article = read_article(data, "a.txt")
    assert article.encoding == "cp1252"
    assert article.text == "Café talks “stalled” – again."


def test_latin1_fallback_for_bytes_cp1252_cannot_decode():
    article = read_article(b"Stra\xdfe \x81 ok.", "a.txt")
    assert article.encoding == "latin-1"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty or whitespace-only"),
        (b"  \n\t \r\n", "empty or whitespace-only"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
        (b"%PDF-1.7\n%\xe2\xe3", "binary file (PDF document)"),
        (b"PK\x03\x04\x14\x00", "binary file (ZIP archive"),
        (b"some text\x00with NUL bytes", "binary file (binary data)"),
        (bytes(range(1, 32)) * 20, "binary data (too many control characters)"),
    ],
)
def test_bad_bytes_are_rejected_with_a_reason(data, reason):
    with pytest.raises(InputError) as info:
        read_article(data, "bad.txt")
    assert str(info.value).startswith("bad.txt: ")
    assert reason in str(info.value)


def test_text_is_normalised_before_hashing():
    article = read_article("A  b\r\n\r\n\r\nc\u0301.".encode(), "a.txt")
    assert article.text == "A b\n\nć."
    assert article.sha256 == sha256_text("A b\n\nć.")
    assert article.to_source().chars == len(article.text)


def test_title_from_first_line_heading_or_a_headline_made_from_the_lead():
    assert read_article(b"Short Headline\nBody text here.", "a.txt").title == "Short Headline"
    assert read_article(b"# Markdown Head\n\nBody text here.", "a.md").title == "Markdown Head"
    long = read_article(EXAMPLE.read_bytes(), "x.txt").title  # no headline: made from the lead
    assert long == "Antony Blinken raised concerns about China’s support for Russia’s military"
    # never a sentence cut with an ellipsis, never a fragment or a dateline
    for text in ("Friend,\nWe write to you about the vote on the harbour bill next week.",
                 "Barely a shot was fired.\nThe rebels took the town without a fight on Monday."):
        title = read_article(text.encode(), "a.txt").title
        assert "…" not in title and not title.endswith(",")
    wire = b"BRUSSELS (Reuters) - European leaders argued through the night but reached no deal."
    assert read_article(wire, "w.txt").title.startswith("European leaders argued")


@pytest.mark.parametrize("front", [
    "---\ntitle: Harbour talks stall\ndate: 2026-03-14\n---\n",
    "---\n  title: Harbour talks stall\n  des: a summary\n  page_first_p: x\n---\n",
    "---\ntitle: >\n  Harbour talks\n  stall\n---\n",
    "---\ntitle: \"Harbour talks stall\"\n---\n",
    "---\nheadline: Harbour talks stall\n---\n",
    "---\nog:title: Harbour talks stall\n---\n",
])
def test_front_matter_in_any_yaml_form_gives_the_title(front):
    article = read_article((front + "Negotiators failed to agree on quotas.\n").encode(), "a.md")
    assert article.title == "Harbour talks stall"
    assert "des:" not in article.text and "---" not in article.text


def test_markdown_front_matter_supplies_metadata_and_is_not_text():
    article = read_article((FIXTURES / "clip.md").read_bytes(), "clip.md")
    assert article.format == "markdown"
    assert article.title == "Harbour talks stall over fishing quotas"  # site name dropped
    assert article.url == "https://news.example.org/world/harbour-talks-stall"
    assert article.date == "2026-03-14"
    assert "word_count" not in article.text and "---" not in article.text


def test_scraped_markdown_boilerplate_and_markup_are_dropped():
    text = read_article((FIXTURES / "clip.md").read_bytes(), "clip.md").text
    for furniture in ("Facebook", "Sign up", "newsletter", "cookies", "[Home]", "Home World",
                      "trawler", "https://", "**"):
        assert furniture not in text, furniture
    assert "Negotiators from Norland and Sudmark failed" in text
    assert "documented by the joint survey." in text  # link text kept, URL dropped


def test_front_matter_in_a_txt_file_is_recognised():
    data = b'---\ntitle: "Clipped"\nsource: https://x.example/a\n---\n\nBody sentence here.\n'
    article = read_article(data, "clip.txt")
    assert (article.title, article.url, article.text) == (
        "Clipped", "https://x.example/a", "Body sentence here.")


def test_dashes_that_are_not_yaml_front_matter_stay_text():
    data = b"---\njust a rule, not yaml: [\n---\nBody.\n"
    assert "just a rule" in read_article(data, "a.txt").text


def test_html_main_text_and_title_via_trafilatura():
    article = read_article((FIXTURES / "page.html").read_bytes(), "page.html")
    assert article.format == "html"
    assert article.title == "Grid operator warns of winter shortfall"
    assert article.text.startswith("Grid operator warns of winter shortfall")
    assert "national grid operator warned on Monday" in article.text
    for boilerplate in ("tracking", "Subscribe", "Most read", "All rights reserved", "Markets",
                        "console.log"):
        assert boilerplate not in article.text, boilerplate


def test_html_is_sniffed_without_the_suffix():
    data = b"<!doctype html><html><head><title>T</title></head><body><article>" + (
        b"<p>The council voted on Tuesday to close the old bridge to heavy traffic.</p>"
        b"<p>Engineers said the structure had deteriorated faster than expected.</p>"
        b"</article></body></html>")
    assert read_article(data, "page.txt").format == "html"


def test_html_with_only_scripts_and_navigation_is_an_input_error():
    data = (b"<html><head><script>var a = 1;</script></head><body><nav><a href='/'>Home</a>"
            b"</nav><script>track()</script></body></html>")
    with pytest.raises(InputError, match="no article text found"):
        read_article(data, "empty.html")


def test_folders_are_searched_recursively_and_sorted(tmp_path):
    write(tmp_path / "b.txt", "Second article text here.")
    write(tmp_path / "sub" / "a.md", "First article text here.")
    write(tmp_path / "sub" / "image.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path / ".hidden" / "c.txt", "Hidden.")
    loaded = load([tmp_path])
    assert [a.path_or_url for a in loaded.articles] == [
        str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.md")]
    assert [a.id for a in loaded.articles] == ["s1", "s2"]
    assert loaded.failures == []


def test_one_bad_input_does_not_sink_the_batch(tmp_path):
    good = write(tmp_path / "good.txt", ARTICLE)
    empty = write(tmp_path / "empty.txt", "   ")
    loaded = load([empty, tmp_path / "missing.txt", good, tmp_path / "nothing-here"])
    assert [a.path_or_url for a in loaded.articles] == [str(good)]
    reasons = [str(f) for f in loaded.failures]
    assert reasons[0].endswith("empty or whitespace-only input")
    assert reasons[1].endswith("missing.txt: no such file or folder")
    assert len(reasons) == 3


def test_empty_folder_is_reported(tmp_path):
    (tmp_path / "none").mkdir()
    loaded = load([tmp_path / "none"])
    assert loaded.articles == []
    assert "folder holds no article files" in str(loaded.failures[0])


def test_same_file_twice_is_read_once(tmp_path):
    good = write(tmp_path / "good.txt", ARTICLE)
    assert len(load([good, str(good), tmp_path]).articles) == 1


def test_stdin_dash():
    loaded = load(["-"], stdin=io.BytesIO(ARTICLE.encode()))
    assert loaded.articles[0].path_or_url == "<stdin>"
    assert loaded.articles[0].text == ARTICLE.strip()


def test_size_limit_is_enforced_without_reading_everything(tmp_path):
    big = write(tmp_path / "big.txt", b"word " * 5000)
    loaded = load([big], max_bytes=10_000)
    assert "limit is" in str(loaded.failures[0])
    loaded = load(["-"], stdin=io.BytesIO(b"word " * 5000), max_bytes=10_000)
    assert "exceeds the limit" in str(loaded.failures[0])


def test_unreadable_file(tmp_path, monkeypatch):
    from pathlib import Path

    secret = write(tmp_path / "secret.txt", ARTICLE)
    real_open = Path.open

    def deny(self, *args, **kwargs):  # chmod 000 does not stop root, so fail the open itself
        if self == secret:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert str(load([secret]).failures[0]) == f"{secret}: permission denied"


def test_the_same_html_text_twice_extracts_twice():
    """trafilatura's deduplicate option kept a process-wide memory of paragraphs."""
    data = (FIXTURES / "page.html").read_bytes()
    first = read_article(data, "a.html")
    second = read_article(data, "b.html")
    assert first.text == second.text


def test_markdown_links_in_a_txt_scrape_are_recognised():
    data = (b"[Skip to content](https://news.example.org/a#main)\n[Home](https://news.example.org/)\n"
            b"# Talks resume in Geneva\n\nNegotiators met again on Monday, the "
            b"[ministry](https://gov.example/m) said.\n")
    article = read_article(data, "scrape.txt")
    assert article.format == "markdown"
    assert "Negotiators met again on Monday, the ministry said." in article.text
    assert "](" not in article.text and "Skip to content" not in article.text


def test_a_scraped_headline_and_standfirst_in_bold_are_two_lines_and_a_caption_goes():
    raw = ('---\ntitle: "Deadline set for talks, minister says  : NPR"\n---\n\n'
           '**Deadline set for talks, minister says** **"We want a deal by June," the '
           'minister said on Friday.**\n'
           'The minister speaks in Kyiv, Tuesday, Feb. 3, 2026. Jane Doe/AP hide caption\n'
           'KYIV — The talks will resume next week, the minister said.\n'
           'Some **bold** words and **more** in a sentence stay one line.\n')
    article = read_article(raw.encode(), "clip.md")
    assert article.title == "Deadline set for talks, minister says"  # no " : NPR"
    lines = article.text.splitlines()
    assert lines[:2] == ["Deadline set for talks, minister says",
                         '"We want a deal by June," the minister said on Friday.']
    assert "hide caption" not in article.text
    assert "Some bold words and more in a sentence stay one line." in lines
