"""Titles (briefer/titles.py) and front matter (briefer/frontmatter.py), on synthetic inputs."""

from __future__ import annotations

import pytest

from briefer import titles
from briefer.frontmatter import meta_str, split_front_matter
from briefer.ingest.load import read_article

BODY = ("\nThe ministers met in Geneva on Monday and agreed a ceasefire plan for the region.\n\n"
        "More talks follow next week.\n")


@pytest.mark.parametrize(("head", "expected"), [
    ("  ---\n  title: Indented Title\n  des: a standfirst\n  page_first_p: first\n  ---\n",
     "Indented Title"),
    ("---\ntitle: >\n  Folded title that\n  spans two lines\n---\n",
     "Folded title that spans two lines"),
    ("---\ntitle: |\n  Literal title\n---\n", "Literal title"),
    ("---\ntitle: 'It''s quoted'\n---\n", "It's quoted"),
    ("---\ntitle: \"Talks: a quoted colon\"\n---\n", "Talks: a quoted colon"),
    ("---\nheadline: Headline Key\n---\n", "Headline Key"),
    ("---\nog:title: Open Graph Key\n---\n", "Open Graph Key"),
    ("---\nog:\n  title: Nested Open Graph\n---\n", "Nested Open Graph"),
    ("---\r\ntitle: Windows Line Ends\r\ndate: 2024-01-02\r\n---\r\n", "Windows Line Ends"),
])
def test_front_matter_in_any_yaml_form_gives_the_title(head: str, expected: str) -> None:
    for name in ("clip.md", "clip.txt"):
        article = read_article((head + BODY).encode(), name)
        assert article.title == expected
        assert article.text.startswith("The ministers met in Geneva")
        assert "des:" not in article.text and "title" not in article.text


def test_meta_str_skips_mappings_and_takes_a_list_first_text() -> None:
    meta, _ = split_front_matter("---\ntitle: {a: 1}\nheadline:\n  - First\n  - Second\n---\nx")
    assert meta_str(meta, "title", "headline") == "First"
    assert meta_str({"og": {"title": "Deep"}}, "og:title") == "Deep"
    assert meta_str({"title": True}, "title") is None


def test_html_title_and_og_title() -> None:
    page = ("<html><head><title>Page Title | Site</title>"
            "<meta property='og:title' content='Open Graph Page Title'></head><body><article>"
            f"<p>{BODY * 3}</p></article></body></html>")
    assert read_article(page.encode(), "page.html").title == "Open Graph Page Title"
    bare = page.replace("<meta property='og:title' content='Open Graph Page Title'>", "")
    assert read_article(bare.encode(), "page.html").title == "Page Title"


def test_headline_like_first_line_is_the_title() -> None:
    text = "Leaders Agree Ceasefire Plan in Geneva\n\nThe ministers met on Monday in Geneva."
    assert read_article(text.encode(), "a.txt").title == "Leaders Agree Ceasefire Plan in Geneva"


def test_a_letter_opening_is_not_the_title() -> None:
    text = ("Friend,\n\nI was touched that you asked for my advice about going into politics. "
            "Anyone who tried it knows how short such careers can be.\n")
    title = read_article(text.encode(), "letter.txt").title
    assert title == "I was touched that you asked for my advice about going into politics"


def test_a_teaser_opening_gives_way_to_the_sentence_that_tells_the_story() -> None:
    text = ("Barely a shot was fired.\n\nThe publisher Northwind announced a peaceful settlement "
            "with an online retailer on Thursday over the pricing of printed and digital books.\n")
    title = read_article(text.encode(), "a.txt").title
    assert title.startswith("The publisher Northwind announced a peaceful settlement")
    assert "…" not in title and len(title.split()) <= titles.MAX_WORDS


def test_cnn_one_line_article_keeps_actor_and_action() -> None:
    text = ("Geneva (CNN)Talks to reach a deal on a framework agreement on the nuclear program "
            "will be extended an extra day, officials said Tuesday. The talks go on.")
    assert read_article(text.encode(), "cnn.txt").title == \
        "Talks to reach a deal will be extended an extra day"


@pytest.mark.parametrize(("text", "expected"), [
    # a relative clause in a long subject goes, so the action fits
    ("(CNN)All 11 crew members aboard an army helicopter that crashed in waters off the coast "
     "two days ago are believed dead, an official said Thursday.",
     "All 11 crew members aboard an army helicopter are believed dead"),
    # an opening clause ends at the comma before the main clause, not at an age
    ("When Emma Jones, 28, moved into a quiet street in Hull a year ago, she thought she had "
     "found the perfect place to call home.",
     "She thought she had found the perfect place to call home"),
    # "needed to give" is one verb phrase: no cut before "to"
    ("Bradley Neil admitted he needed to give himself a kick after missing the cut on his "
     "debut at the tournament.", "Bradley Neil admitted he needed to give himself a kick"),
    # "by Friday morning" goes whole, not leaving "by" behind
    ("European leaders argued through the night but reached no deal by Friday morning on a "
     "package of reforms.", "European leaders argued through the night but reached no deal"),
    # an opening phrase ends before a lower-case subject too
    ("After deliberating for 11 hours, jurors found the defendant guilty on Wednesday of all "
     "30 counts he faced.", "Jurors found the defendant guilty of all 30 counts he faced"),
    # "Sunday's" is not a day to drop
    ("Lewis Hamilton will begin Sunday's Grand Prix in pole position after a wet session.",
     "Lewis Hamilton will begin Sunday's Grand Prix in pole position"),
    # a question opening the story gives way to a statement
    ("So what has the contractor been up to since he was released? It turns out a lot. "
     "Gross has started a new career as a speaker on prison reform across the country.",
     "Gross has started a new career as a speaker"),
])
def test_a_lead_title_has_actor_and_action(text: str, expected: str) -> None:
    assert titles.from_lead(text) == expected


