"""The output formats briefer writes: declared once, for the renderers and the CLI."""

FORMATS = ("md", "json", "html", "docx")
#: formats that are binary files (they need -o FILE)
BINARY = frozenset({"docx"})
#: how a memo shows its evidence: each quote with source and offsets, each quote once
#: (title and URL once in Sources), or no list (citations point at Sources)
EVIDENCE_MODES = ("full", "compact", "none")


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 source``, ``2 sources``, ``3 stories`` (with ``many``)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
