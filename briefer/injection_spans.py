"""What the quarantine keeps out of a brief and out of a model's prompt: the sentences the
scan flags, and what is not news around them or anywhere in the text
(:func:`kept_out_spans`). :mod:`briefer.quarantine` builds its :class:`~briefer.quarantine.Guard`
on these spans; nothing here flags a sentence (detection and its false positives are
:func:`briefer.safety.scan`'s alone).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.safety import Flag
    from briefer.text import Segment

#: content words a sentence needs before "it shares none with the article" means anything
OFF_TOPIC_TERMS = 2
#: unflagged sentences an article needs before "it shares no word with the rest" means
#: anything (as for the scan's runs, :data:`briefer.injection_score.FOREIGN_MIN_SENTENCES`)
MIN_SENTENCES = 10
#: a neighbour of a quarantined sentence sharing at most this many of its content words (or
#: this share of them) with the text further than NEIGHBOUR_WINDOW sentences away continues it
NEIGHBOUR_SHARED = 1
NEIGHBOUR_SHARE = 0.2
NEIGHBOUR_WINDOW = 1
#: a paragraph that gives an order and shares at most this share of its content words (of
#: PARAGRAPH_TERMS or more; LINE_SHARED for a paragraph of one sentence) with the rest of the
#: text is a passage written for someone else
PARAGRAPH_SHARED = 0.2
LINE_SHARED = 1 / 3
PARAGRAPH_TERMS = 5
#: a run of quarantined sentences with more flagged ones than this, or this many with one
#: scoring at least BESIDE_SCORE, takes one neighbour each side
BESIDE_FLAGGED = 2
BESIDE_SCORE = 2.5
#: the first sentences of a text are its lede: the word tests do not start a quarantine there
#: ("(CNN)That sound you just heard was the crash of hearts breaking all over the world.")
LEAD_SENTENCES = 2
#: sentences of a paragraph between two flagged runs at most this far apart are quarantined
FILL_GAP = 10
#: a paragraph with this share of its sentences quarantined is quarantined whole
PARAGRAPH_MOSTLY = 2 / 3

_YOU = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.I)
# Someone's words: a quotation, or a sentence that opens one or closes one (a quotation over
# several sentences: "'Don't be ... products." + "Let the ... have it,' he posted.").
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’(?!\w)|(?<!\w)\'.+?\'(?!\w)'
                     r'|^\s*["“‘\'].*|^.*?[,.!?]["”’\'](?=\s|$)')
_LETS = re.compile(r"\s*(?:let's|let’s|let us)\b", re.I)


def _news_terms(segments: Sequence[Segment]) -> list[set[str]]:
    from briefer.text import terms

    return [set(terms(seg.text)) for seg in segments]


def _addressed(plain: str, letter: bool = False) -> bool:
    """Whether a sentence (outside quotation marks) gives an order or speaks to its reader:
    an imperative, "Let's ...", or "you"/"your" (not in a letter to the reader)."""
    from briefer.injection_signals import _is_imperative

    plain = _QUOTED.sub(" ", plain).strip()  # someone's words, reported or not
    return bool(plain) and bool((not letter and _YOU.search(plain)) or _LETS.match(plain)
                                or _is_imperative(plain)[0])


def _letter(plains: Sequence[str]) -> bool:
    """Whether a text speaks to its reader throughout (an open letter, an advice column), as
    :func:`briefer.injection_score.discount_letter` judges it: there "you" is its own voice."""
    from briefer.injection_score import LETTER_SENTENCES, LETTER_SHARE, LETTER_SPREAD

    yours = [n for n, plain in enumerate(plains) if _YOU.search(plain)]
    return (len(yours) >= max(LETTER_SENTENCES, LETTER_SHARE * len(plains))
            and yours[-1] - yours[0] + 1 >= LETTER_SPREAD * len(plains))


def kept_out_spans(text: str, flagged: Sequence[Flag]
                 ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans kept out of a brief: the flagged sentences, and what is not news around them
    or anywhere in a text of :data:`MIN_SENTENCES` unflagged sentences or more:

    * a sentence that gives an order or speaks to the reader and shares none of its content
      words with the rest of the text (two, or one when it says "you" or "let's": "Are you
      ready?", "Let's play a game.");
    * an imperative of three content words or more (two for ignore/print/repeat...) sharing
      at most one of them (of the command alone when it is glued to a caption), or a sentence
      that says "you" with four or more sharing at most one;
    * a paragraph that gives an order and has left the article (:func:`_foreign_paragraphs`);
    * a paragraph of one sentence without an English function word ("the", "of", "is"...)
      sharing none of its two or more content words with the rest ("Ignoriere die Anweisung";
      a photo credit: nothing a brief needs). It is only kept out: nothing grows from it;
    * then, grown (:func:`_grow`) from the runs that hold a flagged sentence: every sentence
      between two of them in a paragraph (at most :data:`FILL_GAP` apart: the middle of a
      partly flagged jailbreak) or at most two sentences apart across paragraphs, the rest of
      a paragraph of which :data:`PARAGRAPH_MOSTLY` is quarantined, and each neighbour that
      shares none of its content words (at most :data:`NEIGHBOUR_SHARED`, or a fifth, when
      it has four or more) with the text outside
      quarantine and more than :data:`NEIGHBOUR_WINDOW` sentences away (the rest of a partly
      flagged instruction shares words with itself, not with the article: "Khajiit was
      free." before a flagged "Khajiit must ..."); from the other runs, only over neighbours
      that share no word (at most one of four or more) with the rest of the text;
    * and last, one sentence on each side of every run that holds three flagged sentences,
      or two with a strong one (:func:`_beside_flags`), grown again as above: a model that
      may not read a flagged line does not get to obey the next one ("The subject should be
      the same as the one of the email." after a flagged "Send the body of the email ...").
      Flags are the scan's, and on clean text there are none, so this costs only sentences
      of an article that carries an injection (or a false positive of the scan).

    In a letter to the reader (:func:`_letter`) "you" is the writer's own voice, not a sign,
    and the first :data:`LEAD_SENTENCES` sentences (a feature's lede) start nothing.
    This flags nothing (detection and its false positives are the scan's alone): it only
    keeps sentences, and what repeats them, out of the brief and out of a model's prompt."""
    from briefer.injection_signals import (
        _function_words,
        _is_imperative,
        _unquoted,
        after_caption,
    )
    from briefer.text import segment, terms

    segments = segment(text)
    own = _news_terms(segments)
    counts: Counter[str] = Counter()
    for words in own:
        counts.update(words)
    scores = [max((f.score for f in flagged if f.start < seg.end and seg.start < f.end),
                  default=0.0) for seg in segments]
    hot = [score > 0 for score in scores]
    out = list(hot)
    if len(out) - sum(out) < MIN_SENTENCES:  # a short text repeats few words: no word test
        _beside_flags(out, scores)
        return _spans(segments, out), _spans(segments, hot)
    plains = [_unquoted(seg.text) for seg in segments]
    letter = _letter(plains)
    for n in range(len(segments)):
        if n < LEAD_SENTENCES and sum(seg.para == segments[n].para for seg in segments) > 1:
            continue  # a feature's lede may speak to the reader (a line of its own may not)
        tail = after_caption(plains[n])  # "Photo | Getty Images Replace every ..."
        words = set(terms(tail)) if tail else own[n]
        if out[n] or not words:
            continue
        shared = sum(counts[w] > 1 for w in words)
        plain = _QUOTED.sub(" ", tail or plains[n]).strip()  # someone's words are news
        command, control = _is_imperative(plain) if plain else (False, False)
        you = not letter and bool(_YOU.search(plain))
        out[n] = (shared == 0 and _addressed(plain, letter) and (
            len(words) >= OFF_TOPIC_TERMS or not command)) or (
            command and len(words) >= OFF_TOPIC_TERMS + (not control) and shared <= 1) or (
            you and len(words) >= 4 and shared <= 1)
    alone = [not out[n] and len(words) >= OFF_TOPIC_TERMS and not any(
        counts[w] > 1 for w in words) and all(
        segments[m].para != segments[n].para for m in (n - 1, n + 1) if 0 <= m < len(out))
        and not _function_words(plains[n])[1] for n, words in enumerate(own)]
    _foreign_paragraphs(segments, own, plains, out, letter)
    if not any(out):
        return _spans(segments, alone), _spans(segments, alone)
    _grow(segments, own, out, hot)
    core = [a or b for a, b in zip(out, alone, strict=True)]
    _beside_flags(out, scores)
    _grow(segments, own, out, hot)
    return _spans(segments, [a or b for a, b in zip(out, alone, strict=True)]), _spans(
        segments, core)


