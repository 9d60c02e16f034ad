"""Pairs of news articles judged same-story or not by people, for ``bench/cluster.py``.

Source: the SemEval-2022 Task 8 "Multilingual News Article Similarity" pairs (Chen et al.,
2022): annotators rated how similar two articles' *stories* are, overall, from 1 (very
similar: the same event) to 4 (very dissimilar). The pairs were sampled among articles of
the same weeks that share topics or entities, so a dissimilar pair is a hard negative
(two Covid stories, two stories about one politician), not a random one.

The copy used holds 1,283 + 1,283 pairs with the crawled texts (title first, then the text,
often cut at a few hundred words): github.com/GeekDream-x/SemEval2022-Task8-TonyX (the HFL
team's system, ranked 1st), commit 4281dc9, ``data/training_set.csv`` and
``data/testing_set.csv``. Only English-English pairs are kept (161 + 193): the clustering
rule reads capitalised names, which mean something else in German.

* ``tuning``: the pairs of ``training_set.csv``, to choose the rule on;
* ``heldout``: the pairs of ``testing_set.csv``, looked at once, after choosing.

Labels: ``same`` when the mean Overall rating is <= 1.5, ``different`` when >= 2.5, else
``unsure`` ("somewhat similar": reported, not scored).

The texts belong to their publishers, so they are not in the repository: this script writes
them to ``bench/out/cluster-data/{tuning,heldout}.jsonl``, read from a local clone
(``--semeval-git``: a git directory, e.g. made by ``git clone --bare``) or downloaded from
GitHub at the pinned commit.

    python bench/cluster_data.py [--semeval-git DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

from _common import pinned_file, read_jsonl

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "cluster-data"

REPO = "GeekDream-x/SemEval2022-Task8-TonyX"
COMMIT = "4281dc9eda053d6e1fc55185fca3d559d1cd294c"
FILES = {
    "tuning": ("data/training_set.csv",
               "24bcc7f1db6b17640c4a8c5312ff1e3bc2eebc96c8120701f39db40c02a9f138"),
    "heldout": ("data/testing_set.csv",
                "4e0f0882871e45c288976130e49036da564befc22a3376477f23ef031b1f8bc6"),
}
SAME_AT_MOST = 1.5
DIFFERENT_AT_LEAST = 2.5


def label(overall: float) -> str:
    if overall <= SAME_AT_MOST:
        return "same"
    if overall >= DIFFERENT_AT_LEAST:
        return "different"
    return "unsure"


def pairs(data: bytes) -> list[dict[str, object]]:
    csv.field_size_limit(10**8)
    rows = []
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
        if row["lang1"] != "en" or row["lang2"] != "en":
            continue
        id1, id2 = row["pair_id"].split("_")
        overall = float(row["Overall"])
        rows.append({"id": row["pair_id"], "id1": id1, "id2": id2, "text1": row["text1"],
                     "text2": row["text2"], "overall": overall, "label": label(overall)})
    return rows


def load(split: str) -> list[dict[str, object]]:
    return read_jsonl(CACHE / f"{split}.jsonl", "cluster_data.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--semeval-git", type=Path, help=f"git directory of {REPO}")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    for split, (path, digest) in FILES.items():
        data = pinned_file(REPO, COMMIT, path, args.semeval_git, digest)
        rows = pairs(data)
        out = CACHE / f"{split}.jsonl"
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        counts = {k: sum(1 for r in rows if r["label"] == k)
                  for k in ("same", "unsure", "different")}
        print(f"{out}: {len(rows)} pairs {counts}")


if __name__ == "__main__":
    main()
