"""Text normalisation, sentence segmentation with character offsets, and terms.

Every stage that talks about positions in an article (the extractive engine, the verifier,
later the daily clustering) uses these functions, so offsets always agree:

* :func:`normalize` turns decoded text into the canonical form that is hashed and indexed.
* :func:`segment` cuts normalised text into :class:`Segment` spans with
  ``text[seg.start:seg.end] == seg.text``.
* :func:`terms` gives stemmed content words for ranking and similarity.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

# --- normalisation -------------------------------------------------------------------------

_LINEBREAKS = str.maketrans(dict.fromkeys("\x0b\x0c\x85\u2028\u2029", "\n"))
# Characters that render as nothing but can hide text from a human reader: soft hyphen,
# zero-width space/joiners used for smuggling, bidi controls, word joiner, BOM, the Unicode
# tag block. ZWJ/ZWNJ (U+200C/D) are kept: Persian, Indic scripts and emoji need them.
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\U000e0000-\U000e007f]"
)
# C0/C1 controls except tab and newline, lone surrogates, noncharacters.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_HSPACE = re.compile(r"[^\S\n]+")
_MANY_BLANKS = re.compile(r"\n{3,}")


def normalize(raw: str) -> str:
    """Canonical article text: one ``\\n`` per line break, at most one blank line in a row,
    single spaces, no control or invisible characters, Unicode NFC, stripped.

    ``normalize(normalize(x)) == normalize(x)`` for every string.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_LINEBREAKS)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = unicodedata.normalize("NFC", text)
    lines = [_HSPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANKS.sub("\n\n", "\n".join(lines)).strip()


# --- segmentation --------------------------------------------------------------------------

SegmentKind = Literal["sentence", "heading", "fragment"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of normalised text. ``kind`` is ``sentence`` when it ends like one."""

    start: int
    end: int
    text: str
    kind: SegmentKind
    para: int
    index: int

    @property
    def words(self) -> int:
        return len(self.text.split())


_CLOSERS = "\"'”’»)]"
_OPENERS = "\"“‘«(['"
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")

# Words that end in a period but do not end a sentence.
_TITLES = frozenset(
    "mr mrs ms dr prof gen lt col maj capt cpt sgt adm cmdr brig gov sen rep rev hon pres "
    "supt insp det atty amb messrs mme mlle sr jr st mt ft".split()
)
_NUMBERED = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol p pp fig art sec ch para "
    "op ed est approx".split()
)
_NEVER_FINAL = frozenset({"e.g", "i.e", "cf", "viz", "vs", "v", "ca", "esp"})
# After an acronym (U.S., a.m.) or a company suffix a new sentence starts only with a word
# that commonly starts sentences.
_MAYBE_FINAL = frozenset({"inc", "corp", "ltd", "co", "bros", "llc", "plc", "etc", "al"})
STARTERS = frozenset(
    "The A An He She It They We I You But And In On At This That These Those His Her Its "
    "Their Our There As After Before When While Meanwhile However Yet So If Some Many Most "
    "One Both Such Still Also Now Then Other For With By From Last Next Earlier Later "
    "Despite Although Though Under Over Since Until Asked According What Why How Who".split()
)
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


def _next_word(block: str, pos: int) -> str:
    while pos < len(block) and block[pos] in _OPENERS:
        pos += 1
    match = re.match(r"[^\s.,;:!?\"“”'’)]+", block[pos:])
    return match.group(0) if match else ""


def _is_boundary(block: str, match: re.Match[str]) -> bool:
    nxt = match.end()
    word = _next_word(block, nxt)
    if not word or not (word[0].isupper() or word[0].isdigit()):
        return False
    punct = match.group(0).rstrip()
    if punct.rstrip(_CLOSERS) != ".":
        return True  # !, ?, ..., or several marks: a real end
    token_start = block.rfind(" ", 0, match.start()) + 1
    token = block[token_start : match.start()].lstrip(_OPENERS)
    low = token.lower()
    if low in _TITLES or low in _NEVER_FINAL:
        return False
    if low in _NUMBERED:
        return not word[0].isdigit()
    if len(token) == 1 and token.isupper():
        return False  # an initial: "George W. Bush"
    if low in _MAYBE_FINAL or _ACRONYM.match(token):
        return word in STARTERS
    return True


def _inside_quote(block: str, start: int, pos: int) -> bool:
    """True when a quotation opened in ``block[start:pos]`` closes later in the block."""
    before = block[start:pos]
    if before.count("“") > before.count("”"):
        return "”" in block[pos:]
    if before.count('"') % 2 == 1:
        return '"' in block[pos:]
    return False


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose (e-mail, plain-text archives): short lines that stop mid-sentence."""
    body = [line for line in lines if line]
    if len(body) < 3 or max(len(line) for line in body) > 100:
        return False
    open_ended = sum(1 for line in body if not _ENDS_LIKE_SENTENCE.search(line))
    return open_ended / len(body) >= 0.5


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans that no sentence crosses: lines, or paragraphs when the text is hard-wrapped."""
    lines = text.split("\n")
    wrapped = _looks_wrapped(lines)
    width = max((len(line) for line in lines), default=0)
    spans: list[tuple[int, int]] = []
    pos = 0
    current: tuple[int, int] | None = None
    for line in lines:
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line:
            current = None
            continue
        joinable = (
            wrapped
            and current is not None
            and len(text[current[0] : current[1]].rsplit("\n", 1)[-1]) >= 0.6 * width
        )
        if joinable and current is not None:
            current = (current[0], end)
            spans[-1] = current
        else:
            current = (start, end)
            spans.append(current)
    return spans


def _kind(text: str) -> SegmentKind:
    if _ENDS_LIKE_SENTENCE.search(text):
        return "sentence"
    return "heading" if len(text.split()) <= 12 else "fragment"


def segment(text: str) -> list[Segment]:
    """Cut normalised text into sentences (and headings/fragments) with exact offsets.

    Survives abbreviations (U.S., Gen., Jan. 5), initials, decimals (3.5) and closing quotes
    after the final stop; never crosses a line break unless the text is hard-wrapped.
    """
    segments: list[Segment] = []
    for para, (b_start, b_end) in enumerate(_blocks(text)):
        block = text[b_start:b_end]
        cut = 0
        pieces: list[tuple[int, int]] = []
        for match in _BOUNDARY.finditer(block):
            if _inside_quote(block, cut, match.end()):
                continue  # "First sentence. Second," she said: one attributed statement
            if _is_boundary(block, match):
                pieces.append((cut, match.start() + len(match.group(0).rstrip())))
                cut = match.end()
        pieces.append((cut, len(block)))
        for s, e in pieces:
            piece = block[s:e]
            stripped = piece.strip()
            if not stripped:
                continue
            start = b_start + s + (len(piece) - len(piece.lstrip()))
            end = start + len(stripped)
            segments.append(
                Segment(start, end, stripped, _kind(stripped), para, len(segments))
            )
    return segments


# --- words and terms -----------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told tell according mr mrs ms one two new year years
    last first us s t""".split()
)

_SUFFIXES = ("ations", "ation", "ments", "ment", "ingly", "ings", "ing", "edly", "ies", "ied",
             "ness", "ers", "er", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A small suffix stripper: enough to join 'sanction', 'sanctions', 'sanctioned'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word


def terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words of ``text`` (stopwords and numbers dropped)."""
    out = []
    for match in WORD.finditer(text.lower()):
        word = match.group(0).replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in STOPWORDS or word.isdigit() or len(word) < 2:
            continue
        out.append(stem(word))
    return out


__all__ = ["STARTERS", "STOPWORDS", "WORD", "Segment", "normalize", "segment", "stem", "terms"]
