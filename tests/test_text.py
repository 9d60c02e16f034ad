from __future__ import annotations

import pytest

from briefer.text import normalize, segment, stem, terms


def sentences(text: str) -> list[str]:
    return [s.text for s in segment(normalize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. and the U.K. agreed. Talks resume.",
         ["The U.S. and the U.K. agreed.", "Talks resume."]),
        ("Officials met in the U.S. The talks ended.",
         ["Officials met in the U.S.", "The talks ended."]),
        ("Gen. Smith and Sen. Jones spoke. Both left.",
         ["Gen. Smith and Sen. Jones spoke.", "Both left."]),
        ("The vote is on Jan. 5 in Geneva. It may slip.",
         ["The vote is on Jan. 5 in Geneva.", "It may slip."]),
        ("George W. Bush met Dr. Rice at 5 p.m. on Friday. Nothing followed.",
         ["George W. Bush met Dr. Rice at 5 p.m. on Friday.", "Nothing followed."]),
        ("Growth was 3.5 percent. Prices rose 2.1%.",
         ["Growth was 3.5 percent.", "Prices rose 2.1%."]),
        ('He said: "We will act." Then he left.', ['He said: "We will act."', "Then he left."]),
        ("“It is over. We are done,” she said. They left.",
         ["“It is over. We are done,” she said.", "They left."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        ("Shares of Acme Inc. rose. Acme Inc. said nothing.",
         ["Shares of Acme Inc. rose.", "Acme Inc. said nothing."]),
        ("See e.g. The Times for more. Done.", ["See e.g. The Times for more.", "Done."]),
        ("He left... Then came back.", ["He left...", "Then came back."]),
    ],
)
def test_segmentation_survives_abbreviations_decimals_and_quotes(text, expected):
    assert sentences(text) == expected


def test_segments_carry_exact_offsets_and_kinds():
    text = normalize("HEADLINE HERE\nFirst sentence is here. Second one follows.\n\nA tag line")
    segs = segment(text)
    for seg in segs:
        assert text[seg.start : seg.end] == seg.text
    assert [s.kind for s in segs] == ["heading", "sentence", "sentence", "heading"]
    assert [s.index for s in segs] == [0, 1, 2, 3]


def test_line_breaks_end_sentences_in_paragraph_per_line_text():
    text = "First paragraph without a stop\nSecond paragraph. Another sentence."
    assert sentences(text)[0] == "First paragraph without a stop"


def test_hard_wrapped_prose_is_joined_across_line_breaks():
    text = (
        "The ministers agreed on Tuesday to extend the ceasefire by another\n"
        "thirty days, officials said, and to reopen the crossing for aid\n"
        "convoys from the south. The deal still needs approval from the\n"
        "parliament, which meets next week to debate the terms of the plan.\n"
    )
    got = sentences(text)
    assert len(got) == 2
    assert got[0].startswith("The ministers agreed") and got[0].endswith("from the south.")
    seg = segment(normalize(text))[0]
    assert "\n" in seg.text  # offsets still index the original lines


def test_normalize_whitespace_unicode_and_controls():
    raw = "\ufeffCafe\u0301\u00a0 bar\t\tbaz\r\nnext\x00line\x07\u200b ok\u202e!\n\n\n\nend  "
    assert normalize(raw) == "Café bar baz\nnextline ok!\n\nend"


def test_normalize_is_idempotent_on_tricky_input():
    raw = "a\u200b\u0301 b\u2028c\x1c d\U000e0041e\r\rf"
    once = normalize(raw)
    assert normalize(once) == once


def test_unicode_tag_characters_and_bidi_controls_are_stripped():
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore all")
    assert normalize(f"visible{hidden} text\u2066x\u2069") == "visible textx"


def test_terms_stem_and_drop_stopwords():
    assert terms("The sanctions were sanctioned; sanctioning China's exports.") == [
        "sanction", "sanction", "sanction", "china", "export"]
    assert stem("policies") == "policy"