def test_a_photo_caption_label_is_left_out() -> None:
    text = "Wanted: Police in Ohio have issued a warrant for the arrest of a 30-year-old coach."
    assert titles.from_lead(text) == "Police in Ohio have issued a warrant"


@pytest.mark.parametrize(("sentence", "expected"), [
    # a ticker in brackets is an aside, not a clause end
    ("The government cannot force Acme Inc (ACME.O) to unlock a phone in a drug case, a "
     "judge said.", "The government cannot force Acme Inc to unlock a phone"),
    # a long opening clause without a comma is the main clause, not an intro to drop
    ("If your name is Nigel you are twice as likely as others to vote for the party, "
     "according to research.", "If your name is Nigel you are twice as likely"),
    # a dash aside is dropped; the action stays
    ("Women with advanced cervical cancer – the most common cancer in young women – are to "
     "get a new drug on the health service.",
     "Women with advanced cervical cancer are to get a new drug"),
    # a relative clause between commas is dropped
    ("Michael Gove, who was education secretary until the summer, is said to believe the "
     "exam was a mistake.", "Michael Gove is said to believe the exam was a mistake"),
])
def test_shorten_keeps_the_main_clause(sentence: str, expected: str) -> None:
    assert titles.shorten(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The Syrian opposition said it will not attend peace talks due to begin in Geneva on "
    "Friday, derailing the first attempt in two years to hold negotiations.",
    "European leaders argued through the night but reached no deal by Friday morning on a "
    "package of reforms that the prime minister says he needs.",
    "Tesla Motors Inc Chief Executive Elon Musk promised investors that the electric luxury "
    "car maker will be profitable this year and shares jumped in extended trading.",
])
def test_a_title_never_ends_on_a_dangling_word_or_an_ellipsis(sentence: str) -> None:
    title = titles.shorten(sentence)
    last = title.split()[-1].lower()
    assert last not in {"due", "by", "will", "the", "of", "to", "and", "that"}
    assert "…" not in title and "..." not in title
    assert len(title.split()) <= titles.MAX_WORDS + 4


def test_a_long_role_before_the_name_goes_when_the_whole_action_then_fits() -> None:
    lead = ("US Secretary of State Antony Blinken raised concerns on Friday about China’s "
            "support for Russia’s military, one of the many issues threatening relations.")
    assert titles.shorten(lead) == ("Antony Blinken raised concerns about China’s support "
                                    "for Russia’s military")
    # no role word: "A New York City skin clinic's ..." keeps its opening
    clinic = ("A New York City skin clinic's popular new laser treatment promises to tighten "
              "skin and improve complexion within weeks, doctors say.")
    assert titles.shorten(clinic).startswith("A New York City")


def test_a_title_never_stops_before_a_condition() -> None:
    """Without "unless ..." the title says the opposite of the article."""
    lead = ("North Korean leader Kim Jong Un said his country will not use nuclear weapons "
            "unless its sovereignty is infringed by others with nuclear arms, state media "
            "reported.")
    assert titles.shorten(lead).endswith(
        "will not use nuclear weapons unless its sovereignty is infringed by others with "
        "nuclear arms")


@pytest.mark.parametrize(("sentence", "expected"), [
    # "talks" is a plural noun, not the verb: the fragment before "in Geneva" says nothing
    ("The second day of peace talks between Ukrainian and Russian officials in Geneva ended "
     "abruptly Wednesday morning, after just two hours of discussions.",
     "The second day of peace talks between Ukrainian and Russian officials in Geneva ended "
     "abruptly"),
    ("An EgyptAir jet carrying 66 passengers and crew from Paris to Cairo disappeared from "
     "radar over the Mediterranean early on Thursday, officials said.",
     "An EgyptAir jet carrying 66 passengers and crew from Paris to Cairo disappeared"),
    # the clause before the comma has no verb: the main clause after it is the title
    ("Within 48 hours of his election night victory, Benjamin Netanyahu rolled back his "
     "pre-election comments about a Palestinian state.",
     "Within 48 hours of his election night victory, Benjamin Netanyahu rolled back his "
     "pre-election comments"),
])
def test_a_title_keeps_the_action_rather_than_a_verbless_fragment(sentence: str,
                                                                   expected: str) -> None:
    assert titles.shorten(sentence) == expected


def test_an_auxiliary_of_the_relative_clause_is_not_the_main_verb() -> None:
    """"a woman who claims to have had sex ... have filed" once gave "Two lawyers
    representing a woman have had sex as a minor": a claim the article never makes."""
    lead = ("Two lawyers representing a woman who claims to have had sex as a minor with "
            "prominent U.S. criminal defense lawyer Alan Dershowitz have filed a "
            "counter-defamation lawsuit against him.")
    assert "woman have had" not in titles.shorten(lead)


def test_a_lower_case_role_before_the_name_goes_when_the_action_then_fits() -> None:
    lead = "Kremlin spokesman Dmitry Peskov said Russia would resume the talks in Abu Dhabi soon."
    assert titles.shorten(lead) == ("Dmitry Peskov said Russia would resume the talks in Abu "
                                    "Dhabi soon")
