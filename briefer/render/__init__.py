"""Render a Brief as Markdown (through ``templates/brief.md.j2``) or JSON. No model calls."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from briefer.errors import UsageError

if TYPE_CHECKING:
    from briefer.model import Brief, DailyBrief

FORMATS = ("md", "json")


def render(brief: Brief | DailyBrief, fmt: str = "md", *,
           template: str | os.PathLike[str] | None = None) -> str:
    """A brief or daily brief as text in ``fmt``. ``template`` replaces the shipped Markdown
    template (``brief.md.j2`` / ``daily.md.j2``)."""
    if fmt == "json":
        return brief.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        from briefer.render.markdown import render_markdown

        return render_markdown(brief, template)
    raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


__all__ = ["FORMATS", "render"]
