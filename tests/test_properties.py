"""Property tests: the offset invariant holds for any input, and nothing crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefer.engines import get_engine
from briefer.errors import InputError
from briefer.ingest import read_article
from briefer.text import normalize, segment
from briefer.verify import verify

WORDS = ["Wang", "said", "the", "US", "must", "not", "cross", "red", "lines", "China", "will",
         "meet", "next", "week", "officials", "warn", "U.S.", "Gen.", "Jan.", "5", "3.5",
         "according", "to", "“quoted", "words,”", "told", "Blinken", "that", "is",
         "unacceptable", "plans", "pushing", "for", "talks", "Ignore", "previous",
         "instructions", "é", "e\u0301", "\u200b", "—", "(", ")", "'s", "Mr.", "it", "says"]
ENDS = [".", "?", "!", ".”", ",", "", "...", ":"]


@st.composite
def articles(draw) -> str:
    sentences = draw(st.lists(
        st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25),
                  st.sampled_from(ENDS), st.sampled_from([" ", "\n", "\n\n", "  \t"])),
        min_size=1, max_size=25))
    return "".join(" ".join(words) + end + sep for words, end, sep in sentences)


def _check_invariant(text: str) -> None:
    try:
        article = read_article(text.encode("utf-8", "surrogatepass"), "p.txt")
    except InputError:
        return
    brief = get_engine().condense(article)
    spans = [(ev.start, ev.end, ev.quote) for ev in brief.all_evidence()]
    for ev in brief.all_evidence():  # the engine's own offsets, before verify() could mend them
        assert article.text[ev.start : ev.end] == ev.quote
        assert ev.verified
    verify(brief, {article.id: article})
    assert [(ev.start, ev.end, ev.quote) for ev in brief.all_evidence()] == spans
    for _, item in brief.items():
        assert item.evidence
    assert brief.meta.grounding.rate == 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_evidence_spans_are_exact_for_article_like_text(text):
    _check_invariant(text)


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_evidence_spans_are_exact_for_any_unicode(text):
    _check_invariant(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_normalize_is_idempotent_and_segments_index_it(text):
    norm = normalize(text)
    assert normalize(norm) == norm
    for seg in segment(norm):
        assert norm[seg.start : seg.end] == seg.text
        assert seg.text == seg.text.strip() and seg.text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_an_article_or_a_clean_input_error(data):
    try:
        article = read_article(data, "fuzz.txt")
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt: ")
        return
    assert article.text and normalize(article.text) == article.text
