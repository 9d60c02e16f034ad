"""Who said what: speakers of attributed statements, normalised across mentions.

``Wang told Blinken ...``, ``China's top diplomat Wang Yi`` and ``Wang Yi`` are one party.
Everything works on spans of the sentence, so a stance is always a verbatim clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefer.engines.cues import (
    AUXILIARIES,
    PRONOUNS,
    REPORTING_PHRASES,
    REPORTING_VERBS,
    ROLE_WORDS,
    TITLE_WORDS,
)
from briefer.engines.phrases import (
    _BRIDGE,
    _CLOSE_QUOTES,
    _DETERMINERS,
    _MAX_NP,
    _OPEN_QUOTES,
    People,
    Token,
    _is_cap,
    _name_tail,
    _np_after,
    _np_before,
    tokenize,
)


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str
    party: str
    role: str | None
    stance: tuple[int, int]  # span within the sentence
    speaker_span: tuple[int, int]


def _trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (sentence[start].isspace() or sentence[start] in ",:;–—-"):
        start += 1
    while end > start and (sentence[end - 1].isspace() or sentence[end - 1] in ".,;:–—-"):
        end -= 1
    return start, end


def _stance(sentence: str, tokens: list[Token], verb: int, np: tuple[int, int]) -> tuple[int, int]:
    np_start = tokens[np[0]].start
    if tokens[verb - 1].low == "according" if verb > 0 else False:
        rest = [t for t in tokens[np[1] :] if t.text.isalnum()]
        if not rest:  # "Claim, according to X." -> the claim
            return _trim(sentence, 0, tokens[verb - 1].start)
        return _trim(sentence, tokens[np[1] - 1].end, len(sentence))
    # "“Quoted words,” Wang said." / 'The "quoted words," Ryabkov told...' -> the quotation.
    first = 1 if sentence[:1] in _OPEN_QUOTES else 0
    close = max(sentence.rfind(q, first, np_start) for q in _CLOSE_QUOTES)
    if close > first + 1 and (first or not sentence[close + 1 : np_start].strip(" ,")):
        return _trim(sentence, first, close)
    # "Claim, the officials say." -> the claim.
    rest = tokens[max(verb, np[1] - 1) + 1 :]
    if np_start > 0 and len([t for t in rest if t.text.isalnum()]) <= 3:
        comma = sentence.rfind(",", 0, np_start)
        if comma > 0:
            return _trim(sentence, 0, comma)
    # "X said (that) claim" / "X told Y in Z that claim".
    after = verb + 1
    for k in range(after, min(after + 14, len(tokens))):
        if tokens[k].low == "that":
            return _trim(sentence, tokens[k].end, len(sentence))
        if not (tokens[k].text[:1].isupper() or tokens[k].low in _BRIDGE):
            break  # "that" further on belongs to a later clause
    if after < len(tokens) and tokens[verb].low.startswith(("told", "tell", "urg", "warn")):
        obj = _np_after(tokens, after)
        if obj is not None:
            after = obj[1]
    for k in range(after, min(after + 8, len(tokens))):
        if tokens[k].text == ":":  # "told reporters on Air Force One: ..."
            after = k + 1
            break
        if tokens[k].text in ",;.":
            break
    start = tokens[after].start if after < len(tokens) else len(sentence)
    span = _trim(sentence, start, len(sentence))
    said = sentence[span[0] : span[1]].split()
    if len(said) <= 5 and said and said[0].lower() in _BACK_REFERENCE:
        # "... a condition Kyiv says it will never accept": "it will never accept" says
        # nothing alone; the item is the whole sentence
        return _trim(sentence, 0, len(sentence))
    return span


#: a short clause opening on one of these points back into the sentence before the speaker
_BACK_REFERENCE = frozenset({"it", "this", "that", "they", "these", "those", "so"})


# where the clause holding a word opens: after a sentence end (not the point of "U.S."), a
# comma, a colon, an opening quotation mark or a dash
_CLAUSE_OPEN = re.compile(r".*(?:(?<![A-Z])[.!?]|[,;:“\"‘(]|\s[–—])\s*", re.DOTALL)


def _in_condition(sentence: str, at: int) -> bool:
    """Whether ``at`` is inside a clause opened by "if" / "unless" / "whether"."""
    opened = _CLAUSE_OPEN.match(sentence[:at])
    clause = sentence[opened.end() if opened else 0 : at]
    return bool(re.match(r"(?:if|unless|whether)\b", clause.strip(), re.IGNORECASE))


def attribute(sentence: str, people: People, offset: int, known: list[str]
              ) -> Attribution | None:
    """Speaker and stance of an attributed sentence, or None when nobody is quoted.

    ``known`` lists the parties of earlier sentences, most recent last: pronouns and bare
    mentions ("the officials") resolve against it.
    """
    tokens = tokenize(sentence)
    quoted = _after_quote(sentence, tokens, people, offset, known)
    if quoted is not None:
        return quoted
    phrase = REPORTING_PHRASES.search(sentence)
    for v, tok in enumerate(tokens):
        is_verb = tok.text in REPORTING_VERBS  # lower-case only: "United States" is no verb
        if not is_verb and not (phrase and tok.start == phrase.start()):
            continue
        if _in_condition(sentence, tok.start):
            continue  # "If the U.S. insists on its own way, China will fight": nobody speaks
        if tok.low == "according" and v + 2 < len(tokens):
            span = _np_after(tokens, v + 2)
            if span is not None and span[1] + 1 < len(tokens) and tokens[span[1]].text == ",":
                name = _np_after(tokens, span[1] + 1)  # "according to the chair, Tomas Hale"
                if name is not None and _name_tail(tokens[name[0] : name[1]]):
                    span = (span[0], name[1])
            verb_end = v + 1
        else:
            span, verb_end = _speaker_before(tokens, v), v
            if span is None and is_verb and v > 0 and tokens[v - 1].text in ",”\"'’":
                span = _np_after(tokens, v + 1)  # "..., said Ryabkov."
        if span is None:
            continue
        speaker = sentence[tokens[span[0]].start : tokens[span[1] - 1].end]
        if speaker.lower() in PRONOUNS:
            party = _pronoun(speaker, people, offset, known)
            if not party:
                continue
            role = None
        else:
            party, role = _party(speaker, people, offset + tokens[span[0]].start, known)
        if not party:
            continue
        if is_verb or tok.low == "according":
            stance = _stance(sentence, tokens, verb_end, span)
        else:  # "X raised concerns about Y": the whole sentence is the position
            stance = _trim(sentence, 0, len(sentence))
        if len(sentence[stance[0] : stance[1]].split()) < 3:
            stance = _trim(sentence, 0, len(sentence))
        return Attribution(speaker, party, role, stance,
                           (tokens[span[0]].start, tokens[span[1] - 1].end))
    return None


_COPULAS = frozenset("is are was were be been being has have had do does did".split())
_PREPOSITIONS = frozenset(
    "with for of to from in on at by about against between among into over under than".split())


def _pronoun(word: str, people: People, offset: int, known: list[str]) -> str | None:
    """Whom a pronoun speaker stands for: "he"/"she" the person named last before the
    sentence, else (and for "they", "it", "we") the last speaker."""
    if word.lower() in ("he", "she"):
        if known and people.is_person(known[-1]):
            # the last speaker, when a person, is who goes on speaking, unless another
            # person has since opened a sentence as its subject ("However, Boies was
            # unsure ... '...,' he said.")
            later = people.last_subject(offset, people.last_mention(known[-1], offset))
            return later or known[-1]
        person = people.last_person(offset)
        if person:
            return person
    return known[-1] if known else None


_QUOTE_END = re.compile(r"[,?!.…-][”\"'’]\s+(?=[\w])")


def _after_quote(sentence: str, tokens: list[Token], people: People, offset: int,
                 known: list[str]) -> Attribution | None:
    """'"Quoted words," Reyk Knuhtsen, analyst at SemiAnalysis, told CNBC.' / "'It did not
    help,' said Murray.": the speaker is the name right after the opening quotation."""
    if sentence[:1] not in _OPEN_QUOTES + "'":
        return None
    end = _QUOTE_END.search(sentence, 2)
    if end is None:
        return None
    k = next((n for n, t in enumerate(tokens) if t.start >= end.end()), len(tokens))
    verb = k < len(tokens) and tokens[k].text in REPORTING_VERBS
    if verb:
        k += 1
    pronoun = k < len(tokens) and tokens[k].low in PRONOUNS and (
        verb or (k + 1 < len(tokens) and tokens[k + 1].text in REPORTING_VERBS))
    span = (k, k + 1) if pronoun else _np_after(tokens, k)  # '"...," he said.'
    if span is None:
        return None
    if not _name_tail(tokens[span[0] : span[1]]) and span[1] + 1 < len(tokens) \
            and tokens[span[1]].text == ",":
        name = _np_after(tokens, span[1] + 1)  # "the operator's chief, Maria Lind, told"
        if name is not None and _name_tail(tokens[name[0] : name[1]]):
            span = (span[0], name[1])
    words = tokens[span[0] : span[1]]
    follow = tokens[span[1]] if span[1] < len(tokens) else None
    if not (verb or follow is None or follow.text in ",." or follow.text in REPORTING_VERBS
            or follow.low in AUXILIARIES):
        return None
    speaker = sentence[words[0].start : words[-1].end]
    if speaker.lower() in PRONOUNS:
        party = _pronoun(speaker, people, offset, known)
        role = None
    elif not _name_tail(words) and not any(t.low in ROLE_WORDS for t in words):
        return None
    else:
        party, role = _party(speaker, people, offset + words[0].start, known)
    if not party:
        return None
    stance = _trim(sentence, 1, end.start() + 1)
    if len(sentence[stance[0] : stance[1]].split()) < 3:
        stance = _trim(sentence, 0, len(sentence))
    return Attribution(speaker, party, role, stance, (words[0].start, words[-1].end))


