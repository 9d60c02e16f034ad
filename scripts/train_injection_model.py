"""Train the learned component of ``briefer.safety`` and write ``briefer/data/injection_model.bin``.

    python bench/build_injection_training.py ...   # first: bench/out/injection-train/*.jsonl
    python scripts/train_injection_model.py [--bits 18] [--C 0.5]

Needs scikit-learn and numpy (``pip install -e '.[train]'``); briefer itself does not. The
model is a logistic regression over :func:`briefer.safety.features` (hashed words, word
pairs and character 4-grams) of single sentences: every sentence of a positive string (three
words or more) and the whole string when it is short, against every sentence of the clean
training articles. Five folds grouped by string / article give out-of-fold probabilities
(``bench/out/injection-train/oof.jsonl``) from which the cut-offs in ``safety.py`` are chosen;
the written model is then fitted on everything. Takes a few seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer import safety  # noqa: E402
from briefer.text import normalize, segment  # noqa: E402

DATA = ROOT / "bench" / "out" / "injection-train"


def examples(rows: list[dict]) -> tuple[list[str], list[int], list[str]]:
    texts, labels, groups = [], [], []
    seen: set[str] = set()
    for n, row in enumerate(rows):
        text = normalize(row["text"])
        group = row.get("group") or f"row{n}"
        if row["label"] == 1:
            pieces = [s.text for s in segment(text) if len(s.text.split()) >= 3]
            if len(text) <= 400 and len(pieces) != 1:
                pieces.append(text)
        else:
            pieces = [text]
        for piece in pieces:
            if piece.lower() in seen:  # page furniture repeated across articles
                continue
            seen.add(piece.lower())
            texts.append(piece)
            labels.append(row["label"])
            groups.append(group)
    return texts, labels, groups


def cutoffs(texts: list[str], y: object, oof: object) -> None:
    """Out-of-fold detection and clean-sentence hits per pair of cut-offs, as the rules would
    combine them: strong alone, weak with at least 1.0 from the rules."""
    import numpy as np

    saved = safety.LEARNED_WEAK
    safety.LEARNED_WEAK = 1.0  # rules alone
    try:
        rules = np.array([safety.score_sentence(t)[0] for t in texts])
    finally:
        safety.LEARNED_WEAK = saved
    y, oof = np.asarray(y), np.asarray(oof)
    long = np.array([t.count(" ") >= 3 for t in texts])
    print("strong/weak: out-of-fold injection sentences reaching 2.0 | clean sentences reaching")
    for strong in (0.98, 0.99, 0.995, 0.998):
        for weak in (0.8, 0.9, 0.95):
            add = np.where(long & (oof >= strong), 2.0, np.where(long & (oof >= weak), 1.0, 0))
            hot = rules + add >= safety.THRESHOLD
            print(f"  {strong}/{weak}: {np.mean(hot[y == 1]):.1%} | {int(hot[y == 0].sum())} "
                  f"of {int((y == 0).sum())} (rules alone {np.mean(rules[y == 1] >= 2):.1%} | "
                  f"{int((rules[y == 0] >= 2).sum())})")


def main() -> None:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bits", type=int, default=18)
    parser.add_argument("--C", type=float, default=0.5)
    args = parser.parse_args()
    rows = [json.loads(line) for name in ("pos_train.jsonl", "neg_train.jsonl", "neg_news.jsonl")
            for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    texts, labels, groups = examples(rows)
    indptr, indices = [0], []
    for text in texts:
        indices += sorted(safety.features(text, args.bits))
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(texts), 1 << args.bits))
    y = np.array(labels)
    print(f"{len(texts)} sentences: {int(y.sum())} injection, {int((1 - y).sum())} clean")

    def model() -> LogisticRegression:
        return LogisticRegression(C=args.C, class_weight="balanced", max_iter=3000,
                                  solver="liblinear", random_state=0)

    oof = np.zeros(len(texts))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        fold = model().fit(x[train], y[train])
        oof[test] = fold.predict_proba(x[test])[:, 1]
    with (DATA / "oof.jsonl").open("w", encoding="utf-8") as fh:
        for text, label, group, p in zip(texts, labels, groups, oof, strict=True):
            fh.write(json.dumps({"text": text, "label": label, "group": group, "p": p}) + "\n")
    cutoffs(texts, y, oof)
    final = model().fit(x, y)
    w = final.coef_[0]
    scale = float(np.abs(w).max() / 127)
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    header = json.dumps({"bits": args.bits, "scale": scale, "bias": float(final.intercept_[0]),
                         "C": args.C, "sentences": len(texts), "positives": int(y.sum())})
    blob = zlib.compress(header.encode() + b"\n" + q.tobytes(), 9)
    safety.MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    safety.MODEL_PATH.write_bytes(blob)
    print(f"written: {safety.MODEL_PATH} ({len(blob) / 1024:.0f} KiB, "
          f"{int(np.count_nonzero(q))} non-zero weights)")


if __name__ == "__main__":
    main()