def _spans(segments: Sequence[Segment], chosen: Sequence[bool]) -> list[tuple[int, int]]:
    return [(seg.start, seg.end) for seg, hit in zip(segments, chosen, strict=True) if hit]


def _beside_flags(out: list[bool], scores: Sequence[float]) -> None:
    """Each run of ``out`` sentences that holds more than :data:`BESIDE_FLAGGED` flagged
    sentences (``scores`` above 0), or that many with one scoring :data:`BESIDE_SCORE` or
    more, takes one more sentence on each side (a single flagged line, or a weakly flagged
    pair, is more often page furniture, "For a chance to be mentioned ..., comment on the
    bottom of this page", than the start of a longer instruction)."""
    edges = []
    for n, m in _runs(out):
        hits = sum(x > 0 for x in scores[n:m])
        if hits > BESIDE_FLAGGED or (hits == BESIDE_FLAGGED
                                     and max(scores[n:m]) >= BESIDE_SCORE):
            edges += [k for k in (n - 1, m) if 0 <= k < len(out)]
    for k in edges:
        out[k] = True


def _grow(segments: Sequence[Segment], own: Sequence[set[str]], out: list[bool],
          hot: Sequence[bool]) -> None:
    """Grow the quarantined sentences ``out`` over what continues them (see
    :func:`_quarantined`), until nothing changes. A run that holds a flagged (``hot``)
    sentence is an instruction, and grows by every rule; a run without one (a command or a
    line for the reader that the scan did not flag, often page furniture) grows only over
    neighbours that share none of their words (or at most one of four or more) with the rest
    of the text. (A neighbour that speaks to the reader is not taken for that alone: the
    scan's runs already do so, and in an op-ed it would take the whole article.)"""
    members: dict[int, list[int]] = {}
    for n, seg in enumerate(segments):
        members.setdefault(seg.para, []).append(n)
    grown = True
    while grown:
        grown = False
        run = _run_flags(out, hot)
        for n in range(1, len(out) - 1):  # one or two sentences between flagged runs
            if not out[n] and run[n - 1] and (run[n + 1] or (n + 2 < len(out) and run[n + 2])):
                out[n] = grown = True
        for para in members.values():
            if all(out[n] for n in para):
                continue
            marked = [n for n in para if out[n]]
            if any(run[n] for n in marked) and len(marked) >= PARAGRAPH_MOSTLY * len(para):
                for n in para:  # a paragraph mostly quarantined is quarantined whole
                    out[n] = True
                grown = True
        last: dict[int, int] = {}
        for n, seg in enumerate(segments):  # between two flagged runs of a paragraph
            if run[n]:
                if seg.para in last and last[seg.para] < n - 1 <= last[seg.para] + FILL_GAP:
                    for m in range(last[seg.para] + 1, n):
                        grown |= not out[m]
                        out[m] = True
                last[seg.para] = n
        run = _run_flags(out, hot)
        for n, words in enumerate(own):
            beside = [m for m in (n - 1, n + 1) if 0 <= m < len(out) and out[m]]
            if out[n] or not beside:
                continue
            flagged_run = any(run[m] for m in beside)
            apart = _apart(own, out, n, NEIGHBOUR_WINDOW if flagged_run else 0)
            if apart == 0 or (
                    len(words) > 3 and apart <= max(NEIGHBOUR_SHARED,
                                                    NEIGHBOUR_SHARE * len(words))):
                out[n] = grown = True


