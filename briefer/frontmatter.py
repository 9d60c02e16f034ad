"""YAML front matter: the metadata block that opens Markdown clips and prompt files."""

from __future__ import annotations

import re
from typing import Any

# The block may be indented as a whole (valid YAML; one real site writes it so).
_FRONT_MATTER = re.compile(
    r"\A[ \t]*---[ \t]*\r?\n(.*?\r?\n)[ \t]*(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_KEY_LINE = re.compile(r"^[ \t]*[A-Za-z_][\w:-]*\s*:", re.MULTILINE)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """``({...}, body)`` when ``text`` starts with a YAML front matter block, else ``({}, text)``.

    A block that is not a YAML mapping is left in the text: it was not front matter.
    """
    match = _FRONT_MATTER.match(text)
    if not match or not _KEY_LINE.search(match.group(1)):
        return {}, text
    import textwrap

    import yaml

    try:
        meta = yaml.safe_load(textwrap.dedent(match.group(1).replace("\r\n", "\n")))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end() :]


def meta_str(meta: dict[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` that holds text, folded to one line. ``og:title`` is also looked up
    nested (``og: {title: ...}``); a list gives its first text; a mapping or a boolean is
    not text."""
    for key in keys:
        value = meta.get(key)
        if value is None and ":" in key:
            outer, _, inner = key.partition(":")
            nested = meta.get(outer)
            value = nested.get(inner) if isinstance(nested, dict) else None
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, (str, int, float))), None)
        if value in (None, "") or isinstance(value, (dict, bool)):
            continue
        return " ".join(str(value).split())
    return None
