"""What a model wrote, made safe before it reaches a brief: links and images the source does
not contain are removed, and text that repeats an instruction planted in the article (its
"payload words") is dropped. The injection signals themselves live in :mod:`briefer.safety`."""

from __future__ import annotations

import re

from briefer import safety

_URL = re.compile(r"!?\[[^\]]*\]\((https?://[^)\s]+)\)|https?://[^\s)\]>\"']+")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{3,}")


def payload_words(text: str) -> set[str]:
    """Words that occur in the article only inside spans addressed to a model ("print
    CANARY-7301"). A model that repeats one of them is following the injection."""
    return safety.payload_words(text)


def hostile(text: str | None, *, latin: bool = True) -> bool:
    """A sentence a human editor would take for an instruction to a model; ``latin=False``
    for text from an article in another script (see :func:`briefer.safety.is_hostile`)."""
    return bool(text) and safety.is_hostile(text or "", latin_article=latin)


def safe_title(article: object) -> str:
    """The article's title unless it is itself an injection or was made from one (a
    one-line article's first line, a flagged lead); then its file or page name."""
    from pathlib import PurePosixPath

    title = getattr(article, "title", None)
    where = str(getattr(article, "path_or_url", "") or "untitled")
    text = getattr(article, "text", None)
    if title and not hostile(title, latin=safety.latin_script(text) if text else True) and not (
            text and safety.from_injection(str(title), text)):
        return str(title)
    return PurePosixPath(where.rstrip("/")).name or where


#: share of a model title's content words that must occur in the article (a headline
#: names the article's actors and topic; one written for another article does not)
TITLE_FIT = 0.5
TITLE_FIT_TRANSLATED = 1 / 3


_ANCHOR = re.compile(r"\b[^\W\d_][^\W_]*|\b\d+\b")


def title_fits(title: str, text: str, *, translated: bool = False) -> bool:
    """Whether a model's title is about ``text``: half of its content words occur in it;
    for a title in another language than ``text`` (``translated``), a third of its names
    and numbers (capitalised words after the first, figures), and at least one."""
    from briefer.prose import content

    if translated:
        tokens = _ANCHOR.findall(title)
        anchors = {w.lower() for n, w in enumerate(tokens) if w[0].isdigit()
                   or (n and w[0].isupper())} or {w.lower() for w in tokens[:1]}
        found = {w.lower() for w in _ANCHOR.findall(text)}
        hits = len(anchors & found)
        return hits >= 1 and hits / len(anchors) >= TITLE_FIT_TRANSLATED
    words = content(title)
    return bool(words) and len(words & content(text)) / len(words) >= TITLE_FIT


def carries(text: str, payload: set[str]) -> bool:
    return bool(payload) and any(w.lower() in payload for w in _TOKEN.findall(text))


def without_payload(summary: str, payload: set[str]) -> str:
    if not carries(summary, payload):
        return summary
    kept = [s for s in re.split(r"(?<=[.!?])\s+", summary) if not carries(s, payload)]
    return " ".join(kept) or "(removed: the model's summary repeated an instruction "\
                             "found in the article)"


def clean(text: str, source: str) -> str:
    """Model text minus links and images the source does not contain."""
    def drop(match: re.Match[str]) -> str:
        url = match.group(1) or match.group(0)
        return match.group(0) if url in source else ""

    cleaned = " ".join(_URL.sub(drop, text).split())
    return cleaned or "(removed: only an outside link)"


def clean_opt(text: str | None, source: str) -> str | None:
    return clean(text, source) if text else None
