"""Write every output briefer makes for a corpus into a folder, for before/after comparison.

    python bench/golden.py OUT_DIR [CORPUS]      # CORPUS defaults to ../shared/corpus

Each article is briefed alone (md, json, html, docx) on the offline engine, and the whole
corpus once as a daily brief (md, json, html, docx), with ``SOURCE_DATE_EPOCH`` pinned so
the outputs are reproducible. Compare two runs with ``diff -r`` (or ``cmp`` for .docx): a
refactoring that keeps behaviour must leave every file byte-identical.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import SHARED_CORPUS

FORMATS = ("md", "json", "html", "docx")
SKIP = (".ref.txt", ".src.txt", ".dek.txt", ".expected.txt", "SOURCES.txt", "ref.txt")


def articles(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*")
                  if p.is_file() and p.suffix in (".txt", ".md", ".html")
                  and not p.name.endswith(SKIP) and "annotations" not in p.parts
                  and "train" not in p.parts)


def write(path: Path, data: str | bytes) -> None:
    """Text as it is; a .docx as its XML parts in name order (zip timestamps vary)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            data = "".join(f"--- {n}\n{zf.read(n).decode('utf-8', 'replace')}\n"
                           for n in sorted(zf.namelist()))
        path = path.with_name(path.name + ".xml")
    path.write_text(data, encoding="utf-8")


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    out = Path(argv[0])
    corpus = Path(argv[1]) if len(argv) > 1 else SHARED_CORPUS
    if not corpus.is_dir():
        print(f"no corpus at {corpus}; give one as the second argument")
        return 2
    os.environ["SOURCE_DATE_EPOCH"] = "1764547200"  # 2025-12-01
    from briefer.daily import daily
    from briefer.errors import BrieferError
    from briefer.pipeline import brief
    from briefer.render import render

    files = articles(corpus)
    for path in files:
        name = str(path.relative_to(corpus)).replace("/", "__")
        try:
            result = brief([path])
        except BrieferError as exc:
            write(out / f"{name}.error", f"{exc}\n")
            continue
        result.brief.meta.timings = {}  # wall times differ run to run
        for fmt in FORMATS:
            write(out / f"{name}.{fmt}", render(result.brief, fmt))
    result = daily(files, day=date(2025, 12, 1))
    for fmt in FORMATS:
        write(out / f"daily.{fmt}", render(result.daily, fmt))
    print(f"{len(files)} articles + 1 daily -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
