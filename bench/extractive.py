"""Extractive brief per article over a corpus folder: time and what was found.

    python bench/extractive.py [FOLDER ...]      (default: ../shared/corpus if present)

Times ingest + condense + verify in-process for every article file (reference summaries,
source notes and system outputs beside the articles are skipped), and reports items per
section and the grounding rate.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, save, summary, table

from briefer.engines import get_engine
from briefer.errors import BrieferError
from briefer.ingest import ARTICLE_SUFFIXES, read_article
from briefer.verify import verify

SKIP = ("ref.txt", ".src.txt", ".dek.txt", ".expected.txt", "SOURCES.txt", "README.md")


def articles(folders: list[Path]) -> list[Path]:
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in ARTICLE_SUFFIXES and not path.name.endswith(SKIP):
                found.append(path)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args()
    folders = args.folders or [SHARED_CORPUS]
    paths = articles([f for f in folders if f.exists()])
    if not paths:
        raise SystemExit(f"no articles under {', '.join(map(str, folders))}")
    engine = get_engine("extractive")
    times, rows, per = [], [], []
    for path in paths:
        start = time.perf_counter()
        try:
            article = read_article(path.read_bytes(), str(path))
            brief = engine.condense(article)
            verify(brief, {article.id: article})
        except BrieferError as exc:
            rows.append([path.name[:40], "-", "-", "-", "-", "-", f"error: {exc}"[:40]])
            continue
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        counts = [len(brief.key_issues), len(brief.positions), len(brief.red_lines),
                  len(brief.next_steps)]
        per.append({"file": str(path), "seconds": elapsed, "chars": len(article.text),
                    "counts": counts, "grounding": brief.meta.grounding.rate})
        rows.append([path.name[:40], f"{len(article.text)}", f"{elapsed * 1000:.1f}",
                     *map(str, counts[1:]), f"{brief.meta.grounding.rate:.2f}"])
    print(table(rows, ["article", "chars", "ms", "positions", "red lines", "next steps",
                       "grounded"]))
    stats = summary(times)
    print(f"\n{len(times)} articles: median {stats['median'] * 1000:.1f} ms, "
          f"p90 {stats['p90'] * 1000:.1f} ms, max {stats['max'] * 1000:.1f} ms per article")
    print("saved", save("extractive", {"stats": stats, "articles": per}))


if __name__ == "__main__":
    main()
