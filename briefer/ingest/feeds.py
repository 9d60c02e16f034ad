"""RSS and Atom feeds with feedparser: entries become articles, from the entry's own
content when it carries the full text, else from its link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from briefer.errors import InputError

MAX_ENTRIES = 100  # per feed; the newest are kept
FULL_TEXT_WORDS = 150  # entry content at least this long is the article itself
_FEED_START = re.compile(rb"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b",
                         re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Entry:
    title: str | None
    link: str | None
    published: date | None
    content: str | None  # HTML of a full-text entry, else None


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    return "rss" in content_type or "atom" in content_type or bool(_FEED_START.match(data[:4096]))


def parse(data: bytes, source: str) -> tuple[list[Entry], int]:
    """The feed's entries (newest first, at most MAX_ENTRIES) and how many were left out."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.bozo:
            reason = str(parsed.get("bozo_exception", "not well-formed")).splitlines()[0]
            raise InputError(source, f"malformed feed ({reason[:120]})")
        raise InputError(source, "feed has no entries")
    entries = [_entry(e) for e in parsed.entries]
    entries.sort(key=lambda e: e.published or date.min, reverse=True)
    return entries[:MAX_ENTRIES], max(0, len(entries) - MAX_ENTRIES)


def _entry(raw: Any) -> Entry:
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published = date(stamp[0], stamp[1], stamp[2]) if stamp else None
    bodies = [c.get("value", "") for c in raw.get("content", []) or []]
    bodies.append(raw.get("summary", "") or "")
    best = max(bodies, key=len)
    full = best if len(_TAGS.sub(" ", best).split()) >= FULL_TEXT_WORDS else None
    return Entry(raw.get("title"), raw.get("link"), published, full)
