"""Pages of the Word memos in LibreOffice: the daily memo of the dev clips and the single
memo of the example, at the default layout (issue 13: a daily of 13 clips in at most 10
pages, about 6-8).

    python bench/pages.py [--corpus DIR] [--keep DIR] [-- DAILY OPTIONS...]

Needs ``soffice`` and ``pdfinfo`` (libreoffice-writer-nogui, poppler-utils). The daily takes
the articles of ``DIR/dev`` (not *.ref.txt, *.src.txt, *.dek.txt) plus, when present, the
seed article and two HTML pages, to make 13 clips; a second daily takes the articles of
``DIR/clusters`` (several reports of one event each). Options after ``--`` go to
``briefer daily`` (e.g. ``-- --max-items 4``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED_CORPUS, save, table

EXTRA = ("seed/blinken-wang.txt", "html/001-pew-gas-prices-consumer-sentiment.html",
         "html/002-nasa-omnibus-budget-2015.html")


def clips(corpus: Path) -> list[Path]:
    dev = sorted(p for p in (corpus / "dev").glob("*.txt")
                 if not re.search(r"\.(ref|src|dek)\.txt$", p.name))
    return dev + [corpus / e for e in EXTRA if (corpus / e).is_file()][: max(0, 13 - len(dev))]


def cluster_clips(corpus: Path) -> list[Path]:
    return sorted((corpus / "clusters").glob("*/[0-9]*.txt"))


def pages(docx: Path, work: Path) -> int:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo",
                    "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                   check=True, capture_output=True, timeout=300)
    info = subprocess.run(["pdfinfo", str(work / (docx.stem + ".pdf"))], capture_output=True,
                          text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--keep", type=Path, help="write the memos and PDFs here")
    parser.add_argument("daily_options", nargs="*", help="after --: options for daily")
    args = parser.parse_args()
    if not shutil.which("soffice") or not shutil.which("pdfinfo"):
        print("needs soffice and pdfinfo: apt-get install libreoffice-writer-nogui "
              "poppler-utils", file=sys.stderr)
        return 2
    inputs = clips(args.corpus)
    if not inputs:
        print(f"no clips under {args.corpus}/dev", file=sys.stderr)
        return 2
    exe = [sys.executable, "-m", "briefer"]
    work = Path(tempfile.mkdtemp(prefix="briefer-pages-"))
    out = args.keep or work
    out.mkdir(parents=True, exist_ok=True)
    memos = {
        f"daily, {len(inputs)} clips": [*exe, "daily", *map(str, inputs), "-q", "--no-cache",
                                        "-f", "docx", "-o", str(out / "daily.docx"),
                                        *args.daily_options],
        # the corpus clusters: several reports of one event, merged into one story each
        "daily, the clusters": [*exe, "daily", *map(str, cluster_clips(args.corpus)), "-q",
                                "--no-cache", "-f", "docx", "-o", str(out / "clusters.docx"),
                                *args.daily_options],
        "example brief": [*exe, "brief", str(ROOT / "examples" / "blinken-wang.txt"),
                          "-f", "docx", "-o", str(out / "brief.docx")],
    }
    rows, results = [], {}
    for label, argv in memos.items():
        subprocess.run(argv, check=True, capture_output=True)
        docx = Path(argv[argv.index("-o") + 1])
        n = pages(docx, out)
        results[label] = n
        rows.append([label, str(n)])
    print(table(rows, ["memo", "pages"]))
    print("saved", save("pages", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
