"""How well ingest finds the main text of real HTML pages (trafilatura underneath).

    python bench/html_extraction.py [FOLDER]     (default: ../shared/corpus/html)

For each NAME.html with NAME.expected.txt beside it: word-level precision, recall and F1
of briefer's article text against the expected main text, and the time to extract.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, save, table

from briefer.ingest import read_article


def prf(got: str, want: str) -> tuple[float, float, float]:
    g, w = Counter(got.lower().split()), Counter(want.lower().split())
    overlap = sum((g & w).values())
    p = overlap / max(1, sum(g.values()))
    r = overlap / max(1, sum(w.values()))
    return p, r, 2 * p * r / max(1e-9, p + r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=SHARED_CORPUS / "html")
    args = parser.parse_args()
    rows, results = [], []
    for page in sorted(args.folder.glob("*.html")):
        expected = page.with_name(page.name.replace(".html", ".expected.txt"))
        if not expected.exists():
            continue
        start = time.perf_counter()
        article = read_article(page.read_bytes(), str(page))
        elapsed = time.perf_counter() - start
        p, r, f = prf(article.text, expected.read_text(encoding="utf-8"))
        results.append({"page": page.name, "precision": p, "recall": r, "f1": f,
                        "seconds": elapsed})
        rows.append([page.name[:45], f"{p:.3f}", f"{r:.3f}", f"{f:.3f}",
                     f"{elapsed * 1000:.0f}"])
    if not results:
        raise SystemExit(f"no NAME.html + NAME.expected.txt pairs in {args.folder}")
    print(table(rows, ["page", "precision", "recall", "F1", "ms"]))
    mean_f1 = sum(r["f1"] for r in results) / len(results)
    print(f"\n{len(results)} pages, mean word F1 {mean_f1:.3f}")
    print("saved", save("html_extraction", {"mean_f1": mean_f1, "pages": results}))


if __name__ == "__main__":
    main()
