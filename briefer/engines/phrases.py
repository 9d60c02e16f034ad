"""Tokens and noun phrases of a sentence, and the titled people an article names: the
pieces attribution is built from. ``People`` resolves ``Wang`` to ``Wang Yi``."""

from __future__ import annotations

import itertools
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
# Capitalised words that end institutions and places, never a person's name.
_NOT_NAMES = frozenset(
    """house court department ministry party union council commission street agreement office
    congress senate bank states kingdom nations news times post journal group company fund
    forum committee university institute army force forces guard sea ocean river island
    islands canal strait gulf city county state province region republic federation assembly
    parliament cabinet government administration organization organisation association agency
    service board authority police airport square center centre summit talks war accord
    treaty protocol act bill law day week month year east west north south middle new united
    european american british chinese russian day""".split())
# Heads of a role-only mention that can name one titled person ("the minister said").
_ROLE_HEADS = frozenset(
    """minister president leader premier pm chancellor secretary spokesman spokeswoman
    spokesperson speaker ambassador envoy diplomat governor mayor senator chief head
    commissioner chairman chairwoman chair director analyst economist prosecutor judge
    general commander king queen""".split())
_HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr."})
_SPEAKS = frozenset("said says told added argued wrote noted insisted warned explained "
                    "believes thinks stressed".split())
# What may stand before a sentence's subject: "However,", "But", "Mr", "Former President".
_SUBJECT_OPENING = re.compile(r"(?:(?:But|And|However|Yet|Still|Meanwhile|Instead|Now|Then|"
                              r"Later|Earlier|Also|So),?\s*)?(?:(?:Mr|Mrs|Ms|Dr)\.?)?")
_COMPANY = frozenset("company firm retailer carmaker automaker manufacturer chipmaker insurer "
                     "lender airline startup".split())
# Organisations a definite mention can stand for: "the agency", "the armed group".
_GROUPS = frozenset("agency group union coalition movement organisation organization "
                    "alliance federation association".split())
# Roles many people of one article can hold: no one person is "the analyst".
_MANY_HOLD = frozenset("analyst economist diplomat spokesman spokeswoman spokesperson "
                       "senator judge general commander director".split())
