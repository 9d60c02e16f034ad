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
from pathlib import Path
from typing import Any

from briefer._version import __version__
from briefer.errors import TemplateError
from briefer.model import Brief, DailyBrief, Evidence, Prose, Sections, Source, Story, section
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
    sentence_end,
    source_anchor,
    trim,
    view,
)
from briefer.render.wordxml import FLAG_COLOR, UNVERIFIED, _Links, _markup, run, xml_safe
from briefer.render.written import (
    UNVERIFIED_SENTENCE,
    colophon_tail,
    no_summary,
    sources_line,
    story_refs,
    summary_stories,
)
from briefer.resources import templates_dir


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
        elif v.text:
            sep, text = ": ", v.text + (f" (when: {v.when})" if v.when else "")
        else:  # a next step nobody is named for: its text leads, nothing follows a colon
            sep, text = "", f" (when: {v.when})" if v.when else ""
        return {"lead": xml_safe(v.lead), "sep": sep, "text": xml_safe(text),
                "role": xml_safe(v.role), "party": xml_safe(v.lead),
                "cites": self.cites(x.evidence), "links": self.cite_runs(x.evidence),
                "flag": UNVERIFIED if any(not e.verified for e in x.evidence) else ""}

    def said_xml(self, sentences: list[Prose]) -> str:
        """A model's sentences, each with its citation marks; one whose citations did not
        verify is followed by "(unverified)" in the flag colour."""
        parts = []
        for n, sentence in enumerate(sentences):
            parts.append(run((" " if n else "") + sentence.text)
                         + self.cite_xml(sentence.evidence)
                         + ("" if sentence.verified else
                            run(f" {UNVERIFIED_SENTENCE}", italic=True, color=FLAG_COLOR)))
        return "".join(parts)

    def summary_xml(self, holder: Sections) -> str:
        """What a story's summary line shows: a model's sentences, or the summary."""
        if holder.bottom_line:
            return self.said_xml(holder.bottom_line)
        return run(prose(holder.summary)) + self.cite_xml(holder.summary_evidence)

    def differences(self, story: Story) -> list[dict[str, Any]]:
        """"Where sources differ": what about, then each side's sources, words and marks."""
        out = []
        for difference in story.differences:
            about = difference.about[:1].upper() + difference.about[1:]
            runs = run(f"{about}: ", bold=True)
            for n, claim in enumerate(difference.claims):
                runs += (run(("; " if n else "") + f"{sources_line(claim.evidence)}: ")
                         + run(quoted(claim.text)) + self.cite_xml(claim.evidence))
            out.append({"about": xml_safe(about), "runs": _markup(runs)})
        return out

    def bottom_line(self, daily: DailyBrief) -> list[dict[str, Any]]:
        """The daily's bullets: the sentence, its marks, then the stories it cites."""
        out = []
        for sentence in daily.bottom_line:
            refs = story_refs(daily, sentence)
            links = "".join(
                run(" (see " if n == 0 else ", ")
                + (self.links.to_anchor(ref.anchor, run(ref.label, link=True)) if ref.anchor
                   else run(ref.label)) for n, ref in enumerate(refs)) + (run(")") if refs
                                                                          else "")
            out.append({"text": xml_safe(sentence.text),
                        "runs": _markup(self.said_xml([sentence]) + links)})
        return out

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
    return xml_safe(f"Generated by briefer {__version__} with {meta.engine_or_provider}"
                    f"{model}{prompt} on {layout.day(meta.created_at)} at "
                    f"{meta.created_at:%H:%M} UTC{colophon_tail(meta)}.")


def context_for(brief: Brief | DailyBrief, memo: dict[str, str | None],
                layout: Layout | None = None, url_id: Any = None) -> dict[str, Any]:
    layout = layout or Layout.default(brief)
    brief, hidden = trim(brief, layout)
    banner = xml_safe(memo.get("classification") or "")
    parts = _View(citations_of(brief, layout.evidence), _Links(url_id), layout)
    if isinstance(brief, DailyBrief):
        stories = []
        in_summary = summary_stories(brief, SUMMARY_STORIES)
        for n, story in enumerate(brief.stories, 1):
            said = n <= in_summary  # its summary is a line of the executive summary
            model = bool(story.bottom_line)  # a model's sentences: all in the runs
            stories.append({"number": str(n), "title": xml_safe(prose(story.title)),
                            "summary": "" if said or model else xml_safe(prose(story.summary)),
                            "summary_cites": parts.cites(story.summary_evidence),
                            "summary_links": _markup("") if said
                            else _markup(parts.said_xml(story.bottom_line)) if model
                            else parts.cite_runs(story.summary_evidence),
                            "differences": parts.differences(story),
                            # the bookmark the daily bottom line's "see story n" jumps to
                            "anchor": _markup(parts.links.bookmark(story.id)
                                              if brief.bottom_line else ""),
                            "sources": ", ".join(story.source_ids),
                            "sources_line": xml_safe(
                                f"{'Sources' if len(story.source_ids) > 1 else 'Source'}: "
                                f"{', '.join(story.source_ids)}" if said
                                else f" ({', '.join(story.source_ids)})"),
                            **parts.sections(story)})
        summary = []
        for story in brief.stories[:in_summary]:
            lead, text = headline(story.title, story.summary)
            if story.bottom_line:
                lead, text = prose(story.title), " ".join(p.text for p in story.bottom_line)
            runs = ((run(f"{lead}: ", bold=True) if lead else "")
                    + (parts.said_xml(story.bottom_line) if story.bottom_line
                       else run(text) + parts.cite_xml(story.summary_evidence)))
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
            "summary": summary, "bottom_line": parts.bottom_line(brief),
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
    if brief.bottom_line:  # a model's sentences, each with its marks, all in the runs
        bottom_text, bottom_links = "", _markup(parts.said_xml(brief.bottom_line))
    else:
        bottom_text = xml_safe(bottom or sentence_end(no_summary(brief).capitalize()))
        bottom_links = parts.cite_runs(bottom_evidence)
    return {
        "classification": banner,
        "memo": _memo(brief.title, layout.day(brief.meta.created_at), memo),
        "warnings": [xml_safe(f"{w.kind}: {w.message}") for w in brief.meta.warnings],
        "summary": bottom_text,
        "summary_cites": parts.cites(bottom_evidence),
        "summary_links": bottom_links,
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
