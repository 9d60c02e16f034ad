"""Block rules of injection detection: from the sentences :func:`briefer.safety.scan` flags to
the whole instruction they belong to.

An injection is rarely one sentence: a jailbreak is a page of second person, a planted
"system" block runs over several paragraphs. Once one sentence of it is flagged, a human
editor reads on while the text still speaks to the reader or has left the article's topic.
:func:`extend_runs` does the same: a flagged sentence takes in its neighbours (across
paragraph breaks, in both directions, one after the other) while each of them

* carries any signal (score of 0.5 or more) or the learned component gives it 0.5 or more;
* addresses the reader ("you", "your") outside quotation marks;
* is a fragment (three words or fewer: "Thanks!", a code fence, a tag);
* is off the article's topic: it has four content words or more and none of them occurs
  anywhere else in the article's unflagged text (only in an article of ten unflagged
  sentences or more: a short article repeats few words).

Then :func:`fill_gaps` flags what lies between two flagged sentences at most :data:`GAP`
sentences apart (a persona jailbreak's "It also loved jokes." between its commands).

None of these starts a flag: they only grow one, so an article with no flagged sentence is
untouched (the clean-corpus false positives cannot change), and what they cost is a clean
sentence next to an injection left out of the brief.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.text import Segment

CONTINUE_SCORE = 0.5
CONTINUE_LEARNED = 0.5
FRAGMENT_WORDS = 3
FOREIGN_MIN_TERMS = 4
FOREIGN_SHARE = 0.0
FOREIGN_MIN_SENTENCES = 10
GAP = 6
# "u" (text-speak) only in lower case and not as "U.S." or "u.s.": a news article says U.S.
_SECOND_PERSON = re.compile(r"\b(?i:you|your|yours|yourself|yourselves)\b|\bu\b(?![.\w])")


LETTER_SENTENCES = 5
LETTER_SHARE = 0.15
LETTER_SPREAD = 0.5


def discount_letter(segments: Sequence[Segment], scored: list[tuple[float, tuple[str, ...]]],
                    unquoted: Callable[[str], str]) -> None:
    """An article written to its reader (an open letter, an advice column) says "you" in its
    own voice: when at least :data:`LETTER_SHARE` of its sentences (and five or more) address
    the reader with no signal at all, from one end of the article to the other (the first and
    the last of them at least :data:`LETTER_SPREAD` of the article apart), the ``you`` signal
    (1.0) no longer counts, and the learned component counts 1.0 less. "U.S." is not "u"."""
    plain = [n for n, (seg, (score, _)) in enumerate(zip(segments, scored, strict=True))
             if score == 0 and _SECOND_PERSON.search(unquoted(seg.text))]
    if len(plain) < LETTER_SENTENCES or len(plain) < LETTER_SHARE * len(segments):
        return
    if plain[-1] - plain[0] + 1 < LETTER_SPREAD * len(segments):
        return  # one block of second person is a passage (a planted jailbreak), not a letter
    for n, (score, signals) in enumerate(scored):
        cut = 1.0 * ("you" in signals) + 1.0 * ("learned" in signals)
        if cut:
            scored[n] = (score - cut, tuple(s for s in signals if s != "you"))


def extend_runs(segments: Sequence[Segment], scores: Sequence[float], flagged: list[bool],
                unquoted: Callable[[str], str], probability: Callable[[str], float]) -> None:
    """Grow every run of ``flagged`` sentences over the neighbours that continue it."""
    if not any(flagged) or all(flagged):
        return
    from briefer.text import terms

    own = [set(terms(seg.text)) for seg in segments]
    elsewhere: Counter[str] = Counter()
    for n, words in enumerate(own):
        if not flagged[n]:
            elsewhere.update(words)

    foreign_ok = len(segments) - sum(flagged) >= FOREIGN_MIN_SENTENCES

    def continues(m: int) -> bool:
        seg = segments[m]
        if scores[m] >= CONTINUE_SCORE or seg.words <= FRAGMENT_WORDS:
            return True
        text = unquoted(seg.text)
        if _SECOND_PERSON.search(text):
            return True
        words = own[m]
        if foreign_ok and len(words) >= FOREIGN_MIN_TERMS and sum(
                elsewhere[w] > 1 for w in words) <= FOREIGN_SHARE * len(words):
            return True
        return seg.words >= 4 and probability(text) >= CONTINUE_LEARNED

    for m in range(1, len(segments)):
        if flagged[m - 1] and not flagged[m] and continues(m):
            flagged[m] = True
    for m in range(len(segments) - 2, -1, -1):
        if flagged[m + 1] and not flagged[m] and continues(m):
            flagged[m] = True
    fill_gaps(flagged)


def fill_gaps(flagged: list[bool], gap: int = GAP) -> None:
    """Flag the sentences between two flagged ones at most ``gap`` sentences apart: a long
    jailbreak has sentences with no signal of their own ("It also loved jokes.") between
    ones that speak to the model."""
    last = None
    for n, hot in enumerate(flagged):
        if not hot:
            continue
        if last is not None and 1 < n - last <= gap + 1:
            for m in range(last + 1, n):
                flagged[m] = True
        last = n


# --- titles -----------------------------------------------------------------------------------

__all__ = ["discount_letter", "extend_runs", "fill_gaps"]
