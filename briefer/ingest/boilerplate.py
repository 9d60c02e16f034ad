"""Whole lines of page furniture that scrapes carry along: share bars, newsletter plugs,
cookie banners, licensing links. Conservative on purpose: a line is dropped only when it is
short and matches one of these shapes, never a sentence that merely mentions a newsletter.
"""

from __future__ import annotations

import re

_SHARE_WORDS = frozenset(
    "mail email e-mail facebook twitter x linkedin whatsapp reddit print share copy link "
    "telegram pinterest flipboard messenger bluesky threads tumblr mastodon comments "
    "comment save".split()
)
_SHORT = 25  # words

# Cookie banners and photo captions with licensing links run long; they are dropped up to
# this many words.
_COOKIES = re.compile(
    r"\bwe use cookies\b|\bcookie (policy|settings|preferences)\b|\baccept (all )?cookies\b"
    r"|\bpurchase licensing rights\b|\b[A-Z]{2,}/[^/\n]{2,40}/(?:File )?Photo\b"
    r"|\b(?:hide|toggle|show) caption\s*$",  # NPR's photo captions end so
    re.IGNORECASE,
)
_COOKIE_WORDS = 60

_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bnewsletter\b.*\b(sign up|subscribe|inbox|essential guide|delivered)\b",
        r"\b(sign up|subscribe)\b.*\b(here|now|today|free|newsletter|inbox|updates)\b",
        r"\bopens new tab\b",
        r"^\s*(advertisement|advertising|sponsored( content)?)\s*$",
        r"^\s*(read more|related( articles| stories| coverage)?|more from .{1,40})\s*:?\s*$",
        r"^\s*skip to (main )?content\s*$",
        r"\ball rights reserved\b",
        r"^\s*(click here|follow us)\b",
        r"^\s*share (this|on)\b",
        r"\bdownload (our|the) app\b",
        r"\berror message\b",
        r"\blearn more about\b",
        r"\bsupport (mission-driven |independent |our |quality )?journalism\b",
        r"\bsponsor-free\b|\bbonus content\b",
    )
]


def is_boilerplate(line: str) -> bool:
    words = line.split()
    if not words:
        return False
    if len(words) <= _COOKIE_WORDS and _COOKIES.search(line):
        return True
    if len(words) > _SHORT:
        return False
    tokens = [w.strip("/|·•-–—,:").lower() for w in words]
    tokens = [t for t in tokens if t]
    if len(tokens) >= 2 and all(t in _SHARE_WORDS for t in tokens):
        return True
    return any(p.search(line) for p in _PATTERNS)


def drop_boilerplate(text: str) -> tuple[str, int]:
    """Remove boilerplate lines; returns ``(text, number of lines dropped)``."""
    kept: list[str] = []
    dropped = 0
    for line in text.split("\n"):
        if is_boilerplate(line):
            dropped += 1
        else:
            kept.append(line)
    return "\n".join(kept), dropped
