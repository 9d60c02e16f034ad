"""Titles: the one a source gives (front matter, HTML), a headline-like first line, or a
short headline made from the lead (main actor and action, at most ~12 words). Never a
sentence cut mid-way with "…"; never a fragment ("Friend,") or markup (">", "---")."""

from __future__ import annotations

import re

from briefer.text import segment

MAX_WORDS = 12
_HEADLINE_MAX_WORDS = 16
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# "Lausanne, Switzerland (CNN)", "(CNN) -- ", "WASHINGTON (Reuters) - ", "AMMAN/BEIRUT "
_DATELINE = re.compile(
    r"^(?:[A-Z][\w .'’/-]{1,40}?,?\s*(?:[A-Z][\w .'’-]{1,30})?\s*)?\((?:CNN|Reuters|AP|AFP)\)"
    r"\s*(?:--|[-–—])?\s*"
    r"|^[A-Z][A-Z .'’/-]{2,40}(?:, [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)?\s*[-–—]+\s+"
    # Reuters without a dash: "AMMAN/BEIRUT/GENEVA The ...", "BENGHAZI, Libya A ..."
    r"|^[A-Z]{3,}(?:[ /][A-Z]{2,})*(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?\s+(?=[A-Z](?:[a-z]|\s))")
# Openings that are not the main clause: "In a strongly worded letter, ...", "Recently, ..."
_INTRO = re.compile(r"^(?:According to[^,]*|[A-Z][a-z]+ly|Even|In|With|After|As|While|When|If|"
                    r"Although|Though|"
                    r"Despite|Amid|"
                    r"Following|Before|Since|Once|Recently|However|Meanwhile|Still|Yet|"
                    r"Now|Today|On|At|For|By|Under|Over|During)\b", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[|–—:-]\s+[A-Z][\w.&' ]{1,40}$")
_TEMPORAL = re.compile(
    r"\s+(?:(?:on|by|until|before|after|from|since)\s+)?(?:(?:last|this|next)\s+)?"
    rf"{_DAYS}(?:\s+(?:night|morning|evening))?\b(?![’']s)"
    r"|\s+(?:yesterday|today|tonight|on\s+\w+\s+\d{1,2})\b", re.IGNORECASE)
_CLAUSE = re.compile(r",\s|\s[–—]\s|;\s|:\s|\s\((?!CNN)")
_PREPOSITION = re.compile(r"\s(?:in|at|on|for|with|after|during|amid|over|about|from|to|as|"
                          r"while|since|because|than|into|against|following)\s")
_FOLD = re.compile(r"\s+")
# A photo caption's label run into the text: "Wanted: Police in ...", "Sleepy kid: Brock ..."
_CAPTION_LABEL = re.compile(r"^[A-Z][\w'’-]*(?: [a-z][\w'’-]*){0,2}: (?=[A-Z0-9“\"'‘])")
# "(AAPL.O)", "(pictured)", "– the most common cancer afflicting young women –"
_ASIDE = re.compile(r"\s\((?!CNN\))[^()]{1,60}\)|\s(?:[–—]|--)\s[^–—]{1,100}?\s(?:[–—]|--)\s")
# Words a headline cannot end on: "... will not attend peace talks due", "... no deal by"
_DANGLING = frozenset(
    "a an the and or but nor of to for with from by at as than that which who whom whose due its "
    "their his her our your my this these those if because while when where into onto "
    "between against during amid not no very also just according is are was were be been "
    "will would can could may might must should shall has have had she he they we i you "
    "it in on at among about over under after before within without toward towards across "
    "through via including despite upon unless until whether what how why so".split())
# A sentence that needs the one before it ("Her fears appear ...") or talks to the reader.
_PRONOUN_START = re.compile(r"^(?:You|He|She|It|They|Her|His|Its|Their|Your|This|These|"
                            r"Those)\b")
_RELATIVE = re.compile(r",\s(?:who|whose|which)\b[^,]{1,80},")
# A finite verb (a rough test): an auxiliary, a past form, a common news verb in -s.
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|am|will|would|can|could|may|might|must|should|"
    r"shall|has|have|had|does|do|did|won't|can't|cannot|isn't|aren't|wasn't|weren't|"
    r"doesn't|didn't|hasn't|haven't|[a-z]{3,}ed|said|says|told|tells|made|makes|won|wins|"
    r"lost|loses|took|takes|gave|gives|went|goes|came|comes|met|meets|left|found|finds|"
    r"began|begins|struck|strikes|set|sets|put|puts|hit|hits|cut|cuts|ran|runs|sent|sends|"
    r"held|holds|kept|keeps|paid|pays|led|leads|fell|falls|rose|rises|sold|sells|broke|"
    r"breaks|spoke|got|gets|saw|sees|warns|urges|calls|plans|wants|faces|seeks|agrees|"
    r"rejects|backs|vows|slams|threatens|announces|expects|confirms|denies|launches|"
    r"raises|signs|orders|bans|blocks|quits|admits|claims|insists|accuses|demands|"
    r"meet|meets|enters|[a-z]{3,}(?<![su])s)\b")
_AUXILIARY = re.compile(r"\b(?:is|are|was|were|will|would|has|have|had|can|could|may|might|"
                        r"must|should)\b")
_RELATIVE_IN_SUBJECT = re.compile(r"\s(?:that|who|which)\s")
# The same without the loose "-s" forms, which plural nouns match too ("members")
_STRICT_VERB = re.compile(_VERB.pattern.replace(r"|[a-z]{3,}(?<![su])s", ""))
_LEAD_SENTENCES = 3  # sentences of the lead a title may come from
_TEASER_WORDS = 7  # "Barely a shot was fired." opens the story; it does not tell it


def clean(title: str | None) -> str | None:
    """A given title made presentable, or None when it is not one (markup, no words)."""
    if not title:
        return None
    text = _FOLD.sub(" ", title).strip().strip("#").strip()
    text = _SITE_SUFFIX.sub("", text) if len(text.split()) > 4 else text
    letters = sum(ch.isalpha() for ch in text)
    if letters < 3 or text in ("---", "..."):
        return None
    return text


def headline(text: str) -> str | None:
    """A headline-like first line of ``text``, else a short headline from the lead."""
    first, _, rest = text.partition("\n")
    line = clean(first)
    if line and rest.strip() and _headline_like(line):
        return line
    lead = from_lead(text)
    if lead is None and line and len(line.split()) <= MAX_WORDS + 4:
        return line  # a text too short for a lead: its first line, whole
    return lead


def _headline_like(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= _HEADLINE_MAX_WORDS:
        return False
    if line[-1] in ".,;:…" or line.endswith(("…”", ".”", ".\"")):
        return False  # a sentence or a fragment, not a headline
    return sum(w[:1].isupper() for w in words) >= 1 and not line.isupper()


def from_lead(text: str) -> str | None:
    """The lead's main clause, shortened to its actor and action (at most ~12 words).

    The first of the lead's sentences that tells the story is used: not a short teaser
    ("Barely a shot was fired.") nor one that opens on a pronoun ("Her fears appear ...");
    when none does, the first sentence."""
    candidates: list[str] = []
    captions: list[bool] = []  # "Haul: The cherry picker ..." is a photo caption
    pending = ""
    for seg in segment(text):
        if seg.kind != "sentence":
            continue
        sentence = pending + seg.text if pending else seg.text
        if sentence.rstrip().endswith((" Inc.", " Corp.", " Co.", " Ltd.", " Jr.")):
            pending = sentence + " "  # a company suffix read as a sentence end
            continue
        pending = ""
        sentence = _DATELINE.sub("", sentence).strip()
        caption = bool(_CAPTION_LABEL.match(sentence))
        sentence = _CAPTION_LABEL.sub("", sentence)
        if len(sentence.split()) < 4 and not candidates:
            continue
        candidates.append(sentence)
        captions.append(caption)
        if len(candidates) == _LEAD_SENTENCES:
            break
    if not candidates:
        return None
    for sentence, caption in zip(candidates, captions, strict=True):
        if len(sentence.split()) >= _TEASER_WORDS and not _PRONOUN_START.match(sentence) \
                and not caption and not sentence.rstrip("”\"' ").endswith("?"):
            return shorten(sentence)
    return shorten(candidates[0])


def shorten(sentence: str) -> str:
    """``sentence`` reduced to a headline of at most ~MAX_WORDS words, cut only at clause and
    phrase boundaries (never mid-phrase, never with an ellipsis), and never just before a
    condition: "Kim said his country will not use nuclear weapons" without "unless
    threatened" says the opposite of the article."""
    title = _shorten(sentence)
    words = title.split()
    if len(words) < 2:
        return title
    tail = re.escape(words[-2]) + r"\W*\s+" + re.escape(words[-1].rstrip("”\"'"))
    found = re.search(tail + r"\S*\s+(?=(?:unless|if|only if|until|except|provided|as long as)"
                      r"\b)", sentence)
    if found is None:
        return title
    condition = _CLAUSE.split(sentence[found.end():], maxsplit=1)[0].rstrip(" .!")
    if len(condition.split()) > MAX_WORDS:
        return title  # a condition too long for a title: the clause stays as it is
    return _tidy(f"{title} {condition}")


def _shorten(sentence: str) -> str:
    text = sentence.strip().rstrip(".!")
    text = text.strip("“”\"'")
    text = _RELATIVE.sub("", _ASIDE.sub(" ", text))
    for match in _CLAUSE.finditer(text):
        head = text[: match.start()]
        rest = text[match.end() :]
        if (_INTRO.match(head) and match.group(0).startswith(",") and _clause_start(rest)
                and _VERB.search(rest)):
            # drop the opening phrase, look again
            return _shorten(rest) if len(rest.split()) >= 4 else _shorten(head)
        # the head is the title when it has a verb; one with only a loose "-s" word
        # ("peace talks") when the rest has no verb either, or after a colon
        loose = (match.group(0).startswith(":") or not _STRICT_VERB.search(rest)) \
            and bool(_VERB.search(head) or not _VERB.search(text))
        if len(head.split()) >= 5 and (_STRICT_VERB.search(head) or loose):
            text = head
            break
    text = _TEMPORAL.sub("", text)
    words = text.split()
    if len(words) <= MAX_WORDS or (len(words) == MAX_WORDS + 1 and _VERB.search(text)):
        return _tidy(text)  # a whole clause one word long beats a cut one
    unroled = _without_role(text)
    if len(unroled.split()) <= MAX_WORDS:
        return _tidy(unroled)  # the whole clause, once the role before the name is gone
    text = _short_subject(text)
    words = text.split()
    if len(words) <= MAX_WORDS:
        return _tidy(text)
    cuts = [m.start() for m in _PREPOSITION.finditer(text)
            if text[: m.start()].split()[-1].lower() not in _DANGLING
            and not (m.group(0) == " to " and _VERB.fullmatch(text[: m.start()].split()[-1]))]
    fitting = [c for c in cuts if 5 <= len(text[:c].split()) <= MAX_WORDS]
    with_verb = [c for c in fitting if _STRICT_VERB.search(text[:c])]
    if with_verb or (fitting and not _VERB.search(text)):
        return _tidy(text[: (with_verb or fitting)[-1]])
    if len(words) <= MAX_WORDS + 4 and _STRICT_VERB.search(text):
        # "The second day of peace talks between Ukrainian and Russian officials" ("talks"
        # is no verb) tells nothing: the whole clause, a few words long, tells the story
        return _tidy(text)
    longer = [c for c in cuts if MAX_WORDS < len(text[:c].split()) <= MAX_WORDS + 4
              and _VERB.search(text[:c])]
    if longer:  # a phrase boundary a little past the limit beats losing the action
        return _tidy(text[: longer[0]])
    if fitting:
        return _tidy(text[: fitting[-1]])
    longer = [c for c in cuts if 5 <= len(text[:c].split()) <= MAX_WORDS + 4]
    if longer:  # a phrase boundary a little past the limit beats a cut mid-phrase
        return _tidy(text[: longer[0]])
    return _tidy(" ".join(words[: MAX_WORDS + 4]))


# A role before a person's name that opens the sentence: "US Secretary of State Antony
# Blinken raised ..." (a role word among four capitalised words or more, then a verb).
_ROLE_AND_NAME = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*|of|the|and|for)\s+){2,}?([A-Z][a-z’'-]+\s+[A-Z][\w’'-]+)"
    r"(?=\s+[a-z])")
