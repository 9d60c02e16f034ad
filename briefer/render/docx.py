"""Word memos from ``templates/memo.docx`` / ``templates/daily.docx`` (docxtpl).

The template is rendered by a sandboxed, strict Jinja environment with XML autoescaping;
every string is first stripped of characters XML 1.0 cannot hold (NUL, \\x0b, lone
surrogates...). The view passed to the template is plain strings, already formatted:
templates cannot reach briefer's objects. Document properties (title, author, created)
are set on the result.

Links: each citation mark is an internal hyperlink (``w:hyperlink w:anchor``) to a bookmark
on its evidence entry (``e<n>``), whose number links back to the first place it is cited
(``r<n>``); each source entry carries a bookmark (``src-s<n>``) and its URL is an external
hyperlink. These come to the template as ready-made runs (``{{r item.links }}``), built
here from escaped text only: article text can never add a link. Plain-text forms
(``item.cites``...) stay for templates written before.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from briefer._version import __version__
from briefer.errors import TemplateError
from briefer.model import Brief, DailyBrief, Evidence, Sections, Source, section
from briefer.render.common import (
    SECTION_TITLES,
    SUMMARY_STORIES,
    Citations,
    Layout,
    bottom_line,
    citations_of,
    headline,
    label,
    languages_line,
    plural,
    previous_of,
    prose,
    quoted,
    sections_of,
    source_anchor,
    trim,
    view,
)
from briefer.resources import templates_dir

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
UNVERIFIED = " [unverified: not found in the source]"
LINK_COLOR = "1F4E8C"


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


class _View:
    def __init__(self, citations: Citations, links: _Links, layout: Layout) -> None:
        self.citations = citations
        self.links = links
        self.layout = layout

    def cites(self, evidence: list[Evidence]) -> str:
        """The plain marks, ``[1][2]`` (templates written before links)."""
        marks = "".join(text for text, _ in self.citations.marks(evidence))
        return xml_safe(" " + marks if marks else "")

    def cite_runs(self, evidence: list[Evidence], back: bool = True) -> Any:
        return _markup(self.cite_xml(evidence, back))

    def cite_xml(self, evidence: list[Evidence], back: bool = True) -> str:
        """Superscript marks, each linking to its evidence entry (or source); the first
        mark of an entry carries the bookmark its back-link jumps to."""
        parts = []
        for text, anchor in self.citations.marks(evidence):
            mark = ""
            if back and anchor.startswith("e"):
                mark = self.links.bookmark("r" + anchor[1:])
            parts.append(mark + self.links.to_anchor(anchor, run(text, link=True,
                                                                 superscript=True)))
        return "".join(parts)

    def item(self, key: str, x: Any) -> dict[str, Any]:
        """One item as the template's parts: **lead + sep** text cites flag; for a section
        without a party (key issues) the text is the detail, after a colon."""
        v = view(key, x)
        if section(key).party is None:
            sep, text = "", f": {v.text}" if v.text else ""
        else:
            sep, text = ": ", (v.text or "") + (f" (when: {v.when})" if v.when else "")
        return {"lead": xml_safe(v.lead), "sep": sep, "text": xml_safe(text),
                "role": xml_safe(v.role), "party": xml_safe(v.lead),
                "cites": self.cites(x.evidence), "links": self.cite_runs(x.evidence),
                "flag": UNVERIFIED if any(not e.verified for e in x.evidence) else ""}

    def sections(self, holder: Sections) -> dict[str, Any]:
        """``sections`` (each declared section: name, title, table, entries) and, for
        templates written before the section table, each section's items by name."""
        listed: list[dict[str, Any]] = [{"name": key, "title": title, "table": section(key).table,
                   "entries": [self.item(key, x) for x in items]}
                  for key, title, items in sections_of(holder)]
        return {"sections": listed, **{s["name"]: s["entries"] for s in listed}}

    def evidence(self) -> list[dict[str, Any]]:
        """Each entry once: its number (a link back to where it is first cited), the quote,
        and its source (a link to Sources; in full mode with title and offsets)."""
        if self.citations.mode == "none":
            return []
        out = []
        for c in self.citations.entries:
            full = self.citations.mode == "full"
            where = label(c.source.title or c.source.path_or_url)
            offsets = f", chars {c.evidence.start}-{c.evidence.end}" if c.evidence.verified else ""
            meta = f"{c.source.id}, {where}{offsets}" if full else c.source.id
            number = f"[{c.number}]"
            back = f"r{c.number}"
            head = (self.links.to_anchor(back, run(number, bold=True, link=True, size=9))
                    if back in self.links.placed else run(number, bold=True, size=9))
            translation = c.evidence.translation
            runs = (self.links.bookmark(f"e{c.number}") + head + run(" ", size=9)
                    + run(quoted(c.shown), size=9)
                    + (run(" (not found in the source)", italic=True, size=9)
                       if not c.evidence.verified else "")
                    + run(" (", size=8)
                    + self.links.to_anchor(source_anchor(c.source.id),
                                           run(meta, link=True, size=8))
                    + run(")", size=8)
                    # the translation under the quote (a line break, then italic)
                    + ("<w:r><w:br/></w:r>" + run(f"Translation: {translation}", italic=True,
                                                  size=9) if translation else ""))
            out.append({"number": str(c.number), "quote": xml_safe(quoted(c.shown)),
                        "translation": xml_safe(translation),
                        "flag": "" if c.evidence.verified else "(not found in the source)",
                        "source": xml_safe(meta), "runs": _markup(runs)})
        return out

    def sources(self, sources: list[Source]) -> list[dict[str, Any]]:
        out = []
        for s in sources:
            title = prose(s.title) or "untitled"
            where = s.url or s.path_or_url
            when = f" ({self.layout.day(s.date)})" if s.date else ""
            also = f"; also at {', '.join(s.duplicates)}" if s.duplicates else ""
            runs = (self.links.bookmark(source_anchor(s.id)) + run(f"{s.id}: ", bold=True)
                    + run(f"{title}{when} ")
                    + self.links.to_url(s.url, run(where, link=bool(s.url), size=9))
                    + (run(also, size=9) if also else ""))
            out.append({"id": s.id, "title": xml_safe(title), "where": xml_safe(where),
                        "runs": _markup(runs)})
        return out