_GENERIC_HEADS = frozenset({"leader", "chief", "head"})
_LEADERS = frozenset({"president", "minister", "premier", "chancellor", "leader", "king"})


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
        self._untitled(text, tokens)
        self.people.sort(key=lambda p: p.at)
        self.mentions = self._mentions(tokens)
        self.subjects = self._subjects(text)
        self._organisation = self._find_organisation(text, tokens)
        self.author, self.opinion = _author(text)

    def _untitled(self, text: str, tokens: list[Token]) -> None:
        """Names given without a title ("Nancy Pelosi, a prominent Democrat") count when the
        surname also stands alone elsewhere ("Pelosi said"): a person, not a place."""
        alone: set[str] = set()
        for k, tok in enumerate(tokens):
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            if not _is_cap(tok) or (k and _is_cap(tokens[k - 1])) or (nxt and _is_cap(nxt)):
                continue
            prev = tokens[k - 1].text if k else ""
            if prev in _HONORIFICS or (nxt is not None and nxt.low in _SPEAKS) or (
                    nxt is not None and nxt.text == "," and k + 2 < len(tokens)
                    and tokens[k + 2].low == "who"):
                alone.add(tok.text[:-2] if _possessive(tok.text) else tok.text)
        known = {p.name for p in self.people}
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and _is_cap(tokens[j]) and j - i < 4:
                j += 1
            run = tokens[i:j]
            if run and _possessive(run[-1].text):
                last = run[-1]
                run[-1] = Token(last.start, last.end - 2, last.text[:-2])
            if 2 <= len(run) <= 3 and all(
                    t.text.replace("-", "").isalpha() and t.text not in TITLE_WORDS
                    and not t.text.isupper()
                    and t.text.lower() not in _NOT_NAMES for t in run) \
                    and run[-1].text in alone and all(
                        text[a.end : b.start] == " " for a, b in itertools.pairwise(run)):
                name = text[run[0].start : run[-1].end]
                role = _apposition(text, tokens, j)
                if name not in known:
                    known.add(name)
                    self.people.append(Person(run[0].start, name,
                                              frozenset(t.text for t in run), role))
                elif role:  # "Lukman Faily said ..." and later "Lukman Faily, the Iraqi
                    # ambassador to the United States, warned ...": the role counts
                    self.people = [Person(p.at, p.name, p.parts, role)
                                   if p.name == name and p.role is None else p
                                   for p in self.people]
            i = max(j, i + 1)

    def _mentions(self, tokens: list[Token]) -> list[tuple[int, str]]:
        """Where each person is mentioned (by full name or by a part of it), in order."""
        by_part: dict[str, str] = {}
        for person in self.people:
            for part in person.parts:
                by_part.setdefault(part, person.name)
        out = []
        quoted = False
        for tok in tokens:
            if tok.text in "“”\"":  # a person named inside a quotation is not its speaker
                quoted = tok.text == "“" or (tok.text == '"' and not quoted)
                continue
            word = tok.text[:-2] if _possessive(tok.text) else tok.text
            if word in by_part and _is_cap(tok) and not quoted:
                out.append((tok.start, by_part[word]))
        return out

    def _subjects(self, text: str) -> list[tuple[int, str]]:
        """The mentions that open their sentence, the subject a later "he" most likely
        continues ("However, Boies was unsure ..." / "Mr Moss will ..."): at most a
        connective and an honorific before the name."""
        out = []
        for pos, name in self.mentions:
            start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
            if _SUBJECT_OPENING.fullmatch(text[start:pos].strip()):
                out.append((pos, name))
        return out

    def last_subject(self, at: int, after: int = -1) -> str | None:
        """The person whose name last opened a sentence before ``at`` (and after
        ``after``), or None."""
        best = None
        for pos, name in self.subjects:
            if pos >= at:
                break
            if pos > after:
                best = name
        return best

    def last_mention(self, name: str, at: int) -> int:
        """Where ``name`` was last mentioned before ``at`` (-1: not at all)."""
        return max((pos for pos, n in self.mentions if n == name and pos < at), default=-1)

    def organisation(self) -> str | None:
        """The company an article is about ("the company said" -> "Blue Bell"): the name
        most often met mid-sentence that is nobody's personal name."""
        return self._organisation

    def _find_organisation(self, text: str, tokens: list[Token]) -> str | None:
        parts = {part for p in self.people for part in p.parts}
        counts: dict[str, int] = {}
        i = 1
        while i < len(tokens):
            j = i
            while j < len(tokens) and j - i < 3 and _is_cap(tokens[j]) \
                    and tokens[j].text not in TITLE_WORDS:
                j += 1
            if j > i and tokens[i - 1].text not in ".!?\n" and not any(
                    t.text in parts for t in tokens[i:j]):
                name = text[tokens[i].start : tokens[j - 1].end]
                name = name[:-2] if _possessive(name) else name
                if name.replace(" ", "").isalpha() and name.lower() not in _NOT_NAMES:
                    counts[name] = counts.get(name, 0) + 1
            i = max(j, i + 1)
        if not counts:
            return None
        best = max(counts, key=lambda n: (counts[n], len(n)))
        return best if counts[best] >= 3 else None

    def is_person(self, name: str) -> bool:
        return any(p.name == name for p in self.people)

    def last_person(self, at: int) -> str | None:
        """The person mentioned last before ``at``: whom "he" or "she" refers to."""
        best = None
        for pos, name in self.mentions:
            if pos >= at:
                break
            best = name
        return best

    def by_role(self, phrase: str, at: int) -> str | None:
        """The named person a role-only mention refers to: "the Israeli leader", "the PM",
        "Hungary's foreign minister" -> the person whose title agrees, most recent first."""
        words = [w.lower().replace(".", "") for w in re.findall(r"[\w.’']+", phrase)]
        words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words
                 if w not in _DETERMINERS]
        if not words:
            return None
        head, mods = words[-1], words[:-1]
        if head in _COMPANY and not mods:
            return self.organisation()
        if head in _GROUPS and phrase.lower().startswith("the "):
            return self.organisation()  # "the Palestinian armed group", "the agency"
        if head not in _ROLE_HEADS:
            return None
        best: tuple[int, int, str] | None = None
        for person in self.people:
            if not person.role:
                continue
            role = [w.lower().replace(".", "") for w in re.findall(r"[\w.]+", person.role)]
            if not _agrees(head, person.role):
                continue
            # "Iraq's ambassador" / "the Iraqi ambassador": a shared stem of four letters
            score = sum(any((m[:4] == r[:4] and min(len(m), len(r)) >= 4) or m == r
                            for r in role) for m in mods)
            if mods and not score:
                continue  # "the Israeli leader" is no leader of somewhere else
            seen = [pos for pos, name in self.mentions if name == person.name and pos < at]
            key = (score, seen[-1] if seen else -1 - person.at, person.name)
            if best is None or key > best:
                best = key
        if best is None and phrase.lower().startswith("the ") and head not in _MANY_HOLD:
            # "the chancellor said", "the former union leader": nobody is titled so, and
            # the definite article points at the person the article is about
            other = {p.name for p in self.people if p.role and not _agrees(head, p.role)}
            return self.main_person(at, other)  # nobody titled otherwise
        return best[2] if best else None

    def main_person(self, at: int, skip: set[str] | frozenset[str] = frozenset()
                    ) -> str | None:
        """The person mentioned most often before ``at`` (ties: the earliest), or None
        when nobody is mentioned twice; ``skip``: names never chosen."""
        counts: dict[str, int] = {}
        for pos, name in self.mentions:
            if pos < at and name not in skip:
                counts[name] = counts.get(name, 0) + 1
        if not counts:
            return None
        best = max(counts, key=lambda n: counts[n])
        return best if counts[best] >= 2 else None

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