_ROLE_WORD = re.compile(
    r"\b(?:Secretary|Minister|President|Chairman|Chairwoman|Chair|Governor|Leader|Chief|"
    r"Spokesman|Spokeswoman|Spokesperson|Director|Ambassador|Senator|Commissioner|Chancellor|"
    r"Envoy|Mayor|General|Premier|Speaker|Representative|Attorney|Judge|Justice|Adviser|"
    r"Advisor|CEO|Head)\b")
# A role in lower case before the name: "North Korean leader Kim Jong Un said", "Kremlin
# spokesman Dmitry Peskov told" (the name is everything after the role word)
_LOWER_ROLE_AND_NAME = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s+){1,4}(?:leader|president|minister|spokes(?:wo)?man|spokesperson|"
    r"chief|secretary|envoy|ambassador|negotiator|commander)\s+"
    r"([A-Z][a-z’'-]+(?:\s+[A-Z][\w’'-]+){1,2})(?=\s+[a-z])")


def _without_role(text: str) -> str:
    """``text`` with the role before an opening name left out, when it is a long one:
    "US Secretary of State Antony Blinken raised" -> "Antony Blinken raised"."""
    lower = _LOWER_ROLE_AND_NAME.match(text)
    if lower is not None and _VERB.match(text[lower.end():].split()[0]):
        return lower.group(1) + text[lower.end():]
    match = _ROLE_AND_NAME.match(text)
    if match is None or len(match.group(0).split()) < 4 \
            or not _ROLE_WORD.search(match.group(0)[: match.start(1)]) \
            or not _VERB.match(text[match.end():].split()[0]):
        return text
    return match.group(1) + text[match.end():]


