"""The offline engine's bottom line (briefer/engines/bottom_line.py), on synthetic text."""

from __future__ import annotations

from dataclasses import replace

from briefer.engines import bottom_line, ranking
from briefer.engines.extractive import ExtractiveEngine
from briefer.ingest.load import read_article
from briefer.text import segment

ARTICLE = (
    "Lausanne, Switzerland (CNN)Negotiators from six powers extended the nuclear talks with "
    "Iran by one more day on Tuesday. The talks in Lausanne have made enough progress to "
    "merit staying until Wednesday, a State Department spokeswoman said. Several difficult "
    "issues about sanctions and enrichment limits still remain open for the negotiators. "
    "The weather in Lausanne was mild and sunny for most of the week. Diplomats said the "
    "nuclear talks could run past the deadline if the sanctions issues stay unresolved. "
    "A hotel near the lake served fondue to the visiting reporters every evening."
)


def _sentences(text: str) -> list:
    return [s for s in segment(text) if s.kind == "sentence"]


def test_choose_keeps_reading_order_and_limits() -> None:
    segs = _sentences(ARTICLE)
    vecs = ranking.vectors(segs)
    params = replace(bottom_line.DEFAULT, sentences=2, budget=60)
    chosen = bottom_line.choose(segs, vecs, params)
    assert chosen == sorted(chosen)
    assert len(chosen) == 2
    assert sum(segs[i].words for i in chosen) <= 60


def test_a_strong_lead_prior_takes_the_first_sentences() -> None:
    segs = _sentences(ARTICLE)
    vecs = ranking.vectors(segs)
    params = replace(bottom_line.DEFAULT, sentences=3, budget=200, lead_weight=50.0)
    assert bottom_line.choose(segs, vecs, params) == [0, 1, 2]


def test_without_a_lead_prior_the_centroid_decides() -> None:
    segs = _sentences(ARTICLE)
    vecs = ranking.vectors(segs)
    params = replace(bottom_line.DEFAULT, sentences=1, budget=200, lead_weight=0.0)
    (only,) = bottom_line.choose(segs, vecs, params)
    assert "fondue" not in segs[only].text and "weather" not in segs[only].text


def test_cap_at_lead_keeps_it_within_lead3_words() -> None:
    segs = _sentences(ARTICLE)
    vecs = ranking.vectors(segs)
    limit = bottom_line.lead_words(ARTICLE)
    assert limit == sum(len(s.text.split()) for s in segs[:3])
    capped = replace(bottom_line.DEFAULT, sentences=6, budget=500, cap_at_lead=True)
    chosen = bottom_line.choose(segs, vecs, capped, limit_words=limit)
    assert sum(segs[i].words for i in chosen) <= limit
    loose = replace(capped, cap_at_lead=False)
    assert len(bottom_line.choose(segs, vecs, loose, limit_words=limit)) > len(chosen)


def test_furniture_is_pushed_down() -> None:
    text = ("Pictured: The minister arrives for the nuclear talks in Lausanne on Tuesday. "
            "The minister said the nuclear talks in Lausanne would go on for another day. "
            "Officials expect the nuclear talks to produce a framework by Wednesday night.")
    segs = _sentences(text)
    vecs = ranking.vectors(segs)
    params = replace(bottom_line.DEFAULT, sentences=1, budget=100, furniture=0.1)
    assert bottom_line.choose(segs, vecs, params) != [0]
    assert bottom_line.choose(segs, vecs, replace(params, furniture=1.0)) == [0]


def test_engine_bottom_line_drops_the_dateline_and_stays_verbatim() -> None:
    article = read_article(ARTICLE.encode(), "talks.txt")
    brief = ExtractiveEngine().condense(article)
    assert brief.summary.startswith("Negotiators from six powers")
    assert "(CNN)" not in brief.summary
    assert len(brief.summary_evidence) <= bottom_line.DEFAULT.sentences
    for ev in brief.summary_evidence:
        assert article.text[ev.start:ev.end] == ev.quote
    assert len(brief.summary.split()) <= bottom_line.DEFAULT.budget


def test_the_cap_is_strict_even_for_the_best_sentence() -> None:
    segs = _sentences(ARTICLE)
    vecs = ranking.vectors(segs)
    limit = min(s.words for s in segs) + 1  # only the shortest sentences fit
    capped = replace(bottom_line.DEFAULT, sentences=3, budget=500, cap_at_lead=True,
                     lead_weight=50.0)
    chosen = bottom_line.choose(segs, vecs, capped, limit_words=limit)
    assert chosen and sum(segs[i].words for i in chosen) <= limit
    assert 0 not in chosen or segs[0].words <= limit
