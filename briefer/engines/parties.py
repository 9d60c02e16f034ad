"""Parties are parties: reject speaker names that are dates, pronouns, labels or fragments.

The attribution heuristics sometimes take the wrong noun phrase for a speaker: a weekday
("Saturday said ..."), a page heading ("Pending"), a fragment of a quotation ("All I'd"),
a bare plural ("opponents"), a number with its unit ("4°C) warming"). :func:`valid_party`
says whether a name can stand as the party of a position or red line.
"""

from __future__ import annotations

import re

from briefer.engines.attribution import Attribution, People, _np_after, party_of, tokenize
from briefer.engines.cues import TITLE_WORDS

_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_DAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "tonight weekend week month year morning afternoon evening night".split())
_PRONOUNS = frozenset(
    "i me my we us our you your he him his she her it its they them their this that these "
    "those who whom which what someone somebody anyone anybody everyone everybody nobody "
    "one all some many most others another each both either neither none".split())
# Heading labels and page furniture that attribution can mistake for a speaker.
_LABELS = frozenset(
    "pending update updated breaking analysis opinion editorial comment summary background "
    "context note notes editor's editors related advertisement photo image video watch "
    "live read more source sources reporting caption credit file".split())
# Bare generic plurals and roles that name nobody in particular on their own.
_GENERIC = frozenset(
    "opponents critics supporters proponents observers analysts experts people officials "
    "sources residents others some many members reporters journalists viewers readers "
    "statement report interview letter spokesperson spokesman spokeswoman".split())
# Outlets a speaker talks *to* ("told CNBC"): the attribution heuristics can take them for
# the speaker.
_MEDIA = frozenset("cnbc cnn nbc abc cbs bbc reuters ap afp bloomberg msnbc axios politico "
                   "interview statement".split())
_MEDIA_NAMES = frozenset({"nbc news", "fox news", "cbs news", "abc news", "sky news",
                          "al jazeera", "associated press", "the associated press",
                          "state media", "state television", "state tv"})
_TITLES = frozenset(w.lower() for w in TITLE_WORDS) | {"rep", "sen", "pm", "head", "house"}
_ARTICLES = frozenset({"the", "a", "an"})
# A party never starts with a preposition or conjunction, nor ends with a subject pronoun.
_OPENERS = frozenset("on in at for to from by with after before during since as if when while "
                     "that which who whom whose because although though".split())
_SUBJECT_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you"})
_ADVERBS = frozenset("just indeed still yet however moreover meanwhile instead also even now "
                     "then thus therefore overall here there so again already perhaps maybe "
                     "yes no well anyway besides nevertheless nonetheless rather otherwise "
                     "likewise first second third".split())
_CONTRACTION = re.compile(r"[’']\s*(?:d|ll|ve|re|m|s)$", re.I)
_WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*")


def valid_party(name: str | None) -> bool:
    """True when ``name`` can be the party of a position or red line.

    Rejects: empty names, dates and weekdays/months, pronouns, heading labels, bare generic
    plurals ("opponents"), numbers and measurements ("4°C) warming"), quotation fragments
    ("All I'd"), names with unbalanced brackets, and review/status labels such as
    "KDP-C review".
    """
    if not name:
        return False
    text = name.strip(" ,.;:\"“”'’")
    if text[:1].islower() and text.split()[0].lower() in _OPENERS:
        return False
    if not text or len(text) > 80:
        return False
    if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        return False
    if any(ch.isdigit() for ch in text) and not re.search(r"[A-Za-z]{2,}\d|\bG\d+\b|\bP\d\+\d",
                                                          text):
        return False  # dates, sums, temperatures ("4°C) warming"); "G7"/"P5+1" pass
    words = _WORD.findall(text)
    if not words:
        return False
    low = [w.lower() for w in words]
    content = [w for w in low if w not in _ARTICLES]
    if not content:
        return False
    if all(w in _MONTHS or w in _DAYS or w in {"last", "next", "this", "on", "of", "early",
                                               "late", "mid"} for w in content):
        return False
    if len(content) == 1 and (content[0] in _PRONOUNS or content[0] in _LABELS
                              or content[0] in _GENERIC or content[0] in _TITLES
                              or content[0] in _MEDIA):
        return False  # "he", "Pending", "opponents", "Rep", "CNBC"
    if " ".join(content) in _MEDIA_NAMES:
        return False
    if content[0] in _PRONOUNS and not words[0][:1].isupper():
        return False  # "they said" fragments, "some of them"
    if low[0] in _OPENERS or low[-1] in _SUBJECT_PRONOUNS:
        return False  # clause fragments: "on Saturday it", "after the vote they"
    if len(content) == 1 and (content[0] in _ADVERBS or content[0].endswith("ly")):
        return False  # sentence adverbs taken for a subject: "Indeed", "Finally", "Just"
    if _CONTRACTION.search(text) and words[0].lower() in _PRONOUNS | {"all", "what", "that"}:
        return False  # quotation fragments: "All I'd", "What we'd"
    # labels: "KDP-C review", "Pending"
    return not (low[-1] in {"review", "update", "status", "warming", "pending"}
                and len(words) <= 3)




_LEADING = frozenset({"but", "and", "however", ",", "meanwhile", "still", "yet", "so", "also",
                      "now", "instead", "separately", "earlier", "later", "then", "in",
                      "fact", "for", "his", "part", "her", "its", "their"})


def subject_party(sentence: str, people: People, at: int, known: list[str]) -> str | None:
    """The party a sentence is about when nobody is quoted: its opening noun phrase
    ("Beijing regards ...", "Greer defended ...", "Analysts expect ..."), resolved to a full
    name where the article gives one; None when that is no valid party."""
    tokens = tokenize(sentence)
    i = 0
    while i < len(tokens) and i < 4 and tokens[i].low in _LEADING:
        i += 1
    span = _np_after(tokens, i)
    if span is None:
        return None
    phrase = sentence[tokens[span[0]].start : tokens[span[1] - 1].end]
    party = party_of(phrase, people, at + tokens[span[0]].start, known)
    return party if valid_party(party) else None


def party_for(sentence: str, attribution: Attribution | None, people: People, at: int,
              known: list[str], previous: str | None = None) -> str | None:
    """Who holds the position or red line a sentence states: the attributed speaker when
    that is a valid party, else ``previous`` (the speaker of a quotation this sentence
    continues), else the first titled person the sentence names, else its subject."""
    if attribution is not None and valid_party(attribution.party):
        return attribution.party
    if previous and valid_party(previous):
        return previous
    if attribution is not None:  # a speaker was there but not a party ("told CNBC", "Rep")
        named = [(sentence.find(p.name), p.name) for p in people.people if p.name in sentence]
        if named:
            return min(named)[1]
    return subject_party(sentence, people, at, known)

__all__ = ["party_for", "subject_party", "valid_party"]
