"""CLI start-up and a whole extractive brief, each as a whole process (median of N runs).

    python bench/startup.py [--runs 15]

Targets (issue 2): `briefer --help` and `--version` under 0.25 s; `briefer brief` of the
example article under 0.6 s. `llm --help` is timed beside them when installed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, save, summary, table, time_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "briefer")
    example = str(ROOT / "examples" / "blinken-wang.txt")
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "briefer --help": [exe, "--help"],
        "briefer --version": [exe, "--version"],
        "briefer brief --help": [exe, "brief", "--help"],
        "briefer brief example (md)": [exe, "brief", example],
        "briefer brief example (json)": [exe, "brief", example, "-f", "json"],
    }
    llm = shutil.which("llm")
    if llm:
        cases["llm --help (reference)"] = [llm, "--help"]
    results = {name: summary(time_command(argv, args.runs)) for name, argv in cases.items()}
    rows = [[name, f"{r['median']:.3f}", f"{r['min']:.3f}", f"{r['max']:.3f}"]
            for name, r in results.items()]
    print(table(rows, ["command", "median s", "min s", "max s"]))
    print("saved", save("startup", {"runs": args.runs, "results": results}))


if __name__ == "__main__":
    main()
