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
_INTRO = re.compile(r"^(?:According to[^,]*|In|With|After|As|While|When|If|Although|Though|"
                    r"Despite|Amid|"
                    r"Following|Before|Since|Once|Recently|However|Meanwhile|Still|Yet|"
                    r"Now|Today|On|At|For|By|Under|Over|During)\b", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[A-Z][\w.&' ]{1,40}$")
_TEMPORAL = re.compile(
    rf"\s+(?:on\s+)?(?:(?:last|this|next)\s+)?{_DAYS}(?:\s+(?:night|morning|evening))?\b"
    r"|\s+(?:yesterday|today|tonight|on\s+\w+\s+\d{1,2})\b", re.IGNORECASE)
_CLAUSE = re.compile(r",\s|\s[–—]\s|;\s|:\s|\s\((?!CNN)")
_PREPOSITION = re.compile(r"\s(?:in|at|on|for|with|after|during|amid|over|about|from|to|as|"
                          r"while|since|because|than|into|against|following)\s")
_FOLD = re.compile(r"\s+")


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
    """The lead's main clause, shortened to its actor and action (at most ~12 words)."""
    for seg in segment(text):
        if seg.kind != "sentence" or seg.words < 5:
            continue
        sentence = _DATELINE.sub("", seg.text).strip()
        if len(sentence.split()) < 4:
            continue
        return shorten(sentence)
    return None


def shorten(sentence: str) -> str:
    """``sentence`` reduced to a headline of at most ~MAX_WORDS words, cut only at clause and
    phrase boundaries (never mid-phrase, never with an ellipsis)."""
    text = sentence.strip().rstrip(".!")
    text = text.strip("“”\"'")
    for match in _CLAUSE.finditer(text):
        head = text[: match.start()]
        if _INTRO.match(head) and match.group(0).startswith(","):
            text = text[match.end() :]  # drop the opening phrase, look again
            return shorten(text) if len(text.split()) >= 4 else _tidy(head)
        if len(head.split()) >= 5:
            text = head
            break
    text = _TEMPORAL.sub("", text)
    words = text.split()
    if len(words) <= MAX_WORDS:
        return _tidy(text)
    cuts = [m.start() for m in _PREPOSITION.finditer(text)]
    fitting = [c for c in cuts if 5 <= len(text[:c].split()) <= MAX_WORDS]
    if fitting:
        return _tidy(text[: fitting[-1]])
    longer = [c for c in cuts if 5 <= len(text[:c].split()) <= MAX_WORDS + 4]
    if longer:  # a phrase boundary a little past the limit beats a cut mid-phrase
        return _tidy(text[: longer[0]])
    return _tidy(" ".join(words[: MAX_WORDS + 4]))


def _tidy(text: str) -> str:
    text = text.strip(" ,;:–—-")
    if text.count("“") > text.count("”"):
        text += "”"
    if text.count('"') % 2:
        text += '"'
    return text[:1].upper() + text[1:]


__all__ = ["MAX_WORDS", "clean", "from_lead", "headline", "shorten"]
