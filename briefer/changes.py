"""What changed since the previous daily brief: each story is matched to the previous day's
by shared sources or terms, and new and removed positions, red lines and next steps are
listed (a party named in full one day and by a short form the other is one party).
``find_previous`` picks the previous daily JSON in an output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from briefer.errors import InputError
from briefer.model import Change, DailyBrief, Item, SectionName, Source, Story
from briefer.story import party_names
from briefer.text import terms


def load_daily(path: Path) -> DailyBrief:
    try:
        return DailyBrief.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise InputError(str(path), f"cannot read the previous daily brief ({exc.strerror})"
                         ) from exc
    except ValueError as exc:
        raise InputError(str(path), "not a daily brief JSON (write one with "
                                    "`briefer daily --format json`)") from exc


def find_previous(folder: Path, exclude: Path | None = None,
                  before: str | None = None) -> Path | None:
    """The newest daily-brief JSON in ``folder`` dated before ``before`` (YYYY-MM-DD), if
    any. A daily of the same date (today's own JSON, written beside its Markdown or Word
    memo) is never taken: "what changed" compares with an earlier day. Among files of the
    newest earlier date, the last written wins."""
    candidates = []
    for path in folder.glob("*.json"):
        if exclude is not None and path.resolve() == exclude.resolve():
            continue
        try:
            head = json.loads(path.read_bytes())
        except (OSError, ValueError):
            continue
        if not (isinstance(head, dict) and "stories" in head and "date" in head):
            continue
        day = str(head["date"])[:10]
        if before is not None and day >= before[:10]:
            continue
        candidates.append((day, path.stat().st_mtime, path.name, path))
    return max(candidates)[3] if candidates else None


def _story_terms(story: Story) -> set[str]:
    return set(terms(story.title + " " + story.summary))


def changes(old: DailyBrief, new: DailyBrief) -> list[Change]:
    """New and removed positions, red lines and next steps, story by story."""
    old_sources = {s.id: s for s in old.sources}
    new_sources = {s.id: s for s in new.sources}
    out: list[Change] = []
    used: set[str] = set()
    for story in new.stories:
        match = _match(story, new_sources, old, old_sources, used)
        if match is None:
            continue
        used.add(match.id)
        sections: tuple[SectionName, ...] = ("positions", "red_lines", "next_steps")
        # one name per party over both days: "Reichelt" yesterday is "Julian Reichelt"
        # today when today's story also names him in full (briefer.story merges names)
        names = party_names([i.who for s in (match, story) for _, i in s.items() if i.who])
        for section in sections:
            before = {_item_key(i, names): i for i in getattr(match, section)}
            after = {_item_key(i, names): i for i in getattr(story, section)}
            for key in after.keys() - before.keys():
                out.append(_change(story, "new", section, after[key]))
            for key in before.keys() - after.keys():
                out.append(_change(story, "removed", section, before[key]))
    return out


def _match(story: Story, sources: dict[str, Source], old: DailyBrief,
           old_sources: dict[str, Source], used: set[str]) -> Story | None:
    mine = {sources[i].url or sources[i].path_or_url for i in story.source_ids}
    words = _story_terms(story)
    best, best_score = None, 0.0
    for candidate in old.stories:
        if candidate.id in used:
            continue
        theirs = {old_sources[i].url or old_sources[i].path_or_url
                  for i in candidate.source_ids if i in old_sources}
        other = _story_terms(candidate)
        score = (1.0 if mine & theirs else 0.0) + len(words & other) / max(1, len(words | other))
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score >= 0.25 else None


def _item_key(item: Item, names: dict[str, str]) -> str:
    who = names.get(item.who, item.who) if item.who else ""
    return f"{who.lower()}|{' '.join(item.text.lower().split())}"


def _change(story: Story, kind: Literal["new", "removed"], section: SectionName,
            item: Item) -> Change:
    return Change(story_id=story.id, story=story.title, kind=kind, section=section,
                  text=item.text, party=item.who)
