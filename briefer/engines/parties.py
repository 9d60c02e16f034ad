"""Parties are parties: reject speaker names that are dates, pronouns, labels or fragments.

The attribution heuristics sometimes take the wrong noun phrase for a speaker: a weekday
("Saturday said ..."), a page heading ("Pending"), a fragment of a quotation ("All I'd"),
a bare plural ("opponents"), a number with its unit ("4°C) warming"). :func:`valid_party`
says whether a name can stand as the party of a position or red line.
"""

from __future__ import annotations

import re

from briefer.engines.attribution import Attribution, People, _np_after, party_of, tokenize
from briefer.engines.cues import ROLE_WORDS, TITLE_WORDS
from briefer.engines.phrases import Token

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
                     "that which who whom whose because although though among amid despite "
                     "under over about across through like unlike beyond within without "
                     "toward towards regarding".split())
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
    if not text or len(text) > 80 or "\n" in text:
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
    acronym = len(words[-1]) > 1 and words[-1].isupper()  # "US", "UK": not "us"
    if len(content) == 1 and ((content[0] in _PRONOUNS and not acronym) or content[0] in _LABELS
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




def spelled_out(party: str, text: str) -> str:
    """An acronym the article spells out elsewhere, in its fullest form with the acronym
    kept (articles and readers use both): "BOJ" -> "Bank of Japan (BOJ)", "US" -> "United
    States (US)" (only where the article has that form); anything else unchanged."""
    bare = party.replace(".", "")
    if not (2 <= len(bare) <= 5 and bare.isalpha() and bare.isupper()):
        return party
    glue = r"(?:\s+(?:of|the|and|for|on|de|du|des|al)\b)*\s+"
    words = [f"{bare[0]}[a-z’'-]+"] + [
        f"(?:{c}[a-z’'-]+|{c.lower()}[a-z]{{1,2}})" for c in bare[1:]]  # "Bank of Japan"
    rx = re.compile(r"\b" + glue.join(words) + r"\b")
    found: dict[str, int] = {}
    for m in rx.finditer(text):
        name = re.sub(r"[’']s$", "", m.group(0))
        found[name] = found.get(name, 0) + 1
    return f"{max(found, key=lambda k: (found[k], k))} ({party})" if found else party


# A capital standing for its state ("Moscow said", "Beijing rejected"): the party is the
# state; the brief names both, as the article's word and what it stands for.
_CAPITALS = {
    "moscow": "Russia", "kyiv": "Ukraine", "kiev": "Ukraine", "beijing": "China",
    "washington": "United States", "brussels": "EU", "tehran": "Iran",
    "pyongyang": "North Korea", "seoul": "South Korea", "tokyo": "Japan", "ankara": "Turkey",
    "damascus": "Syria", "new delhi": "India", "delhi": "India", "islamabad": "Pakistan",
    "taipei": "Taiwan", "london": "United Kingdom", "paris": "France", "berlin": "Germany",
    "caracas": "Venezuela", "havana": "Cuba", "riyadh": "Saudi Arabia", "cairo": "Egypt",
    "baghdad": "Iraq", "kabul": "Afghanistan", "minsk": "Belarus", "warsaw": "Poland",
    "budapest": "Hungary", "canberra": "Australia", "ottawa": "Canada", "rome": "Italy",
    "madrid": "Spain", "manila": "Philippines", "hanoi": "Vietnam", "doha": "Qatar",
    "beirut": "Lebanon", "amman": "Jordan", "tripoli": "Libya", "khartoum": "Sudan",
    "addis ababa": "Ethiopia", "nairobi": "Kenya", "pretoria": "South Africa",
    "brasilia": "Brazil", "mexico city": "Mexico", "buenos aires": "Argentina",
}


def with_state(party: str) -> str:
    """"Moscow" -> "Moscow (Russia)": a capital that speaks stands for its state; any other
    name unchanged."""
    state = _CAPITALS.get(party.strip().lower())
    return f"{party} ({state})" if state else party


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
    comma = next((k for k in range(i, min(i + 6, len(tokens))) if tokens[k].text == ","), None)
    if comma is not None and (tokens[i].low in _OPENERS or (i and tokens[i - 1].low in _OPENERS)):
        i = comma + 1  # "On Tuesday, he released ...", "In an interview, the president said"
    if i < len(tokens) and tokens[i].low in ("he", "she"):
        last = known[-1] if known and people.is_person(known[-1]) else None
        return last or people.last_person(at)
    span = _np_after(tokens, i)
    if span is None or (span[1] - span[0] == 1 and tokens[span[0]].low in _GENERIC):
        return _group(sentence, tokens, i)
    phrase = sentence[tokens[span[0]].start : tokens[span[1] - 1].end]
    party = party_of(phrase, people, at + tokens[span[0]].start, known)
    return party if valid_party(party) else None


_PEOPLE = frozenset("sides men women leaders countries nations states governments ministers "
                    "lawmakers senators republicans democrats conservatives liberals "
                    "proponents protesters scientists diplomats".split())
_GROUP_OPENERS = frozenset("some many most both several the two three".split())
_VERBISH = frozenset("are is was were have has had will would said say says agree agreed "
                     "expect expected want wanted believe believed fear feared argue argued "
                     "warn warned insist insisted oppose opposed support supported".split())


def _group(sentence: str, tokens: list[Token], i: int) -> str | None:
    """A group the sentence opens with, named by what its members are: "Supporters of the
    project said", "Some senior ministers are", "Both sides agree" (a party of its own when
    the article names no one more specific there)."""
    end = next((k for k in range(i, min(i + 7, len(tokens))) if tokens[k].low in _VERBISH),
               None)
    if end is None or end - i < 1:
        return None
    words = tokens[i:end]
    if not all(t.text.replace("-", "").isalpha() or t.text in "-'’" for t in words):
        return None
    core = next((words[:k] for k, t in enumerate(words) if t.low in ("of", "in") and k), words)
    head = core[-1]
    if not (head.low in ROLE_WORDS or head.low in _GENERIC or head.low in _PEOPLE
            or (head.text[:1].isupper() and head.low.endswith("s"))):
        return None
    if len(words) == 1 and (head in _GENERIC or head in _PRONOUNS):
        return None  # "Analysts", "They": too vague to stand alone
    if words[0].low not in _GROUP_OPENERS and words[0].low not in _GENERIC \
            and not words[0].text[:1].isupper():
        return None
    phrase = sentence[words[0].start : words[-1].end]
    return phrase if "\n" not in phrase and valid_party(phrase) else None


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
    if people.author and _FIRST_PERSON.match(sentence):
        return people.author  # a column's or letter's "I" / "we" is its author
    passive = _BY.search(sentence)
    if passive:  # "This proposal was rejected by UN Secretary-General Antonio Guterres."
        party = party_of(passive.group(1).rstrip(" ."), people, at + passive.start(1), known)
        if valid_party(party):
            return party
    subject = subject_party(sentence, people, at, known)
    if subject is None and people.author and people.opinion:
        return people.author  # an op-ed's own argument is its author's
    return subject


# "was rejected by X", "has been criticised by X": X holds the stance (a capitalised name)
_BY = re.compile(r"\b(?:is|are|was|were|been|being) (?:\w+ly )?\w+(?:ed|en) by "
                 r"((?:the )?[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,5})"
                 r"(?=[,.;]|\s+(?:on|in|at|after|before|for|during|as|last|this)\b|$)")
_FIRST_PERSON = re.compile(r"^(?:(?:But|And|So|Yet|Still|Now),? )?(?:I|We|My|Our)\b")

__all__ = ["party_for", "spelled_out", "subject_party", "valid_party", "with_state"]
