"""What every renderer shares: citation numbering, and each declared section's items as
plain parts (lead, role, text, when) so templates iterate sections instead of naming them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from briefer.model import SECTION_TABLE, Brief, DailyBrief, Evidence, Sections, Source, section

#: section name -> heading, from the section table
SECTION_TITLES = {spec.name: spec.title for spec in SECTION_TABLE}


class Raw(str):
    """Markup a template helper produced on purpose: not escaped again."""


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


def citations_of(doc: Brief | DailyBrief) -> Citations:
    """Every evidence span of a brief, or of all of a daily brief's stories, numbered."""
    return Citations(all_evidence(doc), doc.sources)


def all_evidence(doc: Brief | DailyBrief) -> Iterator[Evidence]:
    if isinstance(doc, DailyBrief):
        for story in doc.stories:
            yield from story.all_evidence()
    else:
        yield from doc.all_evidence()


@dataclass(frozen=True)
class Line:
    """An item as a memo line: **lead** (role): text (when: ...). For a section without a
    party (key issues) the lead is the item's text and ``text`` its detail."""

    lead: str
    text: str | None
    role: str | None = None
    when: str | None = None


def view(key: str, item: Any) -> Line:
    spec = section(key)
    if spec.party is None:
        return Line(item.text, getattr(item, "detail", None))
    return Line(item.who or spec.unattributed, item.text, getattr(item, "role", None),
                getattr(item, "when", None))


def languages_line(doc: Brief | DailyBrief) -> str:
    """``"English, Spanish"``: the languages of the sources, when one is not English (an
    all-English brief says nothing, as it always did)."""
    from briefer import language

    codes = [s.language for s in doc.sources]
    if all((c or language.DEFAULT) == language.DEFAULT for c in codes):
        return ""
    return ", ".join(language.names(codes))


def language_notices(doc: Brief | DailyBrief) -> list[str]:
    """The ``language`` notices ("not briefed in depth: Spanish; ...") with their source."""
    return [f"{w.message} ({w.source_id})" if w.source_id else w.message
            for w in doc.meta.warnings if w.kind == "language"]


def sections_of(holder: Sections) -> list[tuple[str, str, list[Any]]]:
    """``(name, title, items)`` for each declared section of a brief or story."""
    return [(spec.name, spec.title, items) for spec, items in holder.sections()]


__all__ = ["SECTION_TITLES", "Citation", "Citations", "Line", "Raw", "all_evidence",
           "citations_of", "language_notices", "languages_line", "sections_of", "view"]
