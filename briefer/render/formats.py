"""The output formats briefer writes: declared once, for the renderers and the CLI."""

FORMATS = ("md", "json", "html", "docx")
#: formats that are binary files (they need -o FILE)
BINARY = frozenset({"docx"})