def _clause_start(rest: str) -> bool:
    """Can ``rest`` open the main clause after an opening phrase? "jurors found", "she
    thought"; not "28, moved" (an age), "moved into" (a verb) or "according to"."""
    first = rest.split()[0] if rest.split() else ""
    return bool(first) and not first[0].isdigit() and not _STRICT_VERB.fullmatch(first) \
        and first.lower() != "according"


def _short_subject(text: str) -> str:
    """A long subject cut to its head when that brings the action within the limit: "Talks to
    reach a deal on a framework agreement on Iran's nuclear program will be extended" ->
    "Talks to reach a deal will be extended"."""
    aux = _AUXILIARY.search(text)
    if aux is None or _INTRO.match(text) or len(text[: aux.start()].split()) <= 6 \
            or len(text[: aux.start()].split()) > MAX_WORDS * 2:
        return text
    subject = text[: aux.start()]
    if subject.rstrip().endswith(" to") or re.search(r"['’]ll\b|, and\b", subject):
        return text  # the auxiliary may belong to another clause ("... who claims to have")
    relative = _RELATIVE_IN_SUBJECT.search(subject)
    if relative and len(subject[: relative.start()].split()) >= 3 \
            and not _STRICT_VERB.search(subject[: relative.start()]):
        return f"{subject[: relative.start()]} {text[aux.start():]}"
    if _VERB.search(subject):
        return text
    heads = [m.start() for m in _PREPOSITION.finditer(subject)
             if len(subject[: m.start()].split()) >= 3]
    return f"{subject[: heads[0]].rstrip(' ,')} {text[aux.start():]}" if heads else text


def _tidy(text: str) -> str:
    text = text.strip(" ,;:–—-")
    words = text.split()
    while len(words) > 4 and words[-1].lower().strip("“”\"'’,") in _DANGLING:
        words.pop()
    text = " ".join(words).strip(" ,;:–—-")
    if text.count("“") > text.count("”"):
        text += "”"
    if text.count('"') % 2:
        text += '"'
    return text[:1].upper() + text[1:]


__all__ = ["MAX_WORDS", "clean", "from_lead", "headline", "shorten"]
