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
    Raw,
    citations_of,
    languages_line,
    sections_of,
    view,
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
                    template: str | os.PathLike[str] | None = None) -> str:
    import jinja2

    is_daily = isinstance(brief, DailyBrief)
    if template is None:
        folder = str(templates_dir())
        name = DAILY_TEMPLATE if is_daily else DEFAULT_TEMPLATE
    else:
        path = Path(template)
        if not path.is_file():
            raise TemplateError(str(path), "no such file")
        folder, name = str(path.parent), path.name
    citations = citations_of(brief)
    context: dict[str, Any] = {
        "citations": citations.entries,
        "cite": citations.cite,
        "raw": Raw,
        "version": __version__,
        "section_titles": SECTION_TITLES,
        "view": view,
        "sections_of": sections_of,
        "languages": languages_line(brief),
    }
    if isinstance(brief, DailyBrief):
        context["daily"] = brief
    else:
        context["brief"] = brief
        context["sections"] = sections_of(brief)
    try:
        env = _environment([folder])
        text = env.render_bounded(env.get_template(name), context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}", exc.message or "syntax error"
                            ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(name, str(exc)) from exc
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