def _memo(subject: str, day: str, memo: dict[str, str | None]) -> dict[str, str]:
    return {"to": xml_safe(memo.get("to") or "Principal"),
            "from_": xml_safe(memo.get("from") or "Analyst (briefer)"),
            "date": xml_safe(day), "subject": xml_safe(prose(subject))}


def _colophon(meta: Any, layout: Layout) -> str:
    model = f" ({meta.model})" if meta.model else ""
    prompt = f", prompt {meta.prompt['id']}@{meta.prompt['version']}" if meta.prompt else ""
    grounding = ""
    if meta.grounding is not None:
        grounding = (f"; {meta.grounding.verified}/{meta.grounding.items} items grounded in "
                     "the source")
    return xml_safe(f"Generated by briefer {__version__} with {meta.engine_or_provider}"
                    f"{model}{prompt} on {layout.day(meta.created_at)} at "
                    f"{meta.created_at:%H:%M} UTC{grounding}.")


def context_for(brief: Brief | DailyBrief, memo: dict[str, str | None],
                layout: Layout | None = None, url_id: Any = None) -> dict[str, Any]:
    layout = layout or Layout.default(brief)
    brief, hidden = trim(brief, layout)
    banner = xml_safe(memo.get("classification") or "")
    parts = _View(citations_of(brief, layout.evidence), _Links(url_id), layout)
    if isinstance(brief, DailyBrief):
        stories = []
        for n, story in enumerate(brief.stories, 1):
            said = n <= SUMMARY_STORIES  # its summary is a line of the executive summary
            stories.append({"number": str(n), "title": xml_safe(prose(story.title)),
                            "summary": "" if said else xml_safe(prose(story.summary)),
                            "summary_cites": parts.cites(story.summary_evidence),
                            "summary_links": _markup("") if said
                            else parts.cite_runs(story.summary_evidence),
                            "sources": ", ".join(story.source_ids),
                            "sources_line": xml_safe(
                                f"{'Sources' if len(story.source_ids) > 1 else 'Source'}: "
                                f"{', '.join(story.source_ids)}" if said
                                else f" ({', '.join(story.source_ids)})"),
                            **parts.sections(story)})
        summary = []
        for story in brief.stories[:SUMMARY_STORIES]:
            lead, text = headline(story.title, story.summary)
            runs = ((run(f"{lead}: ", bold=True) if lead else "") + run(text)
                    + parts.cite_xml(story.summary_evidence))
            summary.append({"text": xml_safe(f"{lead}: {text}" if lead else text),
                            "cites": parts.cites(story.summary_evidence),
                            "runs": _markup(runs)})
        previous = previous_of(brief)
        when = layout.day(previous["previous_date"]) if previous["previous_date"] else None
        shown = plural(len(brief.stories), "story", "stories")
        overview = (f"{shown} from {plural(len(brief.sources), 'source')}"
                    + (f"; {hidden} less salient not shown" if hidden else "")
                    + (f"; {len(brief.not_included)} not included" if brief.not_included
                       else "") + ".")
        return {
            "classification": banner, "memo": _memo(brief.title, layout.day(brief.date), memo),
            "overview": xml_safe(overview),
            "summary": summary,
            "changes": None if brief.previous is None else [
                xml_safe(f"{'New' if c.kind == 'new' else 'No longer reported'} "
                         f"({SECTION_TITLES[c.section].lower()}, {prose(c.story)}): "
                         f"{c.party + ': ' if c.party else ''}{prose(c.text)}")
                for c in brief.changes],
            "changes_heading": xml_safe(f"What changed since {when}" if when
                                        else "What changed since the previous brief"),
            "changes_against": xml_safe(f"Compared with {previous['previous_name']}"
                                        + (f" ({when})." if when else ".")),
            "stories": stories,
            "not_included": [xml_safe(f"{m.input}: {m.reason}") for m in brief.not_included],
            "warnings": [xml_safe(f"{w.kind}: {w.message}"
                                  + (f" ({w.source_id})" if w.source_id else ""))
                         for w in brief.meta.warnings],
            "citations": parts.evidence(), "sources": parts.sources(brief.sources),
            "colophon": _colophon(brief.meta, layout),
            "languages": xml_safe(languages_line(brief)),
        }
    bottom, bottom_evidence = bottom_line(brief)
    return {
        "classification": banner,
        "memo": _memo(brief.title, layout.day(brief.meta.created_at), memo),
        "warnings": [xml_safe(f"{w.kind}: {w.message}") for w in brief.meta.warnings],
        "summary": xml_safe(bottom or "No summary: the source holds no prose."),
        "summary_cites": parts.cites(bottom_evidence),
        "summary_links": parts.cite_runs(bottom_evidence),
        **parts.sections(brief),
        "citations": parts.evidence(), "sources": parts.sources(brief.sources),
        "colophon": _colophon(brief.meta, layout),
        "languages": xml_safe(languages_line(brief)),
    }


