"""What the offline engine gives for a language it has no model for: the lead, honestly.

Its cues (who said what, "red line", "will vote on"...) are English. On any other language
they would find nothing, and ranking sentences without them presents the article's own
sentences as "key issues". So a text in another language gets its lead (the first
sentences after the headline and dateline) as the bottom line, every section empty, and a
notice of kind ``language`` that every format shows: "not briefed in depth: Spanish; use a
model provider".
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from briefer import language, safety
from briefer._version import __version__
from briefer.engines.sanitize import safe_title
from briefer.model import Article, Brief, Evidence, Meta, Notice

#: languages the offline engine reads in depth
READS = frozenset({"en"})
LEAD_SENTENCES = 2
LEAD_CHARS = 400

# A sentence ends at . ! ? (and their CJK and Arabic forms), with any closing quotes; CJK
# needs no space after it.
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?;؟][\"'”»)]*(?=\s|$)|[。！？][\"'”」』）]*|$)", re.MULTILINE)
_FINAL = re.compile(r"[.!?。！？؟][\"'”»」』)）]*$")
# "MADRID, 2 dic - ", "МОСКВА, 2 декабря - ", "القاهرة، 2 ديسمبر - ", "新华社北京12月2日电 "
_DATELINE = re.compile(r"^(?:[^\n.!?。]{2,40}?\d[^\n.!?。]{0,20}?\s[-–—]\s+"
                       r"|新华社[^\n。，]{1,20}?电\s*)")


def reads(code: str | None) -> bool:
    return (code or language.DEFAULT) in READS


def lead_brief(article: Article, engine: str) -> Brief:
    """The lead as the bottom line, no sections, and the ``language`` notice."""
    flags = safety.scan(article.text)
    warnings = [Notice(kind="language", source_id=article.id,
                       message=f"not briefed in depth: {language.name(article.language)}; "
                               "use a model provider")]
    chosen: list[Evidence] = []
    for start, end in _lead_spans(article.text):
        if safety.covers(flags, start, end):
            warnings.append(Notice(
                kind="injection", message="sentence addressed to an AI model left out of the "
                "brief", source_id=article.id, start=start, end=end))
            continue
        chosen.append(Evidence(source_id=article.id, quote=article.text[start:end],
                               start=start, end=end))
        if len(chosen) == LEAD_SENTENCES or sum(e.end - e.start for e in chosen) >= LEAD_CHARS:
            break
    return Brief(
        title=safe_title(article),
        summary=("" if article.language in language.CJK else " ").join(e.quote for e in chosen),
        summary_evidence=chosen,
        sources=[article.to_source()],
        meta=Meta(engine_or_provider=engine, created_at=datetime.now(timezone.utc),
                  briefer_version=__version__, warnings=warnings),
    )


def _lead_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans in reading order, past a headline (a first line that does not end
    like a sentence) and a dateline."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for n, line in enumerate(text.split("\n")):
        here, offset = offset, offset + len(line) + 1
        if not line.strip() or (n == 0 and not _FINAL.search(line.strip())):
            continue
        skip = _DATELINE.match(line) if not spans else None
        for match in _SENTENCE.finditer(line, skip.end() if skip else 0):
            piece = match.group(0)
            stripped = piece.strip()
            if sum(ch.isalpha() for ch in stripped) < 2:
                continue
            start = here + match.start() + (len(piece) - len(piece.lstrip()))
            spans.append((start, start + len(stripped)))
    return spans


__all__ = ["READS", "lead_brief", "reads"]
