"""HTML pages to main text with trafilatura (boilerplate, navigation and scripts dropped)."""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass

from briefer.errors import InputError

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)


MIN_WORDS = 8  # less than this is a menu or an error page, not an article


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    url: str | None
    date: str | None


def looks_like_html(text: str) -> bool:
    head = text[:2048]
    return bool(_HTML_START.match(head)) or ("<body" in head.lower() and "</" in head)


def extract(markup: str, source: str, url: str | None = None) -> Page:
    """Main text and metadata of an HTML page; :class:`InputError` when there is none."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    doc = trafilatura.bare_extraction(
        _without_hidden(markup),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        # not deduplicate=True: trafilatura keeps a process-wide cache of seen paragraphs,
        # so a second page with the same text (a syndicated story) came back empty
        deduplicate=False,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(text.split()) < MIN_WORDS:
        raise InputError(source, "no article text found in the HTML (only navigation/scripts?)")
    title = getattr(doc, "title", None) or _title_tag(markup)
    return Page(text=text, title=title, url=getattr(doc, "url", None) or url,
                date=getattr(doc, "date", None))


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0",
                           re.IGNORECASE)


def _without_hidden(markup: str) -> str:
    """The page without what a reader never sees: hidden elements can carry instructions
    meant for a model (comments and scripts trafilatura drops itself)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return markup
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        hidden = (element.get("hidden") is not None or element.get("aria-hidden") == "true"
                  or _HIDDEN_STYLE.search(element.get("style") or ""))
        if hidden and element.getparent() is not None:
            element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def _title_tag(markup: str) -> str | None:
    match = _TITLE.search(markup)
    if not match:
        return None
    title = " ".join(html_lib.unescape(match.group(1)).split())
    return title or None