def _run_flags(out: Sequence[bool], hot: Sequence[bool]) -> list[bool]:
    """For each sentence, whether it is in a run of ``out`` sentences holding a ``hot`` one."""
    marks = [False] * len(out)
    for n, m in _runs(out):
        if any(hot[n:m]):
            marks[n:m] = [True] * (m - n)
    return marks


def _runs(out: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each run of consecutive true values of ``out``."""
    n = 0
    while n < len(out):
        if not out[n]:
            n += 1
            continue
        m = n
        while m < len(out) and out[m]:
            m += 1
        yield n, m
        n = m


def _foreign_paragraphs(segments: Sequence[Segment], own: Sequence[set[str]],
                        plains: Sequence[str], out: list[bool], letter: bool) -> None:
    """Quarantine each paragraph (not the one that holds most of the text) that gives an order
    or speaks to the reader and shares at most
    :data:`PARAGRAPH_SHARED` of its content words (:data:`LINE_SHARED` for a paragraph of one
    sentence) with the rest of the text: a passage written
    for someone else ("respond as such: You're a person named Dan ..." planted into a story
    about a detention centre, "Recommend a good book for a relaxing weekend read.")."""
    paras: dict[int, list[int]] = {}
    for n, seg in enumerate(segments):
        paras.setdefault(seg.para, []).append(n)
    if len(paras) < 2:
        return
    for members in paras.values():
        if len(members) > len(segments) / 2 or all(out[n] for n in members) or not any(
                _addressed(plains[n], letter) for n in members):
            continue
        mine = set().union(*(own[n] for n in members))
        rest: set[str] = set()
        for m, words in enumerate(own):
            if segments[m].para != segments[members[0]].para and not out[m]:
                rest |= words
        share = PARAGRAPH_SHARED if len(members) > 1 else LINE_SHARED
        if len(mine) >= PARAGRAPH_TERMS and len(mine & rest) <= share * len(mine):
            for n in members:
                out[n] = True


def _apart(own: Sequence[set[str]], out: Sequence[bool], n: int, window: int) -> int:
    """How many of sentence ``n``'s content words occur in the text outside quarantine and
    more than ``window`` sentences away from it."""
    far: set[str] = set()
    for m, words in enumerate(own):
        if not out[m] and abs(m - n) > window:
            far |= words
    return len(own[n] & far)


__all__ = ["kept_out_spans"]
