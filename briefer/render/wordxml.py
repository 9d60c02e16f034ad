"""Word XML built from escaped text only: runs, bookmarks and hyperlinks for the memos
(:mod:`briefer.render.docx`). Article text can never add a link or markup here."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
UNVERIFIED = " [unverified: not found in the source]"
LINK_COLOR = "1F4E8C"
#: the colour of "(unverified)" after a sentence whose citations did not verify
FLAG_COLOR = "B04000"


def xml_safe(value: object) -> str:
    """Text Word can hold: XML-invalid characters removed, line breaks folded."""
    return " ".join(_NOT_XML.sub("", "" if value is None else str(value)).split())


def _markup(xml: str) -> Any:
    from markupsafe import Markup

    return Markup(xml)  # noqa: S704 - built from escaped text only (run, link, bookmark)


def run(text: str, *, bold: bool = False, italic: bool = False, link: bool = False,
        superscript: bool = False, size: float | None = None, color: str | None = None
        ) -> str:
    """One ``w:r`` of escaped text."""
    props = []
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if link or color:
        props.append(f'<w:color w:val="{color or LINK_COLOR}"/>')
    if size:
        props.append(f'<w:sz w:val="{round(size * 2)}"/>')
    if link and not superscript:
        props.append('<w:u w:val="single"/>')
    if superscript:
        props.append('<w:vertAlign w:val="superscript"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    folded = xml_safe(text)
    if folded:  # keep the one space a run starts or ends with ("Party: ", " (s3)")
        folded = (" " if text[:1].isspace() else "") + folded + (" " if text[-1:].isspace()
                                                                 else "")
    else:
        folded = " " if text[:1].isspace() else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(folded)}</w:t></w:r>'


class _Links:
    """Bookmarks and hyperlinks of one document (ids unique, each bookmark once)."""

    def __init__(self, url_id: Any) -> None:
        self._url_id = url_id
        self._next = 1
        self.placed: set[str] = set()

    def bookmark(self, name: str) -> str:
        if name in self.placed:
            return ""
        self.placed.add(name)
        self._next += 1
        n = self._next
        return (f'<w:bookmarkStart w:id="{n}" w:name={quoteattr(name)}/>'
                f'<w:bookmarkEnd w:id="{n}"/>')

    def to_anchor(self, name: str, runs: str) -> str:
        return f'<w:hyperlink w:anchor={quoteattr(name)} w:history="1">{runs}</w:hyperlink>'

    def to_url(self, url: str | None, runs: str) -> str:
        """An external hyperlink for an http(s) URL; the runs alone for anything else."""
        if self._url_id is None or not url or not url.lower().startswith(("http://",
                                                                            "https://")):
            return runs
        rid = self._url_id(url)
        return f'<w:hyperlink r:id={quoteattr(rid)} w:history="1">{runs}</w:hyperlink>'


__all__ = ["FLAG_COLOR", "LINK_COLOR", "UNVERIFIED", "run", "xml_safe"]
