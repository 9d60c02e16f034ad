"""Titles made from the lead, against the headlines their articles really had.

    python bench/titles.py [--corpus DIR] [--extra DIR ...] [--show]

When an input has no title (no front matter, no HTML title, no headline-like first line),
``briefer.titles.from_lead`` makes one from the lead. This bench takes articles that DO
have a real headline (a headline-like first line), hides it, makes a title from the rest and
scores it against the headline:

* ROUGE-1 and ROUGE-L F1 (stemmed) against the real headline;
* *verbless*: the title has no finite verb (a fragment: "The French prosecutor leading an
  investigation"); real headlines have one about 85% of the time, a lead's main clause always;
* *dangling*: it ends on a word a headline cannot end on ("... to agree");
* *pronoun*: it opens on a pronoun that needs an earlier sentence ("It will gather ...");
* words (the limit is ~12).

Sets: ``shared`` (``../shared/corpus/train`` and ``dev`` articles with a headline: the
rules may be tuned on them) and every ``--extra`` folder, each its own row (annotators'
recent articles, outside the repository: report, do not tune). Without references, the
checks alone run on the CNN/DailyMail articles of ``bench/out/bottomline-data`` (no
headline in the data: ``cnn`` and ``frank`` rows, first 300 of each).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, save, table

from briefer import titles
from briefer.ingest import read_article

SKIP = re.compile(r"\.(ref|src|dek|expected)\.txt$")
DATA = Path(__file__).resolve().parent / "out" / "bottomline-data"


def with_headline(folder: Path) -> list[tuple[str, str | None, str]]:
    """(name, headline, body) of the folder's articles that have a given title (front matter,
    HTML, a headline-like first line): the body is the text without it."""
    out: list[tuple[str, str | None, str]] = []
    for path in sorted(folder.glob("*")):
        if path.suffix not in (".txt", ".md", ".html") or SKIP.search(path.name) \
                or path.name in ("SOURCES.txt", "ref.txt"):
            continue
        article = read_article(path.read_bytes(), str(path))
        first, _, rest = article.text.partition("\n")
        if article.title and titles.clean(first) == article.title:
            out.append((path.stem, article.title, rest.strip()))  # a headline first line
        elif article.title and not article.title_derived:
            out.append((path.stem, article.title, article.text))  # front matter, HTML
    return out


def checks(title: str) -> dict[str, bool]:
    words = title.split()
    return {
        "verbless": not titles._STRICT_VERB.search(title),
        "dangling": bool(words) and words[-1].lower().strip("“”\"'’,") in titles._DANGLING,
        "pronoun": bool(titles._PRONOUN_START.match(title)),
    }


def score(rows: list[tuple[str, str | None, str]], show: bool) -> dict[str, float]:
    scorer = None
    if any(ref for _, ref, _ in rows):
        from rouge_score import rouge_scorer

        scorer = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=True)
    r1, rl, words, flags = [], [], [], {"verbless": 0, "dangling": 0, "pronoun": 0}
    for name, ref, body in rows:
        made = titles.from_lead(body) or ""
        words.append(len(made.split()))
        for key, bad in checks(made).items():
            flags[key] += bad
        if scorer and ref:
            s = scorer.score(ref, made)
            r1.append(s["rouge1"].fmeasure)
            rl.append(s["rougeL"].fmeasure)
        if show:
            marks = ",".join(k for k, v in checks(made).items() if v)
            print(f"{name[:40]:40} | {made}" + (f"   [{marks}]" if marks else ""))
            if ref:
                print(f"{'':40} ~ {ref}")
    n = len(rows) or 1
    out = {"n": len(rows), "words": statistics.mean(words) if words else 0.0,
           **{k: v / n for k, v in flags.items()}}
    if r1:
        out |= {"rouge1": statistics.mean(r1), "rougeL": statistics.mean(rl)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--extra", type=Path, nargs="*", default=[])
    parser.add_argument("--show", action="store_true", help="print every title")
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    sets: dict[str, list[tuple[str, str | None, str]]] = {}
    shared = [row for sub in ("train", "dev") for row in with_headline(args.corpus / sub)]
    sets["shared"] = shared
    for folder in args.extra:
        sets[folder.name] = with_headline(folder)
    for name, file in (("cnn", "cnn-val-heldout.jsonl"), ("frank", "frank-heldout.jsonl")):
        path = DATA / file
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()[: args.limit]
            sets[name] = [(json.loads(x)["id"], None, json.loads(x)["article"]) for x in lines]
    results = {}
    for name, rows in sets.items():
        if args.show:
            print(f"--- {name}")
        results[name] = score(rows, args.show)
    keys = ["n", "rouge1", "rougeL", "verbless", "dangling", "pronoun", "words"]
    print(table([[name] + [f"{r[k]:.3f}" if isinstance(r.get(k), float) else str(r.get(k, "-"))
                           for k in keys] for name, r in results.items()], ["set", *keys]))
    save("titles", {"sets": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
