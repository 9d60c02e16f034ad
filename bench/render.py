"""Render time of each output format, in-process (the brief itself is made once first).

    python bench/render.py [--corpus DIR] [--runs 5]

Targets (issue 5): DOCX of the example brief under 0.5 s; a daily brief of 40+ articles
under 2 s. The first DOCX render pays docxtpl's import; it is reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED_CORPUS, save, table
from daily import EXCLUDES

from briefer.daily import daily
from briefer.ingest import Filters
from briefer.pipeline import brief
from briefer.render import render

MEMO = {"to": "Deputy Secretary", "from": "Policy Planning",
        "classification": "UNCLASSIFIED // FOR OFFICIAL USE"}


def timed(fn, runs: int) -> tuple[float, float]:
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seed = brief([ROOT / "examples" / "blinken-wang.txt"]).brief
    day = daily([args.corpus], filters=Filters(exclude=tuple(EXCLUDES))).daily
    rows, results = [], {}
    for label, doc in (("example brief", seed),
                       (f"daily, {len(day.sources)} articles", day)):
        for fmt in ("md", "html", "docx"):
            first, median = timed(lambda d=doc, f=fmt: render(d, f, memo=MEMO), args.runs)
            results[f"{label} {fmt}"] = {"first": first, "median": median}
            rows.append([label, fmt, f"{first:.3f}", f"{median:.3f}"])
    print(table(rows, ["document", "format", "first s", "median s"]))
    print("saved", save("render", results))


if __name__ == "__main__":
    main()
