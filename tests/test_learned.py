"""The learned section classifier (briefer.engines.learned), on hand-written sentences."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from briefer.engines import learned
from briefer.text import normalize, segment

RED = "Hamas said it will only release the hostages if Israel withdraws its troops from Gaza."
POSITION = "Egypt's foreign minister Sameh Shoukry said the talks had been useful and constructive."
VOTE = "The parliament is scheduled to vote on the ceasefire bill next Tuesday."

ARTICLE = normalize(
    "Talks on a ceasefire in Gaza resumed in Cairo on Sunday after a week-long pause.\n\n"
    "Mediators from Egypt and Qatar shuttled between the delegations for most of the day. "
    f"{RED}\n\n"
    f"{POSITION} "
    "The two sides exchanged lists of prisoners during the session.\n\n"
    f"{VOTE}"
)


@pytest.fixture(scope="module")
def scored() -> tuple[list, list[dict[str, float]], list[str | None]]:
    segs = segment(ARTICLE)
    scores = learned.section_scores(segs, ARTICLE)
    return segs, scores, learned.choose(scores)


def _index(segs: list, text: str) -> int:
    return next(i for i, s in enumerate(segs) if s.text == text)


def test_weights_match_the_feature_extractor():
    data = json.loads(learned.WEIGHTS.read_text(encoding="utf-8"))
    assert data["version"] == learned.FEATURE_VERSION
    assert data["feature_hash"] == learned.feature_spec_hash(), (
        "the feature extractor (or a cue pattern it reads) changed since the weights were "
        "trained: run scripts/train-sections")
    assert data["link"] in ("softmax", "sigmoid")
    assert data["classes"] == list(learned.CLASSES if data["link"] == "softmax"
                                   else learned.SECTIONS)
    assert all(len(w) == len(data["classes"]) for w in data["weights"].values())
    assert learned.WEIGHTS.stat().st_size < 320_000


def test_thresholds_and_limits_cover_the_sections():
    thr, lim = learned.thresholds(), learned.limits()
    assert set(thr) == set(lim) == set(learned.SECTIONS)
    assert all(0.0 <= t < 1.0 for t in thr.values())
    assert all(n >= 1 for n in lim.values())


def test_scores_are_probabilities(scored):
    segs, scores, _ = scored
    assert len(scores) == len(segs)
    for p in scores:
        assert set(p) == set(learned.CLASSES)
        assert all(0.0 <= v <= 1.0 for v in p.values())
        if learned.model()["link"] == "softmax":
            assert abs(sum(p.values()) - 1.0) < 1e-9


def test_conditional_ultimatum_is_a_red_line(scored):
    segs, scores, chosen = scored
    i = _index(segs, RED)
    assert scores[i]["red_lines"] >= learned.thresholds()["red_lines"]
    assert chosen[i] == "red_lines"


def test_plain_attributed_statement_is_a_position(scored):
    segs, _, chosen = scored
    assert chosen[_index(segs, POSITION)] == "positions"


def test_scheduled_vote_is_a_next_step(scored):
    segs, _, chosen = scored
    assert chosen[_index(segs, VOTE)] == "next_steps"


def test_classify_agrees_with_scores_and_choose(scored):
    segs, _, chosen = scored
    assert learned.classify(segs, ARTICLE) == chosen


def test_limits_cap_each_section():
    scores = [{"none": 0.0, "key_issues": 0.0, "positions": 0.0, "red_lines": 0.99,
               "next_steps": 0.01}] * 20
    chosen = learned.choose(scores)
    assert chosen.count("red_lines") == learned.limits()["red_lines"]


def test_features_fold_names_and_numbers():
    f = learned.sentence_features(
        "Putin said Russia would send 5,000 troops.", index=0, count=1, para_first=True,
        salience=1.0, salience_rank=0, attribution=None, continued=False)
    assert "w:<cap>" in f and "w:<num>" in f and "w:russia" not in f
    assert "reporting_verb" in f and "cue:NEXT_STEP_STRONG" not in f


def test_empty_article():
    assert learned.section_scores([], "") == []
    assert learned.choose([]) == []


def test_import_is_cheap_and_inference_needs_no_numpy():
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "import briefer.engines.learned as m\n"
        "dt = time.perf_counter() - t\n"
        "assert m.model.cache_info().currsize == 0, 'weights read at import'\n"
        "from briefer.text import segment\n"
        f"text = {ARTICLE!r}\n"
        "m.classify(segment(text), text)\n"
        "print(dt, ' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    modules = set(out[1:])
    assert not modules & {"numpy", "sklearn", "scipy"}


@pytest.mark.parametrize(("sentence", "feature"), [
    ("Trump threatened to impose tariffs on Russian oil.", "x:threaten"),
    ("Turkey warned Greece to enter talks or face the consequences.", "x:threaten"),
    ("Pelosi and Schumer just won't relent on their spending figure.", "x:refuse_more"),
    ("He said it was a point of principle that the UK should set its own rules.",
     "x:principle"),
    ("The US president said he would speak to Putin later in the week.", "x:act_when"),
    ("Investigators are looking into whether the pilot feared losing his license.",
     "x:under_way"),
    ("The measure now heads to the Senate.", "x:under_way"),
    ("Both sides will hold a summit on October 30.", "x:event_when"),
])
def test_shapes_of_limits_and_steps_ahead(sentence, feature):
    f = learned.sentence_features(sentence, index=3, count=10, para_first=False,
                                  salience=0.5, salience_rank=4, attribution=None,
                                  continued=False)
    assert f.get(feature) == 1.0
    pooled = "x:limit_any" if feature in ("x:threaten", "x:refuse_more", "x:principle") \
        else "x:ahead_any"
    assert f.get(pooled) == 1.0


def test_a_past_event_is_no_step_ahead():
    f = learned.sentence_features("The summit was held last week in Geneva.", index=3,
                                  count=10, para_first=False, salience=0.5, salience_rank=4,
                                  attribution=None, continued=False)
    assert "x:event_when" not in f and "x:act_when" not in f


def test_a_step_told_as_past_is_marked():
    f = learned.sentence_features("It was expected to be signed in February but was derailed.",
                                  index=3, count=10, para_first=False, salience=0.5,
                                  salience_rank=4, attribution=None, continued=False)
    assert f.get("x:past_time") == 1.0 and f.get("x:ahead_but_past") == 1.0


def _features(sentence: str, attribution: object = None) -> dict[str, float]:
    return learned.sentence_features(sentence, index=3, count=10, para_first=False,
                                     salience=0.5, salience_rank=4,
                                     attribution=attribution,  # type: ignore[arg-type]
                                     continued=False)


def test_an_ultimatum_said_is_marked_and_a_forecast_negation_is_not_a_refusal():
    ultimatum = _features('"We will impose a further 50% duty if China does not withdraw its '
                          'tariffs," Trump said.')
    assert ultimatum.get("x:if_not") == 1.0 and ultimatum.get("x:said_if") == 1.0
    forecast = _features('"It is not going to be cheap," Graham said.')
    assert forecast.get("x:neg_be") == 1.0 and forecast.get("x:limit_pred") == 1.0
    refusal = _features('"We will not be part of this deal," Graham said.')
    assert refusal.get("x:we_refuse") == 1.0 and "x:limit_pred" not in refusal


def test_a_toll_and_a_newsroom_note_are_marked():
    assert _features("At least nine people were killed in the strike.").get("x:toll") == 1.0
    note = _features("Zelenskyy's comments were embargoed until Saturday morning.")
    assert note.get("x:newsroom") == 1.0
    assert "x:newsroom" not in _features("The committee will vote on the bill on Monday.")


def test_an_article_whose_sentences_all_went_elsewhere_keeps_one_key_issue():
    thr = {"key_issues": 0.05, "positions": 0.2, "red_lines": 0.4, "next_steps": 0.3}
    lim = {"key_issues": 6, "positions": 10, "red_lines": 8, "next_steps": 3}
    step = {"none": 0.0, "key_issues": 0.38, "positions": 0.0, "red_lines": 0.0,
            "next_steps": 0.62}
    said = {"none": 0.0, "key_issues": 0.14, "positions": 0.86, "red_lines": 0.0,
            "next_steps": 0.0}
    line = {"none": 0.0, "key_issues": 0.5, "positions": 0.0, "red_lines": 0.5,
            "next_steps": 0.0}
    assert learned.choose([step, said, line], thr, lim) \
        == ["key_issues", "positions", "red_lines"]
    # a snippet of two sentences keeps them where they are
    assert learned.choose([step, line], thr, lim) == ["next_steps", "red_lines"]
