"""One self-contained HTML file (inline CSS with a print stylesheet) from
``templates/brief.html.j2`` / ``templates/daily.html.j2``: autoescaped, sandboxed, strict.
Citations are numbered footnotes that link to the quoted evidence."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from briefer._version import __version__
from briefer.errors import TemplateError
from briefer.model import Brief, DailyBrief, Evidence
from briefer.render.common import (
    SECTION_TITLES,
    SUMMARY_STORIES,
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
from briefer.render.written import (
    colophon_tail,
    no_summary,
    sources_line,
    story_refs,
    summary_stories,
)
from briefer.resources import templates_dir

# Constant markup (no input in it), for text blocks when sources are in several languages.
_AUTO = Markup(' dir="auto"')
_QUOTED = Markup(' lang="{}" dir="auto"')  # format() escapes the code
_NOTHING = Markup("")


def _link(url: str | None) -> str:
    """Only web links become hrefs: a source cannot smuggle in javascript: or data: URLs."""
    return url if url and url.lower().startswith(("http://", "https://")) else "#"


class _Refs:
    """Numbers each citation of the same evidence entry (``r3-1``, ``r3-2``...), so ids stay
    unique and the entry's back-link finds the first."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def next(self, target: str) -> int:
        self.seen[target] = self.seen.get(target, 0) + 1
        return self.seen[target]


def render_html(brief: Brief | DailyBrief, template: str | os.PathLike[str] | None = None,
                memo: dict[str, str | None] | None = None, layout: Layout | None = None) -> str:
    import jinja2

    layout = layout or Layout.default(brief)
    brief, hidden = trim(brief, layout)

    from briefer.sandbox import BoundedSandbox

    is_daily = isinstance(brief, DailyBrief)
    if template is None:
        folder, name = templates_dir(), "daily.html.j2" if is_daily else "brief.html.j2"
    else:
        path = Path(template)
        if not path.is_file():
            raise TemplateError(str(path), "no such file")
        folder, name = path.parent, path.name
    citations = citations_of(brief, layout.evidence)

    def unverified(items: list[Evidence]) -> bool:
        return any(not e.verified for e in items)

    languages = languages_line(brief)
    codes = {s.id: s.language for s in brief.sources}

    def quote_attrs(ev: Evidence) -> Markup:
        """` lang="es" dir="auto"` for a quote from a source not in English, else nothing."""
        code = codes.get(ev.source_id)
        if not languages or not code or code == "en":
            return _NOTHING
        return _QUOTED.format(code)

    context: dict[str, Any] = {
        "citations": citations.entries, "numbers": citations.numbers,
        "marks": citations.marks, "refs": _Refs(), "evidence_mode": layout.evidence,
        "day": layout.day, "hidden_stories": hidden, "summary_stories": SUMMARY_STORIES,
        "quoted": quoted, "headline": headline, "bottom_line": bottom_line, "prose": prose,
        "no_summary": no_summary,
        "label": label,
        "plural": plural, "source_anchor": source_anchor,
        **previous_of(brief),
        "unverified": unverified, "link": _link, "version": __version__,
        "languages_line": languages_line,
        "languages": languages,
        # text from several languages: each block finds its own direction (Arabic, Hebrew)
        "auto": _AUTO if languages else _NOTHING, "quote_attrs": quote_attrs,
        "section_titles": SECTION_TITLES, "view": view, "sections_of": sections_of,
        "memo": {"to": None, "from": None, "classification": None, **(memo or {})},
        "colophon_tail": colophon_tail, "story_refs": story_refs, "sources_line": sources_line,
    }
    if isinstance(brief, DailyBrief):
        context["daily"] = brief
        context["summary_stories"] = summary_stories(brief, SUMMARY_STORIES)
    else:
        context["brief"] = brief
        context["sections"] = sections_of(brief)
    env = BoundedSandbox(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)),
                                    jinja2.FileSystemLoader(str(templates_dir()))]),
        undefined=jinja2.StrictUndefined, autoescape=True, trim_blocks=True,
        lstrip_blocks=True)
    try:
        return env.render_bounded(env.get_template(name), context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}", exc.message or "syntax error"
                            ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(name, str(exc)) from exc
