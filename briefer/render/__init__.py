"""Render a Brief as Markdown (through ``templates/brief.md.j2``) or JSON. No model calls."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from briefer.errors import UsageError

if TYPE_CHECKING:
    from briefer.model import Brief, DailyBrief

from briefer.render.formats import EVIDENCE_MODES, FORMATS

if TYPE_CHECKING:
    from briefer.render.common import Layout

# The template file each format looks for, for a brief and for a daily brief.
TEMPLATE_NAMES = {"md": ("brief.md.j2", "daily.md.j2"), "html": ("brief.html.j2",
                                                                 "daily.html.j2"),
                  "docx": ("memo.docx", "daily.docx")}


def house_template(brief: Brief | DailyBrief, fmt: str,
                   folder: str | os.PathLike[str] | None) -> str | None:
    """The organisation's own template for this output from ``templates_dir`` (config), if
    that folder has one; None means the shipped template."""
    from pathlib import Path

    from briefer.model import DailyBrief

    if folder is None or fmt not in TEMPLATE_NAMES:
        return None
    names = TEMPLATE_NAMES[fmt]
    candidate = Path(folder) / names[1 if isinstance(brief, DailyBrief) else 0]
    return str(candidate) if candidate.is_file() else None


def render(brief: Brief | DailyBrief, fmt: str = "md", *,
           template: str | os.PathLike[str] | None = None,
           memo: dict[str, str | None] | None = None,
           layout: Layout | None = None) -> str | bytes:
    """A brief or daily brief in ``fmt``: text for md/json/html, bytes for docx.

    ``template`` replaces the shipped template of that format; ``memo`` holds the memo
    header and banner (to, from, classification) for docx and html; ``layout`` how much
    the memo shows and how it cites (:class:`Layout`; by default a daily memo shows its
    8 most salient stories, 4 items a section, with compact evidence). JSON is never cut.
    """
    if fmt == "json":
        return brief.model_dump_json(indent=2) + "\n"
    from briefer.render.common import Layout

    layout = layout or Layout.default(brief)
    if fmt == "md":
        from briefer.render.markdown import render_markdown

        return render_markdown(brief, template, layout)
    if fmt == "html":
        from briefer.render.html import render_html

        return render_html(brief, template, memo, layout)
    if fmt == "docx":
        from briefer.render.docx import render_docx

        return render_docx(brief, template, memo, layout)
    raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def load_saved(path: str | os.PathLike[str]) -> Brief | DailyBrief:
    """A brief or daily brief from its JSON, validated; :class:`InputError` otherwise."""
    import json
    from pathlib import Path

    from pydantic import ValidationError

    from briefer.errors import InputError
    from briefer.model import Brief, DailyBrief

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not JSON ({exc.msg} at line {exc.lineno})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), "not JSON (not UTF-8 text)") from exc
    model = DailyBrief if isinstance(data, dict) and "stories" in data else Brief
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "document"
        kind = "daily brief" if model is DailyBrief else "brief"
        raise InputError(str(path), f"not a valid {kind}: {where}: {first['msg']} "
                                    f"({exc.error_count()} problems)") from exc


def __getattr__(name: str) -> object:  # Layout loads the data model: only when asked for
    if name == "Layout":
        from briefer.render.common import Layout

        return Layout
    raise AttributeError(name)


__all__ = ["EVIDENCE_MODES", "FORMATS", "Layout", "house_template", "load_saved", "render"]
