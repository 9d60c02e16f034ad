"""Markdown memos from a sandboxed Jinja template.

Every ``{{ value }}`` is Markdown-escaped on output (the ``finalize`` hook), so article text
cannot inject links, images or HTML into the memo; helpers that build markup on purpose
return :class:`Raw`. Undefined variables fail loudly (``StrictUndefined``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from briefer._version import __version__
from briefer.errors import TemplateError
from briefer.model import Brief, DailyBrief
from briefer.render.common import (
    SECTION_TITLES,
    SUMMARY_STORIES,
    Layout,
    Raw,
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
from briefer.render.written import (
    colophon_tail,
    no_summary,
    sources_line,
    story_refs,
    summary_stories,
)
from briefer.resources import templates_dir

DEFAULT_TEMPLATE = "brief.md.j2"
DAILY_TEMPLATE = "daily.md.j2"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(value: Any) -> str:
    if isinstance(value, Raw):
        return value
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(text: Any, url: str | None) -> Raw:
    """``[text](url)`` for an http(s) URL (the target percent-encoded, the text escaped);
    just the escaped text otherwise: a source cannot smuggle in other link kinds."""
    shown = md_escape(text)
    if not url or not url.lower().startswith(("http://", "https://")):
        return Raw(shown)
    from urllib.parse import quote

    target = quote(url, safe=":/?#@!$&'*+,;=%~-._")
    return Raw(f"[{shown}]({target})")


def anchor(name: str) -> Raw:
    """An HTML anchor a citation link can jump to (GitHub, markdown-it, pandoc keep it)."""
    return Raw(f'<a id="{re.sub(r"[^A-Za-z0-9_-]", "-", name)}"></a>')


_HEADING = re.compile(r"^#{1,6} ")
_ITEM = re.compile(r"^(?:[-*+]|\d+\.) ")


def tidy(text: str) -> str:
    """Blank lines around headings and around list blocks (markdownlint MD022, MD032),
    whatever a template did; at most one blank line in a row."""
    out: list[str] = []
    lines = text.split("\n")
    for line in lines:
        prev = out[-1] if out else ""
        is_item, is_heading = bool(_ITEM.match(line)), bool(_HEADING.match(line))
        prev_item = bool(_ITEM.match(prev)) or (prev.startswith("  ") and prev.strip() != "")
        if prev.strip() and (is_heading or _HEADING.match(prev)
                             or (is_item and not prev_item)
                             or (line.strip() and not is_item and prev_item
                                 and not line.startswith("  "))):
            out.append("")
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _environment(search_path: list[str]) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined

    from briefer.sandbox import BoundedSandbox

    return BoundedSandbox(
        loader=FileSystemLoader(search_path),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=md_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_markdown(brief: Brief | DailyBrief,
                    template: str | os.PathLike[str] | None = None,
                    layout: Layout | None = None) -> str:
    import jinja2

    layout = layout or Layout.default(brief)
    brief, hidden = trim(brief, layout)

    is_daily = isinstance(brief, DailyBrief)
    if template is None:
        folder = str(templates_dir())
        name = DAILY_TEMPLATE if is_daily else DEFAULT_TEMPLATE
    else:
        path = Path(template)
        if not path.is_file():
            raise TemplateError(str(path), "no such file")
        folder, name = str(path.parent), path.name
    citations = citations_of(brief, layout.evidence)
    context: dict[str, Any] = {
        "citations": citations.entries,
        "cite": citations.cite,
        "raw": Raw,
        "evidence": layout.evidence, "day": layout.day, "hidden_stories": hidden,
        "summary_stories": SUMMARY_STORIES,
        "quoted": quoted, "headline": headline, "bottom_line": bottom_line, "prose": prose,
        "no_summary": no_summary,
        "label": label,
        "plural": plural, "sentence_end": sentence_end, "link": md_link, "anchor": anchor,
        "source_anchor": source_anchor, **previous_of(brief),
        "version": __version__,
        "languages_line": languages_line,
        "section_titles": SECTION_TITLES,
        "view": view,
        "sections_of": sections_of,
        "colophon_tail": colophon_tail, "story_refs": story_refs, "sources_line": sources_line,
    }
    if isinstance(brief, DailyBrief):
        context["daily"] = brief
        context["summary_stories"] = summary_stories(brief, SUMMARY_STORIES)
    else:
        context["brief"] = brief
        context["sections"] = sections_of(brief)
    try:
        env = _environment(list(dict.fromkeys([folder, str(templates_dir())])))
        text = env.render_bounded(env.get_template(name), context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}", exc.message or "syntax error"
                            ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(name, str(exc)) from exc
    return tidy(text)