def _opening_name(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """"Former presidential candidate Henrique Capriles, who is leading the push, said":
    the sentence opens with a titled name and a comma; the verb comes after another."""
    first = next((n for n, t in enumerate(tokens[:i]) if t.text == ","), None)
    if first is None or first > 8 or first >= i - 2:
        return None
    opening = tokens[:first]
    if not all(_is_cap(t) or t.text in ".-" or t.low in ROLE_WORDS or (
            t.text.isalpha() and t.text.islower() and t.low not in _PREPOSITIONS
            and t.low not in ("and", "or", "the", "a", "an", "who", "which"))
               for t in opening):
        return None
    tail = _name_tail(opening)
    if len(tail) < 2 or tail[-1] is not opening[-1]:
        return None
    return first - len(tail), first


def _speaker_before(tokens: list[Token], v: int) -> tuple[int, int] | None:
    if v > 1 and tokens[v - 1].text == ",":
        opening = _opening_name(tokens, v)
        if opening is not None:
            return opening
    span = _subject_np(tokens, v)
    if span is not None and span[0] > 0 and tokens[span[0] - 1].low in _PREPOSITIONS:
        # "Russia's point man for relations with the United States said": the speaker is
        # the head before the preposition, not its object.
        k = span[0] - 1
        while k > 0 and tokens[k - 1].text not in ",;:.(" and span[0] - k < _MAX_NP:
            k -= 1
        tail = _name_tail(tokens[span[0] : span[1]])
        if len(tail) >= 2 and any((t.text in TITLE_WORDS or t.low in ROLE_WORDS)
                                  and t.low not in _DETERMINERS
                                  for t in tokens[span[0] : span[1] - len(tail)]):
            # "Denmark's Minister for Foreign Affairs Martin Lidegaard said", "China's
            # ambassador to Australia Cheng Jingye threatened"
            return span
        if len(tail) == 3 and tail[0] is tokens[span[0]] and any(
                t.low in ROLE_WORDS for t in tokens[k : span[0]]):
            return span[1] - 2, span[1]  # "China's ambassador to Australia Cheng Jingye"
        head = k
        while head < span[0] and tokens[head].low not in _PREPOSITIONS:
            head += 1
        if head > k and any(_is_cap(t) for t in tokens[k:head]) and not any(
                t.low in _COPULAS for t in tokens[k:head]):  # "Talks are stalled over X"
            return k, head
        return None
    return span


_NOW = frozenset({"today", "yesterday", "tonight"})


def _subject_np(tokens: list[Token], v: int) -> tuple[int, int] | None:
    i = v
    while i > 0 and (tokens[i - 1].low in AUXILIARIES or tokens[i - 1].low in _NOW):
        i -= 1  # "Rachel Reeves, today said"
    if i > 0 and tokens[i - 1].low in PRONOUNS:
        return i - 1, i
    if i > 1 and tokens[i - 1].low in ("who", "which") and tokens[i - 2].text == ",":
        i -= 2
    if i > 1 and tokens[i - 1].text == ",":
        # "..., the operator's chief executive, Maria Lind, told a committee."
        name = _np_before(tokens, i - 1)
        if name is not None and _name_tail(tokens[name[0] : name[1]]):
            if name[0] > 1 and tokens[name[0] - 1].text == ",":
                role = _np_before(tokens, name[0] - 1)
                if role is not None:
                    return role[0], name[1]
            return name
        # "Ryabkov, a career diplomat who oversees arms control, said ..."
        for c in range(i - 2, max(0, i - 25), -1):
            if tokens[c].text == ",":
                head = _np_before(tokens, c)
                if head is not None and _name_tail(tokens[head[0] : head[1]]) and (
                        head[0] == 0 or tokens[head[0] - 1].text in ",.;:“\""):
                    return head
                break
        return None
    return _np_before(tokens, i)


def _party(speaker: str, people: People, at: int, known: list[str]
           ) -> tuple[str, str | None]:
    toks = tokenize(speaker)
    if toks[0].low in _DETERMINERS:
        if len(toks) == 1:
            return "", None
        if _is_cap(toks[1]):  # "The US officials" is "US officials"
            speaker = speaker[toks[1].start :]
            toks = tokenize(speaker)
    tail = _name_tail(toks)
    if not any(_is_cap(t) for t in toks):
        # "the minister": the titled person the article names with that role
        named = people.by_role(speaker, at)
        if named:
            return named, speaker
        # "the officials": the earlier party with the same head noun, if any.
        head = toks[-1].low
        for name in reversed(known):
            if name.lower().endswith(head):
                return name, None
        return speaker, None
    if not tail:
        full = people.resolve(speaker, at)
        if full == speaker:
            full = people.by_role(speaker, at) or speaker
        return full, None
    name = speaker[tail[0].start :]
    role = speaker[: tail[0].start].strip(" ,") or None
    full = people.resolve(name, at)
    if len(tail) == 1 and full == name and role and not any(p.parts & {name}
                                                            for p in people.people):
        return speaker, None  # "Colorado State Patrol" is one name, not "Patrol"
    if role is None and full != name:
        person = next((p for p in people.people if p.name == full), None)
        role = person.role if person else None
    return full, role


_SUBJECT_SKIP = AUXILIARIES | {"is", "are", "was", "were", "will", "would", "be", "been",
                               "being", "not", "still", "now", "already", "also", "to"}


def subject_before(sentence: str, pos: int) -> str | None:
    """The noun phrase acting just before character ``pos`` ("The US is also pushing...")."""
    tokens = [t for t in tokenize(sentence) if t.end <= pos]
    i = len(tokens)
    while i > 0 and tokens[i - 1].low in _SUBJECT_SKIP:
        i -= 1
    span = _np_before(tokens, i)
    if span is None or not any(_is_cap(t) or t.low in ROLE_WORDS
                               for t in tokens[span[0] : span[1]]):
        # "The Kelby boat owners plan to ...": a short clause-initial phrase with a name
        start = i
        while start > 0 and tokens[start - 1].text not in ",;:.(" and i - start <= 6:
            start -= 1
        words = tokens[start:i]
        if not words or i - start > 6 or not any(_is_cap(t) for t in words) or any(
                t.low in REPORTING_VERBS for t in words):
            return None
        span = (start, i)
    return sentence[tokens[span[0]].start : tokens[span[1] - 1].end]


def party_of(phrase: str, people: People, at: int, known: list[str]) -> str:
    """The canonical party for a noun phrase ("Norland minister Ana Berg" -> "Ana Berg")."""
    return _party(phrase, people, at, known)[0] or phrase

