"""Which articles the daily calls one story: rules measured on pairs people judged.

    python bench/cluster_data.py ...     # first: bench/out/cluster-data/*.jsonl
    python bench/cluster.py [--heldout] [--corpus DIR]

Data (``bench/cluster_data.py``): English pairs of SemEval-2022 Task 8, "same" (mean Overall
rating <= 1.5), "different" (>= 2.5), "unsure" (between; reported, not scored). All the
articles of a split are treated as one day (the batch IDF is over them, ~300 articles).

1. Candidate rules, pair by pair (no chaining): recall on "same", false merges on
   "different" (count and rate), precision.
2. ``briefer.daily.cluster`` itself over the whole split as one day: a pair counts as merged
   when both articles end up in one story (chains through third articles included).
3. The shared corpus: each folder of ``clusters/`` must be one story, and no two of the 39
   unrelated articles of ``dev/``, ``frank-dev/``, ``html/``, ``seed/`` (741 pairs) may be
   linked, by each candidate rule and by ``cluster`` itself.

``--heldout`` reads the held-out split instead of the tuning one: run it once, after choosing.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import SHARED_CORPUS, save, table
from cluster_data import load
from story import articles_of

from briefer import daily as D
from briefer.engines.ranking import cosine, tfidf
from briefer.model import Article
from briefer.text import terms

BACKGROUND = ("cnn-val-heldout", "cnndm-train-sample", "frank-heldout")
COMMON_TERM = 0.05


@functools.cache
def background_df() -> tuple[int, dict[str, int]]:
    """Document frequencies of terms over the 1,313 CNN/DailyMail articles that
    ``bench/bottomline_data.py`` writes: news at large, not the day."""
    texts = []
    for name in BACKGROUND:
        path = Path(__file__).resolve().parent / "out" / "bottomline-data" / f"{name}.jsonl"
        if not path.exists():
            raise SystemExit(f"{path} is missing: run python bench/bottomline_data.py first")
        texts += [json.loads(line)["article"] for line in path.read_text().splitlines()
                  if line.strip()]
    return len(texts), dict(Counter(t for text in texts for t in set(terms(text))))


def mixed_tfidf(texts: list[str]) -> list[dict[str, float]]:
    """TF-IDF with the day's document counts plus the background's."""
    extra_n, extra_df = background_df()
    counts = [Counter(terms(text)) for text in texts]
    df = Counter(t for c in counts for t in c)
    n = len(texts) + extra_n
    out = []
    for c in counts:
        vec = {t: (1 + math.log(tf)) * math.log(1 + n / (df[t] + extra_df.get(t, 0)))
               for t, tf in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def phrases(text: str) -> set[tuple[str, str]]:
    """Adjacent content terms ("unemploy rate") of which one at least is not common news
    vocabulary (held by under ``COMMON_TERM`` of the background articles)."""
    n, df = background_df()
    words = terms(text)
    return {(a, b) for a, b in itertools.pairwise(words)
            if a != b and min(df.get(a, 0), df.get(b, 0)) < COMMON_TERM * n}


class Day:
    """Pair features of a batch of articles, computed the ways the candidates need."""

    def __init__(self, articles: list[Article]) -> None:
        texts = [f"{a.title or ''}\n{a.text}" for a in articles]
        self.index = {a.id: i for i, a in enumerate(articles)}
        self.batch = tfidf(texts)
        self.mixed = mixed_tfidf(texts)
        self.names = [D._names(a) for a in articles]
        self.pairs = [phrases(t) for t in texts]

    def features(self, a: str, b: str) -> dict[str, float]:
        i, j = self.index[a], self.index[b]
        return {"batch": cosine(self.batch[i], self.batch[j]),
                "mixed": cosine(self.mixed[i], self.mixed[j]),
                "names": len(self.names[i] & self.names[j]),
                "phrases": len(self.pairs[i] & self.pairs[j])}


Rule = Callable[[dict[str, float]], bool]
RULES: dict[str, Rule] = {
    "current: batch>=0.22, names>=2": lambda f: f["batch"] >= 0.22 and f["names"] >= 2,
    # what the jobs preview + report pair of the shared corpus needs to become one story
    "mixed>=0.16, names>=1": lambda f: f["mixed"] >= 0.16 and f["names"] >= 1,
    "mixed>=0.16, names>=1, phrases>=1": (
        lambda f: f["mixed"] >= 0.16 and f["names"] >= 1 and f["phrases"] >= 1),
    "batch>=0.10, names>=1": lambda f: f["batch"] >= 0.10 and f["names"] >= 1,
}
for t in (0.18, 0.20, 0.22, 0.25, 0.28, 0.30):
    RULES[f"mixed>={t:.2f}, names>=2"] = (
        lambda f, t=t: f["mixed"] >= t and f["names"] >= 2)
for t in (0.30, 0.35, 0.40):
    RULES[f"mixed>=0.22 & names>=2, or mixed>={t:.2f} & names>=1"] = (
        lambda f, t=t: (f["mixed"] >= 0.22 and f["names"] >= 2)
        or (f["mixed"] >= t and f["names"] >= 1))
for t, k in ((0.15, 2), (0.15, 3), (0.12, 3), (0.10, 4)):
    RULES[f"mixed>=0.22 & names>=2, or mixed>={t:.2f} & phrases>={k}"] = (
        lambda f, t=t, k=k: (f["mixed"] >= 0.22 and f["names"] >= 2)
        or (f["mixed"] >= t and f["phrases"] >= k))


def _pair_articles(rows: list[dict]) -> tuple[list[Article], list[tuple[str, str, str]]]:
    seen: dict[str, Article] = {}
    labelled = []
    for r in rows:
        for key, text in ((r["id1"], r["text1"]), (r["id2"], r["text2"])):
            seen.setdefault(key, Article(id=key, text=text, path_or_url=key))
        if r["id1"] != r["id2"]:
            labelled.append((r["id1"], r["id2"], r["label"]))
    return list(seen.values()), labelled


def scores(merged: list[bool], labels: list[str]) -> list[object]:
    same = [m for m, lab in zip(merged, labels, strict=True) if lab == "same"]
    diff = [m for m, lab in zip(merged, labels, strict=True) if lab == "different"]
    unsure = [m for m, lab in zip(merged, labels, strict=True) if lab == "unsure"]
    tp, fp = sum(same), sum(diff)
    return [f"{tp}/{len(same)} ({tp / len(same):.2f})", f"{fp}/{len(diff)} ({fp / len(diff):.3f})",
            f"{tp / (tp + fp):.3f}" if tp + fp else "-", f"{sum(unsure)}/{len(unsure)}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    args = parser.parse_args()
    from briefer.ingest import load as ingest

    split = "heldout" if args.heldout else "tuning"
    articles, labelled = _pair_articles(load(split))
    day = Day(articles)
    feats = [day.features(a, b) for a, b, _ in labelled]
    labels = [lab for _, _, lab in labelled]

    corpus_ok = (args.corpus / "clusters").is_dir()
    clusters, noise = [], None
    if corpus_ok:
        for folder in sorted(p for p in (args.corpus / "clusters").iterdir() if p.is_dir()):
            arts = ingest(articles_of(folder)).articles
            cday = Day(arts)
            clusters.append((folder.name, arts, [cday.features(a.id, b.id) for a, b in
                                                 itertools.combinations(arts, 2)]))
        noise_arts = ingest([p for sub in ("dev", "frank-dev", "html", "seed")
                             for p in articles_of(args.corpus / sub)]).articles
        nday = Day(noise_arts)
        noise = [nday.features(a.id, b.id) for a, b in itertools.combinations(noise_arts, 2)]
        for name, _, fs in clusters:
            print(f"{name}: " + "; ".join(
                f"batch {f['batch']:.3f} mixed {f['mixed']:.3f} names {f['names']} "
                f"phrases {f['phrases']}" for f in fs))
        top = sorted(noise, key=lambda f: -f["mixed"])[:3]
        print("noise, highest mixed cosines: " + "; ".join(
            f"{f['mixed']:.3f} (names {f['names']}, phrases {f['phrases']})" for f in top))

    rows = []
    for name, rule in RULES.items():
        row = [name, *scores([rule(f) for f in feats], labels)]
        if corpus_ok and noise is not None:
            row += [sum(map(rule, noise)),
                    " ".join("1" if all(map(rule, fs)) else "2+" for _, _, fs in clusters)]
        rows.append(row)
    header = ["rule (pair by pair)", "same merged", "different merged", "precision",
              "unsure merged"] + (["noise links /741", "clusters"] if corpus_ok else [])
    print(f"\n{split}: {len(labelled)} pairs, {len(articles)} articles as one day\n")
    print(table(rows, header))

    groups = D.cluster(articles)
    story = {a.id: k for k, g in enumerate(groups) for a in g}
    merged = [story[a] == story[b] for a, b, _ in labelled]
    shipped = ["briefer.daily.cluster (one day)", *scores(merged, labels)]
    if corpus_ok:
        noise_groups = D.cluster(noise_arts)
        shipped += [sum(len(g) * (len(g) - 1) // 2 for g in noise_groups),
                    " ".join(str(len(D.cluster(arts))) for _, arts, _ in clusters)]
    print()
    print(table([shipped], header[:1] + header[1:]))
    save(f"cluster-{split}", {"rules": rows, "shipped": shipped, "pairs": len(labelled)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
