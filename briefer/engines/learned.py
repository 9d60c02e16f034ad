"""A learned sentence classifier: which section (if any) a sentence of an article belongs in.

A multinomial logistic regression over sparse features of one sentence in its article: word
unigrams and bigrams (names folded to ``<cap>``, numbers to ``<num>``), the hand-written cue
patterns of :mod:`briefer.engines.cues` as features, attribution structure (a speaker found by
:func:`briefer.engines.attribution.attribute`, quotation marks, reporting verbs), conditional
and modal words, dates ahead, position and salience in the article, length. Training
(``scripts/train-sections``, scikit-learn) writes the weights to ``briefer/data/sections.json``;
inference here is plain Python, the weights are read once, on first use.

    scores = section_scores(segments, article.text)   # one {section: probability} per segment
    labels = classify(segments, article.text)         # one section name or None per segment

The classes are ``key_issues``, ``positions``, ``red_lines``, ``next_steps`` and ``none``;
:func:`thresholds` and :func:`limits` are the per-section cut-offs and per-article caps
chosen on cross-validation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer.engines import cues
from briefer.engines.attribution import Attribution, People, attribute

if TYPE_CHECKING:
    from briefer.text import Segment

#: bump when the feature extractor changes; the weights file must then be retrained
FEATURE_VERSION = 4
SECTIONS = ("key_issues", "positions", "red_lines", "next_steps")
CLASSES = ("none", *SECTIONS)
PRIORITY = ("red_lines", "next_steps", "positions")  # most specific first
WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "sections.json"

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*|[“”\"?:;—–]")
_NUMBER = re.compile(r"^[\d.,]+(?:%|bn|m|k)?$")
_OPEN_QUOTE = re.compile(r"^[“\"‘]")
_QUOTED = re.compile(r"[“\"][^”\"]{3,}[”\"]")


@lru_cache(maxsize=1)
def _extra() -> dict[str, re.Pattern[str]]:
    """Shapes of a stated limit or condition that word bigrams see only in part (compiled on
    first use: importing this module stays cheap)."""
    return {
        "only_if": re.compile(r"\bonly\b(?: [\w'’]+){0,3} (?:if|when|after|once|on condition|"
                             r"through|by)\b", re.I),
        "depends": re.compile(r"\b(?:depend(?:s|ed|ing)? (?:up)?on|hinges? on|contingent on|"
                              r"in (?:exchange|return) for|without)\b", re.I),
        "no_chance": re.compile(r"\b(?:there (?:will|would|can) be no|absolutely no|no chance|"
                                r"no way|not going to|never going to|cannot be allowed|"
                                r"will no longer|no longer)\b", re.I),
        "obligation": re.compile(r"\b(?:must|have to|has to|had to|need to|needs to|should)\b",
                                 re.I),
        "oppose": re.compile(r"\b(?:oppos(?:e|es|ed|ing)|object(?:s|ed)? to|against)\b", re.I),
        "threat_if": re.compile(r"\bif\b.{0,120}\b(?:will|would|won[’']t|going to|face|"
                                r"consequences)\b|\b(?:threat\w*|warn\w*)\b.{0,80}\bif\b",
                                re.I),
        "unless": re.compile(r"\bunless\b", re.I),
        "condition": re.compile(r"\b(?:on (?:the )?condition(?:s)? that|provided that|as long as|"
                                r"so long as|pre-?conditions?|conditions?)\b", re.I),
        "until": re.compile(r"\b(?:not|no|never)\b[^.]{0,60}\buntil\b", re.I),
        "neg_modal": re.compile(r"\b(?:will|would|can|could|shall|must)(?: not|n[’']t)\b|"
                                r"\b(?:won[’']t|cannot|can[’']t)\b", re.I),
        "never": re.compile(r"\bnever\b", re.I),
        "refuse": re.compile(r"\b(?:refus|reject|rul(?:e|ed|es|ing) out|den(?:y|ies|ied))", re.I),
        "demand": re.compile(r"\b(?:demand|insist|must|ultimat|threat|warn)", re.I),
        "if_then": re.compile(r"\bif\b[^.]*\b(?:will|would)\b|\b(?:will|would)\b[^.]*\bif\b", re.I),
        "future": re.compile(r"\b(?:will|shall|to be|going to|is to|are to)\b|\b\w+ll\b", re.I),
        "schedule": re.compile(r"\b(?:scheduled|due|expected|set|slated|planned|plans?|deadline|"
                               r"vote|hearing|meeting|summit|ballot|sentencing)\b", re.I),
        "we_i": re.compile(r"\b(?:we|our|us|i|my)\b", re.I),
        "past_aux": re.compile(r"\b(?:had|was|were|did)\b", re.I),
        "weekday": re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
        "year": re.compile(r"\b(?:19|20)\d\d\b"),
        "ahead": re.compile(r"\b(?:next|coming|upcoming|later this|until|by the end of|"
                            r"deadline|resume|reconvene|round of|yet to|still to|pending|"
                            r"under ?way|ongoing|continu(?:e|es|ing)|prepar(?:e|es|ing))\b", re.I),
        "modal": re.compile(r"\b(?:will|would|could|may|might|shall)\b(?! not)", re.I),
        "limit_rule": cues.LIMIT_SHAPE,
        # a threat or an ultimatum: "threatened to", "or face the consequences"
        "threaten": re.compile(r"\bthreat(?:en|ens|ened|ening)? to\b|\bor face\b|"
                               r"\b(?:face|suffer) (?:the )?consequences\b|\bbetter not\b",
                               re.I),
        # a refusal or a stated principle
        "refuse_more": re.compile(r"\b(?:won[’']t|will not|would not|refus\w* to|declin\w* to)"
                                  r" (?:relent|budge|give in|go back|bow|yield|join|enter|"
                                  r"take up|send|hand over)\b|\bnot going back\b|"
                                  r"\b(?:saying|says|said) no\b|\bnever going to\b",
                                  re.I),
        "principle": re.compile(r"\b(?:point|matter|question) of principle\b|"
                                r"\bcannot be an option\b|\bthe only way\b|\bsubject to\b|"
                                r"\bas long as\b|\b(?:would|will) have to\b|"
                                r"\binsist(?:s|ed)? (?:that|on)\b|\bopposes\b", re.I),
        # an action ahead: "will meet", "would speak to", "to vote on"
        "act_ahead": re.compile(r"\b(?:will|would|to|shall|plans? to|set to|due to)"
                                r"(?: \w+ly)? (?:meet|vote|travel|visit|speak|talk|hold|resume|"
                                r"return|decide|rule|consider|sign|announce|review|reschedule|"
                                r"launch|send|deploy|impose|introduce|submit|seek|pursue|appeal|"
                                r"veto|hand down|take up|reconvene|convene|publish|release|"
                                r"implement|begin|start|discuss|host|attend|face|head)\b",
                                re.I),
        # a process under way: "investigators are looking into", "the bill now heads to"
        "under_way": re.compile(r"\b(?:is|are) (?:still |now |currently )?(?:looking into|"
                                r"investigating|searching|working on|appealing|reviewing|"
                                r"considering|preparing|drafting|negotiating|seeking|"
                                r"pursuing|awaiting|weighing|announcing|trying to)\b|"
                                r"\bon hold\b|\bnow (?:heads|goes|moves) to\b|"
                                r"\bunder (?:way|review|investigation|consideration)\b|"
                                r"\bahead of\b", re.I),
        # told as past: "earlier this month", "last week", "had been scheduled", "was expected to"
        "past_time": re.compile(r"\b(?:earlier|last) (?:this |on )?(?:week|month|year|today|"
                                r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
                                r"\bago\b|\bpreviously\b|\bhad been\b|"
                                r"\b(?:was|were) (?:expected|scheduled|due|set|supposed) to\b",
                                re.I),
        # a negated prediction or judgement, not a refusal: "won't be easy", "is not going
        # to be cheap"
        "neg_be": re.compile(r"\b(?:will|would|can|could|may|might)(?: not|n[’']t) be\b|"
                             r"\b(?:won[’']t|can[’']t|cannot) be\b|\bnot going to be\b", re.I),
        # a forecast, hedged: "will likely", "probably", "expected"
        "hedge": re.compile(r"\b(?:likely|unlikely|probably|possibly|perhaps|expects?|"
                            r"predict\w*|forecast\w*)\b", re.I),
        # the speaker's own refusal: "we will not", "I won't", "we refuse"
        "we_refuse": re.compile(r"\b(?:we|i)\b(?: \w+){0,2} (?:will|would|shall|can|must)"
                                r"(?: not|n[’']t| never)\b|\b(?:we|i)\b(?: \w+)? (?:won[’']t|"
                                r"cannot|can[’']t|refuse|reject|will never)\b", re.I),
        # a condition that is not to be met, the shape of an ultimatum: "if it did not
        # withdraw", "if the UK violates", "if he does that"
        "if_not": re.compile(r"\b(?:if|unless)\b[^.;:]{0,80}?\b(?:not|n[’']t|fails?|failed|"
                             r"refus\w+|violat\w+|break\w*|cross\w*|does that|did that)\b",
                             re.I),
        # a toll: what happened, not what comes next
        "toll": re.compile(r"\b(?:killed|killing|dead|deaths?|died|wounded|injured|injuring|"
                           r"casualties|death toll)\b", re.I),
        # the newsroom's note to the reader: never a matter at issue
        "newsroom": cues.NEWSROOM,
        "event": re.compile(r"\b(?:summit|meeting|talks|vote|hearing|visit|trip|election|"
                            r"ruling|trial|sentencing|session|referendum|negotiations|round|"
                            r"deadline)\b", re.I),
    }


_LIMIT_SHAPES = ("cue:RED_LINE", "x:only_if", "x:unless", "x:condition", "x:until",
                 "x:no_chance", "x:threat_if", "x:depends")
_CUES = {
    "RED_LINE": cues.RED_LINE,
    "NEXT_STEP_STRONG": cues.NEXT_STEP_STRONG,
    "NEXT_STEP_WEAK": cues.NEXT_STEP_WEAK,
    "PAST_ONLY": cues.PAST_ONLY,
    "WHEN": cues.WHEN,
    "REPORTING_PHRASES": cues.REPORTING_PHRASES,
    "NOT_PROSE": cues.NOT_PROSE,
}


def _tokens(text: str) -> list[str]:
    out = []
    for n, m in enumerate(_WORD.finditer(text)):
        tok = m.group(0).replace("’", "'")
        if tok in "“”\"":
            out.append("<q>")
        elif _NUMBER.match(tok):
            out.append("<num>")
        elif n > 0 and tok[:1].isupper() and tok not in cues.TITLE_WORDS:
            out.append("<cap>")  # a name: the model learns shapes, not who is in the news
        else:
            out.append(tok.lower())
    return out


def _bucket(value: float, edges: Sequence[float]) -> int:
    for n, edge in enumerate(edges):
        if value < edge:
            return n
    return len(edges)


def sentence_features(text: str, *, index: int, count: int, para_first: bool,
                      salience: float, salience_rank: int, attribution: Attribution | None,
                      continued: bool) -> dict[str, float]:
    """Sparse features of one sentence; ``index``/``count`` place it in the article."""
    f: dict[str, float] = {"bias": 1.0}
    toks = _tokens(text)
    for tok in set(toks):
        f["w:" + tok] = 1.0
    for a, b in zip(["<s>", *toks], [*toks, "</s>"], strict=True):
        f[f"b:{a} {b}"] = 1.0
    for name, rx in _CUES.items():
        if rx.search(text):
            f["cue:" + name] = 1.0
    for name, rx in _extra().items():
        if rx.search(text):
            f["x:" + name] = 1.0
    if any(k in f for k in _LIMIT_SHAPES):
        f["x:limit_shape"] = 1.0  # pooled: each shape alone is rare in training data
    # conjunctions a linear model cannot form itself: a future with a time, a dated plan
    if "cue:WHEN" in f and ("x:future" in f or "x:modal" in f):
        f["x:future_when"] = 1.0
    if "cue:NEXT_STEP_STRONG" in f and "cue:WHEN" in f and "cue:PAST_ONLY" not in f:
        f["x:scheduled"] = 1.0
    if attribution is not None and ("x:limit_rule" in f or "x:only_if" in f):
        f["x:said_limit"] = 1.0
    if "x:event" in f and "cue:WHEN" in f and "x:past_time" not in f \
            and "cue:PAST_ONLY" not in f:
        f["x:event_when"] = 1.0
    if "x:act_ahead" in f and ("cue:WHEN" in f or "x:event" in f):
        f["x:act_when"] = 1.0
    if any(k in f for k in ("x:scheduled", "x:future_when", "x:act_ahead", "x:under_way",
                            "x:event_when")):
        f["x:ahead_any"] = 1.0  # pooled, as x:limit_shape
        if "x:past_time" in f:
            f["x:ahead_but_past"] = 1.0
    # an event noun ("talks", "vote") says nothing of time on its own: only in the pairs above
    f.pop("x:event", None)
    if any(k in f for k in ("x:limit_shape", "x:threaten", "x:refuse_more", "x:principle",
                            "x:refuse", "x:never", "x:neg_modal")):
        f["x:limit_any"] = 1.0
        if attribution is not None or _QUOTED.search(text):
            f["x:limit_said"] = 1.0
    if "x:limit_any" in f and "x:neg_be" in f and "x:we_refuse" not in f:
        f["x:limit_pred"] = 1.0  # a negation that forecasts, not one that refuses
    if ("x:if_not" in f or "x:threat_if" in f) and (attribution is not None
                                                    or _QUOTED.search(text)):
        f["x:said_if"] = 1.0  # someone says what follows if a condition is not met
    if "x:if_then" in f and attribution is None and not _QUOTED.search(text):
        f["x:cond_unsaid"] = 1.0  # a conditional the reporter tells: nobody's red line
    words = text.split()
    if any(w.strip(",.;:”\"") in cues.REPORTING_VERBS for w in words):
        f["reporting_verb"] = 1.0
    if _OPEN_QUOTE.match(text):
        f["opens_quote"] = 1.0
    if _QUOTED.search(text):
        f["has_quote"] = 1.0
    if attribution is not None:
        f["att"] = 1.0
        s0, s1 = attribution.stance
        f["att_stance_share"] = (s1 - s0) / max(1, len(text))
        if attribution.speaker.lower() in cues.PRONOUNS:
            f["att_pronoun"] = 1.0
        if attribution.role:
            f["att_role"] = 1.0
    if continued:
        f["continued_quote"] = 1.0
    rel = index / max(1, count - 1)
    f[f"pos:{_bucket(rel, (0.1, 0.25, 0.5, 0.75))}"] = 1.0
    if index == 0:
        f["first"] = 1.0
    elif index < 3:
        f["lead3"] = 1.0
    if para_first:
        f["para_first"] = 1.0
    f[f"len:{_bucket(len(words), (8, 14, 22, 32, 45))}"] = 1.0
    f["salience"] = salience
    f[f"sal_rank:{_bucket(salience_rank, (1, 3, 6, 10))}"] = 1.0
    if text.rstrip("”\"’' ").endswith("?"):
        f["question"] = 1.0
    return f


def article_features(segments: Sequence[Segment], article_text: str,
                     attributions: Sequence[Attribution | None] | None = None
                     ) -> list[dict[str, float]]:
    """Features of every segment of one article (``segments`` in reading order).

    ``attributions`` (one per segment) saves recomputing what the engine already has;
    without it the speakers are found here with :func:`attribute`.
    """
    from briefer.engines import ranking

    if attributions is None:
        people = People(article_text)
        known: list[str] = []
        found: list[Attribution | None] = []
        for seg in segments:
            att = attribute(seg.text, people, seg.start, known)
            if att:
                known.append(att.party)
            found.append(att)
        attributions = found
    vecs = ranking.vectors(segments)
    sal = ranking.scores(segments, vecs) if segments else []
    order = sorted(range(len(segments)), key=lambda i: (-sal[i], i))
    rank = {i: r for r, i in enumerate(order)}
    out = []
    for i, seg in enumerate(segments):
        prev = segments[i - 1] if i else None
        para_first = prev is None or prev.para != seg.para
        continued = bool(
            prev is not None and not para_first and attributions[i - 1] is not None
            and _OPEN_QUOTE.match(seg.text) and attributions[i] is None)
        out.append(sentence_features(
            seg.text, index=i, count=len(segments), para_first=para_first,
            salience=sal[i], salience_rank=rank[i], attribution=attributions[i],
            continued=continued))
    return out


def feature_spec_hash() -> str:
    """Fingerprint of the feature extractor (its code and the cue patterns it reads). The
    weights file records the one it was trained with; tests fail when they differ."""
    import hashlib
    import inspect

    parts = [str(FEATURE_VERSION), inspect.getsource(_tokens), inspect.getsource(_bucket),
             inspect.getsource(sentence_features), inspect.getsource(article_features),
             " ".join(_LIMIT_SHAPES), _WORD.pattern, _NUMBER.pattern, _OPEN_QUOTE.pattern,
             _QUOTED.pattern,
             *(f"{k}={v.pattern}" for k, v in sorted(_extra().items())),
             *(f"{k}={v.pattern}" for k, v in sorted(_CUES.items())),
             " ".join(sorted(cues.REPORTING_VERBS)), " ".join(sorted(cues.TITLE_WORDS)),
             " ".join(sorted(cues.PRONOUNS))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


# --- the model ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    """The weights file, read once: ``link`` (softmax or sigmoid), ``classes``, ``weights``
    {feature: [w per class]}, ``intercept``, ``thresholds``, ``limits``, ``feature_hash``,
    ``version``."""
    data: dict[str, Any] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if data.get("version") != FEATURE_VERSION:
        raise RuntimeError(f"{WEIGHTS.name} was trained for feature version "
                           f"{data.get('version')}, the code has {FEATURE_VERSION}: retrain "
                           "with scripts/train-sections")
    return data


def thresholds() -> dict[str, float]:
    """Minimum probability for a sentence to enter each section."""
    return dict(model()["thresholds"])


def limits() -> dict[str, int]:
    """At most this many sentences per section and article."""
    return dict(model()["limits"])


def probabilities(features: dict[str, float], data: dict[str, Any] | None = None
                  ) -> dict[str, float]:
    """Probability of each class for one feature dict: a softmax over CLASSES, or (a
    one-vs-rest model, ``"link": "sigmoid"``) one logistic per section with ``none`` the
    complement of the most likely section."""
    data = data or model()
    weights: dict[str, list[float]] = data["weights"]
    z = list(data["intercept"])
    for name, value in features.items():
        w = weights.get(name)
        if w is not None:
            for k, wk in enumerate(w):
                z[k] += wk * value
    if data.get("link") == "sigmoid":
        out = {c: 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, v))))
               for c, v in zip(data["classes"], z, strict=True)}
        return {"none": 1.0 - max(out.values()), **out}
    top = max(z)
    exp = [math.exp(v - top) for v in z]
    total = sum(exp)
    return {c: e / total for c, e in zip(data["classes"], exp, strict=True)}


def section_scores(segments: Sequence[Segment], article_text: str,
                   attributions: Sequence[Attribution | None] | None = None
                   ) -> list[dict[str, float]]:
    """For each segment, the probability of each class (the four sections and ``none``)."""
    data = model()
    return [probabilities(f, data)
            for f in article_features(segments, article_text, attributions)]


#: an article this short (a snippet) keeps its sentences in their specific sections even
#: when none is left over for key issues
_MIN_SENTENCES_FOR_ISSUE = 3


def choose(scores: Sequence[dict[str, float]], thr: dict[str, float] | None = None,
           lim: dict[str, int] | None = None, *, key_issues: bool = True) -> list[str | None]:
    """Sections for an article's sentences from their scores: a sentence goes to the first
    section of PRIORITY whose threshold it clears; each section keeps its best ``limits()``
    sentences. Key issues are the best-scoring sentences left over,
    at most ``limits()['key_issues']``, each above its threshold; an article of three
    sentences or more with none left over gets its best one that is no red line."""
    thr = thr or thresholds()
    lim = lim or limits()
    out: list[str | None] = [None] * len(scores)
    for i, p in enumerate(scores):
        # the most specific section whose threshold the sentence clears (GUIDE: a condition
        # stated as an ultimatum is a red line, not a position)
        out[i] = next((sec for sec in PRIORITY if p[sec] >= thr[sec]), None)
    for sec in ("red_lines", "next_steps", "positions"):
        members = sorted((i for i, s in enumerate(out) if s == sec),
                         key=lambda i: (-scores[i][sec], i))
        for i in members[lim[sec]:]:
            out[i] = None
    if key_issues:
        free = sorted((i for i, s in enumerate(out)
                       if s is None and scores[i]["key_issues"] >= thr["key_issues"]),
                      key=lambda i: (-scores[i]["key_issues"], i))
        for i in free[: lim["key_issues"]]:
            out[i] = "key_issues"
        movable = [i for i, s in enumerate(out) if s != "red_lines"
                   and scores[i]["key_issues"] >= thr["key_issues"]]
        if len(scores) >= _MIN_SENTENCES_FOR_ISSUE and "key_issues" not in out and movable:
            # every article is about something: in a short one whose sentences all went to
            # other sections, the one that best states a matter at issue is the key issue
            # (never a red line, the rarest and most specific section)
            out[max(movable, key=lambda i: (scores[i]["key_issues"], -i))] = "key_issues"
    return out


def classify(segments: Sequence[Segment], article_text: str,
             attributions: Sequence[Attribution | None] | None = None) -> list[str | None]:
    """One section name (or None) per segment: :func:`section_scores` then :func:`choose`."""
    return choose(section_scores(segments, article_text, attributions))


__all__ = ["CLASSES", "FEATURE_VERSION", "SECTIONS", "article_features", "choose", "classify",
           "feature_spec_hash", "limits", "model", "probabilities", "section_scores",
           "sentence_features", "thresholds"]
