"""Where the sources of a story differ: conflicting figures, dates and denials, each side
citing the sentence of its source that says it. Offline and deterministic.

Precision over recall: a difference is reported only when two sentences of *different*
sources are plainly about the same thing and cannot both be true.

* **Figures**: the same count of the same thing ("12 people", "15 people"), percentage or
  amount, in sentences that share at least :data:`SHARED_TERMS` content words besides it
  (:data:`NEAR_TERMS` of them within :data:`NEAR` words of each figure), name the same
  months and years (or none), and neither of which is a forecast or a
  condition ("expected", "could", "if"...). Figures that can both be true are not a
  difference: "at least 4 regions" and "8 regions", "about 40" and "40", a round "55,000"
  and "55,300".
* **Dates**: two sentences with one date each (day and month), related as figures are,
  that give different days.
* **Denials**: a sentence that denies or disputes ("denied", "disputed", "not true"...)
  and a sentence of another source, not itself a denial, that shares at least
  :data:`DENIAL_TERMS` content words with what is denied (the words after the cue).

At most :data:`MAX_DIFFERENCES` per story, one per figure or kind, in reading order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from briefer.model import Article, Claim, Difference, Evidence
from briefer.text import segment, terms

SHARED_TERMS = 3
NEAR_TERMS = 2
DENIAL_TERMS = 3
MAX_DIFFERENCES = 4
WINDOW = 7
NEAR = 10

_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
NUMBER_WORDS = {w: float(n) for n, w in enumerate(_WORDS)} | {
    w: float(10 * n) for n, w in enumerate("_ _ twenty thirty forty fifty sixty seventy "
                                           "eighty ninety".split()) if n >= 2}
_SCALES = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
           "trillion": 1e12}
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_BOUNDS = {"more than": ">", "over": ">", "at least": ">", "upwards of": ">",
           "fewer than": "<", "less than": "<", "under": "<", "up to": "<", "at most": "<",
           "nearly": "~", "almost": "~", "about": "~", "around": "~", "some": "~",
           "roughly": "~", "approximately": "~", "an estimated": "~", "close to": "~"}
_FIGURE = re.compile(
    r"(?P<num>(?<![\w.,:/-])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d:/])|(?<![\w.,:/-])\d+(?:\.\d+)?"
    r"(?![\d:/,])|\b(?:" + "|".join(NUMBER_WORDS) + r")\b)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|m)\b)?"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b))?"
    r"(?=(?P<after>(?:[\s‑-]+[\"“”‘]?[A-Za-z][\w'’‑-]*[\"“”’]?){0,3}))",  # looked at, not consumed
    re.IGNORECASE)
# what may stand before a figure ("more than $", "about "), looked for only where one is
_CURRENCY = re.compile(r"([$€£])\s?$")
_BOUND = re.compile(r"\b(" + "|".join(sorted(_BOUNDS, key=len, reverse=True)) + r")\s+$",
                    re.IGNORECASE)
_DATE = re.compile(r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>" + _MONTH + r")|(?P<m2>" + _MONTH
                   + r")\s+(?P<d2>\d{1,2})\b)(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_HEDGE = re.compile(r"\b(?:expect\w*|forecast\w*|predict\w*|projected|projections?|"
                    r"estimat\w*|could|may|might|would|if|unless|poll\w*|plans?|planned|"
                    r"targets?|aims?|hopes?|proposed|proposals?|goal)\b", re.IGNORECASE)
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying|ial)|disput(?:e|es|ed|ing)|refut\w*|"
                     r"rejected (?:the |those |these )?(?:claims?|reports?|accounts?)|"
                     r"not true|untrue|false(?:ly)?|fake)\b", re.IGNORECASE)
_UNIT_TERMS = frozenset({"per", "cent", "percent"})
_SKIP_NOUN = frozenset("and or of the a an to in on at for by per from new more other "
                       "additional extra than as".split())


@dataclass(frozen=True)
class Quantity:
    """A figure in a sentence: its value, what it counts (a stemmed noun, ``%`` or a
    currency), how it is bounded (``=``, ``>``, ``<``, ``~``) and where it is."""

    value: float
    noun: str
    bound: str
    start: int
    end: int
    written: str

    def interval(self) -> tuple[float, float]:
        v = self.value
        if self.bound == ">":
            return v, math.inf
        if self.bound == "<":
            return 0.0, v
        if self.bound == "~":
            return 0.9 * v, 1.1 * v
        spread = _rounding(self.written) / 2
        return v - spread, v + spread


def _rounding(written: str) -> float:
    """The rounding a figure as written allows: 55,000 +-500, 400 +-50, 12 and 8.2 none."""
    digits = re.sub(r"[^\d.]", "", written.split()[0] if written.split() else written)
    if "." in digits or not digits:
        return 0.0
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0 or len(digits) == zeros:
        return 0.0
    return float(10 ** zeros)


def _noun(after: str) -> tuple[str, str]:
    """The stemmed noun a figure counts and its written form, from the words after it."""
    for word in re.split(r"[\s‑-]+", after.strip(" ‑-")):
        word = word.strip("\"“”‘’'")
        low = word.lower()
        if not low or low in _SKIP_NOUN or low in NUMBER_WORDS:
            continue
        if word[:1].isupper():
            continue  # "55,000 Ukrainian soldiers": the adjective is not what is counted
        if low in _MONTHS or low in _SCALES:
            return "", ""
        found = terms(low)
        return (found[0], word) if found else ("", "")
    return "", ""


def quantities(text: str) -> list[Quantity]:
    """The figures of ``text`` that count something (years, times and dates left out)."""
    out = []
    for m in _FIGURE.finditer(text):
        num = m.group("num").lower()
        before = text[max(0, m.start() - 24) : m.start()]
        cur = _CURRENCY.search(before)
        bound = _BOUND.search(before[: cur.start()] if cur else before)
        if num in NUMBER_WORDS:
            value = NUMBER_WORDS[num]
        else:
            value = float(num.replace(",", ""))
            if re.fullmatch(r"(?:19|20)\d\d", num) and not cur and not m.group("pct"):
                continue  # a year
        value *= _SCALES.get((m.group("scale") or "").lower(), 1.0)
        if m.group("pct") or cur:
            # a percentage or an amount is compared only with one of the same thing: "a 25
            # percent tariff" and "34% reciprocal duties" are two measures, not two accounts
            noun = ("%" if m.group("pct") else cur.group(1) if cur else "")
            counted = _noun(m.group("after") or "")[0]
            noun, shown = noun + (f" {counted}" if counted else ""), ""
        else:
            noun, shown = _noun(m.group("after") or "")
        if not noun:
            continue
        start = m.start() - (len(before) - cur.start()) if cur else m.start()
        first = m.start() - (len(before) - bound.start()) if bound else start
        out.append(Quantity(value, noun, _BOUNDS[" ".join(bound.group(1).lower().split())]
                            if bound else "=", first, m.end(),
                            text[start : m.end()].strip() + (f" {shown}" if shown else "")))
    return out


# --- sentences of a story -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Spot:
    """Where a figure or a date is in its sentence: the words it is made of, and the content
    words within :data:`NEAR` words of it."""

    start: int
    end: int
    own: frozenset[str]
    near: frozenset[str]


def _spot(text: str, start: int, end: int, written: str) -> _Spot:
    return _Spot(start, end, frozenset(terms(written)),
                 frozenset(terms(_window(text, start, end, NEAR))))


class _Sentence:
    """A sentence of a source, with what the detectors compare (each computed once, when a
    detector first asks: most sentences are never compared)."""

    def __init__(self, source_id: str, start: int, end: int, text: str) -> None:
        self.source_id, self.start, self.end, self.text = source_id, start, end, text
        self.denial = bool(_DENIAL.search(text))
        self.quantities = quantities(text)
        self.date_marks = _dates(text)

    @cached_property
    def terms(self) -> frozenset[str]:
        return frozenset(terms(self.text))

    @cached_property
    def times(self) -> frozenset[str]:
        return _times(self.text)

    @cached_property
    def hedged(self) -> bool:
        return bool(_HEDGE.search(self.text))

    @cached_property
    def figures(self) -> list[tuple[Quantity, _Spot]]:
        return [(q, _spot(self.text, q.start, q.end, q.written)) for q in self.quantities]

    @cached_property
    def dates(self) -> list[tuple[tuple[str, int, str | None], _Spot]]:
        return [(key, _spot(self.text, m.start(), m.end(), m.group(0)))
                for m, key in self.date_marks]

    @cached_property
    def denied(self) -> frozenset[str]:
        """What a denial denies: the content words after its cue ("denied that ...")."""
        cue = _DENIAL.search(self.text)
        return frozenset(terms(self.text[cue.end() :])) if cue else frozenset()

    def evidence(self) -> Evidence:
        return Evidence(source_id=self.source_id, quote=self.text, start=self.start,
                        end=self.end)


#: how a detector reports a difference: about, key, one side and its text, the other side
_Add = Callable[[str, str, _Sentence, str, _Sentence, str], None]


def _times(text: str) -> frozenset[str]:
    low = text.lower()
    months = {m for m in _MONTHS if re.search(rf"\b{m[:3]}(?:{m[3:]})?\.?\b", low)
              and not (m == "may" and not re.search(r"\bmay\s+\d", low))}
    return frozenset(months | set(_YEAR.findall(text)))


def sentences(article: Article) -> Iterator[_Sentence]:
    for seg in segment(article.text):
        if seg.kind == "sentence":
            yield _Sentence(article.id, seg.start, seg.end, seg.text)


def _window(text: str, start: int, end: int, words: int = WINDOW) -> str:
    """``text[start:end]`` with up to ``words`` words each side, verbatim; "…" where cut."""
    spaces = [m.start() for m in re.finditer(r"\s+", text[:start])]
    left = spaces[-words] if len(spaces) >= words else 0
    ends = [m.end() for m in re.finditer(r"\s+", text[end:])]
    right = end + ends[words] if len(ends) > words else len(text)
    cut = text[left:right].strip()
    return ("… " if left else "") + cut + (" …" if right < len(text) else "")


# --- differences -----------------------------------------------------------------------------

def _figures(a: _Sentence, b: _Sentence) -> Iterator[tuple[_Spot, _Spot, Quantity]]:
    if a.hedged or b.hedged or a.times != b.times:
        return
    for qa, spot_a in a.figures:
        for qb, spot_b in b.figures:
            if qa.noun != qb.noun:
                continue
            figure = {*qa.noun.split(), *_UNIT_TERMS, *spot_a.own, *spot_b.own}
            if not _related(a, spot_a, b, spot_b, figure):
                continue
            (lo_a, hi_a), (lo_b, hi_b) = qa.interval(), qb.interval()
            if hi_a < lo_b or hi_b < lo_a:
                yield spot_a, spot_b, qa


def _related(a: _Sentence, spot_a: _Spot, b: _Sentence, spot_b: _Spot, ignore: set[str]
             ) -> bool:
    """Whether two figures (or dates) are about the same thing: their sentences share at
    least :data:`SHARED_TERMS` content words, and the words around each figure at least
    :data:`NEAR_TERMS` within :data:`NEAR` words (``ignore``: the figures' own words)."""
    if len((a.terms & b.terms) - ignore) < SHARED_TERMS:
        return False
    return len((spot_a.near & spot_b.near) - ignore) >= NEAR_TERMS


def _dates(text: str) -> list[tuple[re.Match[str], tuple[str, int, str | None]]]:
    out = []
    for m in _DATE.finditer(text):
        month = (m.group("m1") or m.group("m2")).lower()[:3]
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            out.append((m, (month, day, m.group("y"))))
    return out


def _about(q: Quantity) -> str:
    if q.noun.startswith("%"):
        return "a percentage"
    if not q.noun[:1].isalpha():
        return "an amount"
    return f"the number of {q.written.split()[-1]}"


def differences(group: Sequence[Article]) -> list[Difference]:
    """Conflicting figures, dates and denials between the articles of one story."""
    said = [list(sentences(a)) for a in group]
    found: list[Difference] = []
    topics: set[str] = set()

    def add(about: str, key: str, a: _Sentence, a_text: str, b: _Sentence, b_text: str
            ) -> None:
        if key in topics or len(found) >= MAX_DIFFERENCES:
            return
        topics.add(key)
        found.append(Difference(about=about, claims=[
            Claim(text=a_text, evidence=[a.evidence()]),
            Claim(text=b_text, evidence=[b.evidence()])]))

    # only sentences with something to compare meet: figures with figures, a date with a
    # date, a denial with any sentence of the other source
    figures = [[x for x in one if x.quantities] for one in said]
    dates = [[x for x in one if len(x.date_marks) == 1] for one in said]
    denials = [[x for x in one if x.denial] for one in said]
    for i in range(len(group)):
        for j in range(i + 1, len(group)):
            for a in figures[i]:
                for b in figures[j]:
                    for sa, sb, q in _figures(a, b):
                        add(_about(q), "figure:" + q.noun, a, _window(a.text, sa.start, sa.end),
                            b, _window(b.text, sb.start, sb.end))
            for a in dates[i]:
                for b in dates[j]:
                    _date_difference(a, b, add)
            for a, b in [(a, b) for a in denials[i] for b in said[j]] + [
                    (a, b) for b in denials[j] for a in said[i]]:
                _denial(a, b, add)
    return found


def _date_difference(a: _Sentence, b: _Sentence, add: _Add) -> None:
    if len(a.date_marks) != 1 or len(b.date_marks) != 1 or a.hedged or b.hedged:
        return
    ((mon_a, day_a, yr_a), spot_a), ((mon_b, day_b, yr_b), spot_b) = a.dates[0], b.dates[0]
    if (mon_a, day_a) == (mon_b, day_b) and (yr_a == yr_b or not yr_a or not yr_b):
        return
    dates = set(spot_a.own | spot_b.own)
    if _related(a, spot_a, b, spot_b, dates):
        shared = (a.terms & b.terms) - dates
        add("the date", "date:" + " ".join(sorted(shared)), a,
            _window(a.text, spot_a.start, spot_a.end), b,
            _window(b.text, spot_b.start, spot_b.end))


def _denial(a: _Sentence, b: _Sentence, add: _Add) -> None:
    if a.denial == b.denial:
        return
    denier, other = (a, b) if a.denial else (b, a)
    shared = denier.denied & other.terms
    if len(shared) >= DENIAL_TERMS:
        add("a denial", "denial:" + denier.source_id + other.source_id, a, a.text, b, b.text)


__all__ = ["MAX_DIFFERENCES", "NUMBER_WORDS", "Quantity", "differences", "quantities",
           "sentences"]