def render_docx(brief: Brief | DailyBrief, template: str | os.PathLike[str] | None = None,
                memo: dict[str, str | None] | None = None,
                layout: Layout | None = None) -> bytes:
    """The memo as .docx bytes. ``memo`` holds to/from/classification (config)."""
    import jinja2
    from docxtpl import DocxTemplate

    from briefer.render import scripts
    from briefer.sandbox import BoundedSandbox

    memo = memo or {}
    default = "daily.docx" if isinstance(brief, DailyBrief) else "memo.docx"
    path = Path(template) if template is not None else templates_dir() / default
    if not path.is_file():
        raise TemplateError(str(path), "no such file")
    env = BoundedSandbox(undefined=jinja2.StrictUndefined)
    try:
        doc = DocxTemplate(str(path))
        doc.render(context_for(brief, memo, layout, doc.build_url_id), jinja_env=env,
                   autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(path.name, f"bad tag near line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(path.name, str(exc)) from exc
    except Exception as exc:  # a file that is not a Word document, a broken zip...
        raise TemplateError(path.name, f"cannot be used as a Word template "
                                       f"({type(exc).__name__}: {exc})") from exc
    scripts.mark(doc.docx)  # right-to-left paragraphs, east-asian fonts (no-op for English)
    props = doc.docx.core_properties
    props.title = xml_safe(prose(brief.title))[:250]
    props.author = xml_safe(memo.get("from") or "briefer")
    props.subject = "Daily brief" if isinstance(brief, DailyBrief) else "Brief"
    props.created = props.modified = brief.meta.created_at.replace(tzinfo=None)
    props.comments = f"briefer {__version__}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
