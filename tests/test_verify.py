from __future__ import annotations

from briefer.model import Article, Brief, Evidence, Meta, Position, Source
from briefer.verify import locate, verify

TEXT = "Officials said “the deal is close.”\nBut   the talks\tcollapsed on Friday."


def make(evidence: list[Evidence]) -> tuple[Brief, dict[str, Article]]:
    article = Article(id="s1", text=TEXT, path_or_url="a.txt")
    brief = Brief(
        title="t", summary="",
        positions=[Position(party="X", stance="y", evidence=[e]) for e in evidence],
        sources=[article.to_source()],
        meta=Meta(engine_or_provider="test", created_at="2026-01-01T00:00:00Z",
                  briefer_version="0"),
    )
    return brief, {"s1": article}


def ev(quote: str, start: int = 0) -> Evidence:
    return Evidence(source_id="s1", quote=quote, start=start, end=start + len(quote))


def test_exact_span_is_verified():
    brief, articles = make([ev("Officials said", 0)])
    verify(brief, articles)
    assert brief.positions[0].evidence[0].verified
    assert brief.meta.grounding.model_dump() == {
        "items": 1, "verified": 1, "rate": 1.0,
        "sentences": 0, "sentences_verified": 0, "sentences_dropped": 0}  # no model prose


def test_wrong_offsets_are_corrected():
    brief, articles = make([ev("collapsed on Friday", 3)])
    verify(brief, articles)
    e = brief.positions[0].evidence[0]
    assert e.verified and TEXT[e.start : e.end] == e.quote == "collapsed on Friday"


def test_straight_quotes_and_collapsed_spaces_are_found_loosely():
    assert locate('said "the deal is close."', TEXT) == (10, 35)
    brief, articles = make([ev("But the talks collapsed")])
    verify(brief, articles)
    e = brief.positions[0].evidence[0]
    assert e.verified and e.quote == "But   the talks\tcollapsed" == TEXT[e.start : e.end]


def test_invented_quote_is_unverified_and_counted():
    brief, articles = make([ev("Officials said", 0), ev("the talks succeeded")])
    verify(brief, articles)
    assert [p.verified for p in brief.positions] == [True, False]
    assert brief.meta.grounding.rate == 0.5


def test_unknown_source_is_unverified():
    brief, _ = make([ev("Officials said", 0)])
    verify(brief, {})
    assert not brief.positions[0].verified


def test_source_model_hash():
    source: Source = Article(id="s1", text="abc", path_or_url="a").to_source()
    assert source.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
