"""Held-out CNN/DailyMail articles with human highlights for ``bench/bottomline.py``.

Two public sets, neither used to choose the bottom line's parameters:

* ``frank-heldout``: the CNN/DailyMail *test* articles of the FRANK benchmark
  (github.com/artidoro/frank, MIT, commit 5860706, ``data/articles-wbertscore-json/``), minus
  the 25 that ``../shared/corpus/frank-dev`` holds (tuning data). Mostly Daily Mail.
* ``cnn-val-heldout``: 1,000 CNN/DailyMail *validation* articles
  (github.com/hillaryke/rag-optimization-cnn-dailymail, MIT, commit 03d0544,
  ``data/collection/cnn_dailymail_validation_subset.csv``), minus the 12 that
  ``../shared/corpus/train`` holds (tuning data). Mostly CNN.

One more set is *tuning* data, beside ``../shared/corpus/frank-dev`` and the ``train``
references (37 articles are too few to choose between two and three sentences):

* ``cnndm-train-sample``: 100 CNN/DailyMail *training* articles
  (github.com/EileenFeng/Text-Summarization-NLP, commit 5bfee8b, ``data/train_sample.zip``).

The article texts belong to their publishers, so they are not in the repository: this
script writes them to ``bench/out/bottomline-data/*.jsonl`` (``id``, ``article``,
``reference``), read from a local clone (``--frank-git``/``--cnn-git``: a git directory) or
downloaded from GitHub at the pinned commits. The ids left out are in
``bench/data/bottomline-tuning-ids.txt``.

    python bench/bottomline_data.py [--frank-git DIR] [--cnn-git DIR] [--train-git DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
from pathlib import Path

from _common import pinned_file, read_jsonl

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "bottomline-data"
TUNING_IDS = ROOT / "bench" / "data" / "bottomline-tuning-ids.txt"

FRANK = ("artidoro/frank", "5860706bda0641136d10d27ead52c5f6ae79630e",
         "data/articles-wbertscore-json")
# the human highlights, as each system's file copies them
REFERENCE_KEYS = ("bart_reference", "bert_sum_reference", "bus_reference", "pgn_reference",
                  "s2s_reference")
CNN = ("hillaryke/rag-optimization-cnn-dailymail", "03d05440507618d6bec073b46543696e5a47df20",
       "data/collection/cnn_dailymail_validation_subset.csv")
TRAIN = ("EileenFeng/Text-Summarization-NLP", "5bfee8b9ad6228e1c4d02f7be1042a4276632417",
         "data/train_sample.zip")
TRAIN_SHA256 = "469ddab9a81e8f84b201533271e145e367ff979e17bb740bc0ef939307323dee"
CNN_SHA256 = "fa0a78975e902c7e5bd59506bc5508f848add73bff87fef68670e934a742de67"


def tuning_ids() -> set[str]:
    lines = TUNING_IDS.read_text().splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


def _git_list(git_dir: Path, commit: str, folder: str) -> list[str]:
    out = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "--name-only",
                          f"{commit}:{folder}"], check=True, capture_output=True, text=True)
    return [f"{folder}/{name}" for name in out.stdout.split()]


def _download_list(repo: str, commit: str, folder: str) -> list[str]:
    import httpx

    url = f"https://api.github.com/repos/{repo}/git/trees/{commit}?recursive=1"
    response = httpx.get(url, timeout=60)
    response.raise_for_status()
    return [item["path"] for item in response.json()["tree"]
            if item["path"].startswith(folder + "/") and item["path"].endswith(".json")]


def frank(git_dir: Path | None) -> list[dict[str, str]]:
    repo, commit, folder = FRANK
    paths = _git_list(git_dir, commit, folder) if git_dir else _download_list(*FRANK)
    skip = tuning_ids()
    rows = []
    for path in sorted(paths):
        item = json.loads(pinned_file(repo, commit, path, git_dir))
        reference = next((item[k] for k in REFERENCE_KEYS if item.get(k)), None)
        if item.get("hash") in skip or not reference or not item.get("article"):
            continue
        rows.append({"id": item["hash"], "article": item["article"], "reference": reference})
    return rows


def cnn(git_dir: Path | None) -> list[dict[str, str]]:
    data = pinned_file(*CNN, git_dir, CNN_SHA256)
    csv.field_size_limit(10**8)
    skip = tuning_ids()
    return [{"id": row["id"], "article": row["article"], "reference": row["highlights"]}
            for row in csv.DictReader(io.StringIO(data.decode("utf-8")))
            if row["id"] not in skip]


def train_sample(git_dir: Path | None) -> list[dict[str, str]]:
    import zipfile

    data = pinned_file(*TRAIN, git_dir, TRAIN_SHA256)
    csv.field_size_limit(10**8)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("train_sample.csv").decode("utf-8")
    return [{"id": row["id"], "article": row["article"], "reference": row["highlights"]}
            for row in csv.DictReader(io.StringIO(text))]


def load(name: str) -> list[dict[str, str]]:
    return read_jsonl(CACHE / f"{name}.jsonl", "bottomline_data.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frank-git", type=Path, help="git directory of artidoro/frank")
    parser.add_argument("--cnn-git", type=Path,
                        help="git directory of hillaryke/rag-optimization-cnn-dailymail")
    parser.add_argument("--train-git", type=Path,
                        help="git directory of EileenFeng/Text-Summarization-NLP")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    for name, rows in (("frank-heldout", frank(args.frank_git)),
                       ("cnn-val-heldout", cnn(args.cnn_git)),
                       ("cnndm-train-sample", train_sample(args.train_git))):
        (CACHE / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        print(f"{name}: {len(rows)} articles")


if __name__ == "__main__":
    main()
