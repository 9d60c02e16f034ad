"""Tokens and noun phrases of a sentence, and the titled people an article names: the
pieces attribution is built from. ``People`` resolves ``Wang`` to ``Wang Yi``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefer.engines.cues import ROLE_WORDS, TITLE_WORDS
from briefer.text import STARTERS, STOPWORDS

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['’.\-][^\W_]+)*|[^\w\s]")
_OPEN_QUOTES = "“\"‘"
_CLOSE_QUOTES = "”\"’"
_CAP_STOP = STARTERS | {"But", "And", "Or", "Instead", "Ahead", "Underscoring", "Speaking",
                        "Mail", "Reuters", "Although", "Even", "Separately", "Together", "Let's",
                        "Let’s", "Please"}
_DETERMINERS = frozenset({"the", "a", "an"})
# Words that may open a noun phrase: "Both delegations", "Several lawmakers".
_NP_OPENERS = _DETERMINERS | {"both", "all", "some", "many", "most", "several", "two", "three",
                              "four", "five", "other", "senior", "top"}
# Words that may stand between a reporting verb and its "that": "told Reuters in an
# interview in Washington that ...".
_BRIDGE = frozenset(
    """the a an in on at to with during after before of for him her them us me reporters
    journalists interview statement conference briefing news television radio parliament
    lawmakers audience crowd meeting call phone , also again repeatedly""".split()
)
_MAX_NP = 10


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower()


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _is_cap(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.text not in _CAP_STOP


def _np_part(tok: Token) -> bool:
    return _is_cap(tok) or tok.low in ROLE_WORDS or (
        _possessive(tok.text) and tok.text not in _CAP_STOP)


def _modifier(tokens: list[Token], i: int, end: int) -> bool:
    """``tokens[i-1]`` is a plain word modifying a role inside a noun phrase:
    "the *energy* ministry", "Norland's *fisheries* minister"."""
    tok = tokens[i - 1]
    return (i < end and tokens[i].low in ROLE_WORDS and _plain_word(tok) and i >= 2
            and (tokens[i - 2].low in _NP_OPENERS or _possessive(tokens[i - 2].text)
                 or _is_cap(tokens[i - 2])))


def _possessive(word: str) -> bool:
    return word.endswith(("’s", "'s"))


def _name_tail(tokens: list[Token]) -> list[Token]:
    """Trailing capitalised tokens that are not titles: the personal name of a noun phrase."""
    tail: list[Token] = []
    for tok in reversed(tokens):
        if not _is_cap(tok) or tok.text in TITLE_WORDS or _possessive(tok.text):
            break
        tail.insert(0, tok)
    return tail


def _plain_word(tok: Token) -> bool:
    return tok.text.isalpha() and tok.text.islower() and tok.low not in STOPWORDS


def _leads_to_role(tokens: list[Token], j: int) -> bool:
    """``tokens[j]`` opens one or two plain modifiers of a role: "the *central* bank"."""
    for k in range(j, min(j + 2, len(tokens) - 1)):
        if not _plain_word(tokens[k]):
            return False
        if tokens[k + 1].low in ROLE_WORDS:
            return True
    return False


def _np_before(tokens: list[Token], end: int) -> tuple[int, int] | None:
    """Token range ``[i, end)`` of the noun phrase that ends just before ``tokens[end]``."""
    i = end
    while i > 0 and end - i < _MAX_NP:
        tok = tokens[i - 1]
        if _np_part(tok) or _modifier(tokens, i, end) or (
                tok.low == "of" and i - 2 >= 0 and _is_cap(tokens[i - 2])
                and i < end and _is_cap(tokens[i])):
            i -= 1
        else:
            break
    if i == end:
        return None
    if i > 0 and tokens[i - 1].low in _NP_OPENERS:
        i -= 1
    return i, end


def _np_after(tokens: list[Token], start: int) -> tuple[int, int] | None:
    j = start
    if j < len(tokens) and tokens[j].low in _DETERMINERS:
        j += 1
    first = j
    while j < len(tokens) and j - start < _MAX_NP:
        tok = tokens[j]
        if _np_part(tok) or _leads_to_role(tokens, j) or (
                tok.low == "of" and j > first and j + 1 < len(tokens)
                and _is_cap(tokens[j + 1])):
            j += 1
        else:
            break
    return (start, j) if j > first else None


@dataclass(frozen=True, slots=True)
class Person:
    at: int
    name: str
    parts: frozenset[str]
    role: str | None


class People:
    """Titled personal names in an article, so ``Wang`` resolves to ``Wang Yi``."""

    def __init__(self, text: str) -> None:
        self.people: list[Person] = []
        self.roles: dict[str, str] = {}
        tokens = tokenize(text)
        i = 0
        while i < len(tokens):
            if not _is_cap(tokens[i]):
                i += 1
                continue
            j = i
            while j < len(tokens) and (_is_cap(tokens[j]) or (
                    tokens[j].low == "of" and j + 1 < len(tokens) and _is_cap(tokens[j + 1]))):
                j += 1
            self._consider(text, tokens, i, j)
            i = j
        self.people.sort(key=lambda p: p.at)

    def _consider(self, text: str, tokens: list[Token], i: int, j: int) -> None:
        run = tokens[i:j]
        if _possessive(run[-1].text):  # "President Vladimir Putin's conditions"
            last = run[-1]
            run[-1] = Token(last.start, last.end - 2, last.text[:-2])
        tail = _name_tail(run)
        if not 2 <= len(tail) <= 3 or not all(t.text.replace("-", "").isalpha() for t in tail):
            return
        titled = len(tail) < len(run)
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.text == "," and i > 1:
            prev = tokens[i - 2]  # apposition: "minister of public security, Wang Xiaohong"
        if not titled and not (prev is not None and prev.low in ROLE_WORDS):
            return
        name_start = j - len(tail)
        span = _np_before(tokens, name_start) if name_start > 0 else None
        role = None
        if span is not None and span[0] < name_start:
            role = text[tokens[span[0]].start : tokens[name_start - 1].end]
        name = text[tail[0].start : tail[-1].end]
        self.people.append(Person(tail[0].start, name, frozenset(t.text for t in tail), role))
        if role:
            self.roles.setdefault(role.lower(), name)

    def resolve(self, phrase: str, at: int) -> str:
        """The full name a mention refers to, or the mention itself."""
        if phrase.lower() in self.roles:
            return self.roles[phrase.lower()]
        words = phrase.split()
        if len(words) != 1:
            return phrase
        best = None
        for person in self.people:
            if words[0] in person.parts:
                if person.at <= at or best is None:
                    best = person.name
                if person.at > at:
                    break
        return best or phrase
