"""Markdown memos from a sandboxed Jinja template.

Every ``{{ value }}`` is Markdown-escaped on output (the ``finalize`` hook), so article text
cannot inject links, images or HTML into the memo; helpers that build markup on purpose
return :class:`Raw`. Undefined variables fail loudly (``StrictUndefined``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefer import __version__
from briefer.errors import TemplateError
from briefer.model import SECTIONS, Brief, DailyBrief, Evidence, Source
from briefer.resources import templates_dir

DEFAULT_TEMPLATE = "brief.md.j2"
DAILY_TEMPLATE = "daily.md.j2"
SECTION_TITLES = {
    "key_issues": "Key issues",
    "positions": "Positions",
    "red_lines": "Red lines",
    "next_steps": "Next steps",
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


class Raw(str):
    """Markup a template helper produced on purpose: not escaped again."""


def md_escape(value: Any) -> str:
    if isinstance(value, Raw):
        return value
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class Citation:
    number: int
    evidence: Evidence
    source: Source


class Citations:
    """Numbers evidence spans in reading order; the same span keeps its number."""

    def __init__(self, evidence: Iterable[Evidence], sources: Iterable[Source]) -> None:
        self._sources = {s.id: s for s in sources}
        self._numbers: dict[tuple[str, int, int, str], int] = {}
        self.entries: list[Citation] = []
        for ev in evidence:
            self._number(ev)

    def _number(self, ev: Evidence) -> int:
        # an unverified quote has no span: it is told apart by its text
        key = (ev.source_id, ev.start, ev.end, "" if ev.verified else ev.quote)
        if key not in self._numbers:
            self._numbers[key] = len(self.entries) + 1
            self.entries.append(Citation(len(self.entries) + 1, ev, self._sources[ev.source_id]))
        return self._numbers[key]

    def numbers(self, evidence: list[Evidence]) -> list[int]:
        return [self._number(ev) for ev in evidence]

    def cite(self, target: Any) -> Raw:
        evidence = target if isinstance(target, list) else getattr(target, "evidence", [])
        marks = "".join(f"[{self._number(ev)}]" for ev in evidence)
        unverified = any(not ev.verified for ev in evidence)
        return Raw((" " + marks if marks else "") + (" ⚠ *unverified*" if unverified else ""))


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


def _daily_evidence(daily: DailyBrief) -> Iterator[Evidence]:
    for story in daily.stories:
        yield from story.all_evidence()


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
    evidence = _daily_evidence(brief) if isinstance(brief, DailyBrief) else brief.all_evidence()
    citations = Citations(evidence, brief.sources)
    context = {
        "citations": citations.entries,
        "cite": citations.cite,
        "raw": Raw,
        "version": __version__,
        "section_titles": SECTION_TITLES,
    }
    if isinstance(brief, DailyBrief):
        context["daily"] = brief
    else:
        context["brief"] = brief
        context["sections"] = [(key, SECTION_TITLES[key], getattr(brief, key))
                               for key in SECTIONS]
    try:
        env = _environment([folder])
        text = env.render_bounded(env.get_template(name), context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}", exc.message or "syntax error"
                            ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(name, str(exc)) from exc
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