_NAME = r"((?:[A-Z][\w'’.-]+)(?:\s+(?:de|De|van|von|der|bin|al-)?\s*[A-Z][\w'’.-]+){1,3})"
_BYLINE = re.compile(rf"^[ \t_*]*By {_NAME}[ \t_*]*$", re.MULTILINE)
_BIO = re.compile(rf"^[ \t_*]*(?:(?:Dr|Prof|Professor|Sir|Dame)\.? )?{_NAME} (?:is|was) "
                  r"(?:a|an|the) [^\n]{5,250}$", re.MULTILINE)
_SIGN_OFF = re.compile(rf"^[ \t]*(?:Sincerely|Yours(?: sincerely| faithfully| truly)?|"
                       rf"Best wishes|Regards),?[ \t]*\n+[ \t_*]*{_NAME}[ \t_*]*$", re.MULTILINE)


def _agrees(head: str, role: str) -> bool:
    """Whether a role-only mention's head ("minister", "leader") fits a person's title."""
    words = {w.lower().replace(".", "") for w in re.findall(r"[\w.]+", role)}
    return head in words or (head in _GENERIC_HEADS and bool(_LEADERS & words)) or (
        head == "pm" and "prime" in words)


def _apposition(text: str, tokens: list[Token], j: int) -> str | None:
    """The role an apposition gives the name ending before token ``j``: "Lukman Faily, the
    Iraqi ambassador to the United States, warned" -> "the Iraqi ambassador to the United
    States"; None when the name is followed by no such phrase."""
    if j + 2 >= len(tokens) or tokens[j].text != "," or tokens[j + 1].low not in _DETERMINERS:
        return None
    end = j + 2
    while end < len(tokens) and end - j <= 10 and tokens[end].text not in ",.;:()\"“”":
        end += 1
    words = {t.low for t in tokens[j + 2 : end]}
    if end >= len(tokens) or not words & _ROLE_HEADS:
        return None
    return text[tokens[j + 1].start : tokens[end - 1].end]


def _author(text: str) -> tuple[str | None, bool]:
    """Who wrote the piece, and whether it is their opinion: an author's note at the end
    ("Dr Marc De Vore is a senior lecturer at ...") or a letter's signature mark an op-ed or
    letter; a "By NAME" line only names the writer (a reporter's "I" is rare)."""
    tail = len(text) - 1500
    for rx in (_SIGN_OFF, _BIO):
        for match in rx.finditer(text):
            if match.start() >= tail:
                return match.group(1).strip(), True
    byline = _BYLINE.search(text, 0, 1500)
    return (byline.group(1).strip(), False) if byline else (None, False)
