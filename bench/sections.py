"""The whole offline engine's sections on the validation articles, scored by GUIDE.md's rule.

    python scripts/train-sections --dev-out /tmp/sections-dev.json   # weights without them
    python bench/sections.py /tmp/sections-dev.json [CORPUS]        # CORPUS: ../shared/corpus
    python bench/sections.py --cv [CORPUS]     # 5 folds over the training articles (sklearn)
    python bench/sections.py --parties [CORPUS]  # attribution alone, on the training gold
    ... [--extra DIR ...]   # further annotated articles (scripts/train-sections --extra):
                            # ~20% of them join validation, the rest cross-validation

The classifier's weights must come from a model trained WITHOUT the validation articles
(``--dev-out``): the shipped ``briefer/data/sections.json`` has seen them. The engine adds its
own rules on top of the classifier (red lines as the guide defines them, dated next steps,
parties, near-repeats), which is what this measures and ``train-sections`` does not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import SHARED_CORPUS

# The same 15 articles as VALIDATION in scripts/train-sections (and, with --extra, the
# extra articles its ``extra_validation`` picks).
VALIDATION = [
    "annotations/clusters-ukraine-june-deadline-2026-02-001",
    "annotations/clusters-ukraine-june-deadline-2026-02-002",
    "annotations/dev-008-sunderland-moyes-column-control",
    "annotations/dev-010-ignatieff-letter-on-politics",
    "train/007-uk-advisers-train-ukraine-troops", "train/009-syria-geneva-talks-opposition-boycott",
    "train/010-cameron-eu-reform-all-night-talks", "train/016-eu-turkey-migrant-deal-summit",
    "train/032-iran-rejects-direct-talks-trump-letter-ap", "train/042-eu-australia-trade-deal",
    "train/045-blurred-lines-copyright-verdict", "train/046-scott-kelly-year-in-space-launch",
    "train/050-apple-encryption-ny-judge-ruling", "train/055-neanderthal-milk-tooth-italy",
    "train/061-meta-new-mexico-jury-verdict",
]


def _trainer() -> Any:
    """scripts/train-sections as a module (its name has a dash)."""
    import importlib.machinery
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "train-sections"
    loader = importlib.machinery.SourceFileLoader("train_sections", str(path))
    spec = importlib.util.spec_from_loader("train_sections", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_sections"] = module  # its dataclasses look themselves up there
    loader.exec_module(module)
    return module


def cross_validated(corpus: Path, extras: list[Path]) -> int:
    """The whole engine, 5 folds over the training articles (validation ones left out):
    each fold's weights, thresholds and limits come from the other four folds only
    (thresholds by an inner cross-validation), then the engine briefs the held-out fold."""
    import tempfile

    import briefer.engines.learned as learned
    from briefer import gold

    ts = _trainer()
    shipped = json.loads(learned.WEIGHTS.read_text(encoding="utf-8"))
    link, c = shipped.get("link", "softmax"), float(shipped.get("regularisation", 0.05))
    weight = float(shipped.get("class_weight", 1.0))
    min_docs = int(shipped.get("min_docs", 3))
    docs = [d for d in ts.load(corpus, extras) if not ts.is_validation(d.name)]
    ranked = sorted(docs, key=lambda d: ts.fold_key(d.name))
    results: dict[str, dict[str, dict[str, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(ts.FOLDS):
            test = [d for n, d in enumerate(ranked) if n % ts.FOLDS == k]
            train = [d for n, d in enumerate(ranked) if n % ts.FOLDS != k]
            thr, lim, gates = ts.tune(train, ts.cross_validate(train, c, link, weight, min_docs))
            model = ts.fit(train, c, link, min_docs, weight=weight)
            model.update(thresholds=thr, limits=lim, rules=gates,
                         feature_hash=learned.feature_spec_hash())
            weights = Path(tmp) / f"fold{k}.json"
            weights.write_text(json.dumps(model), encoding="utf-8")
            scores = _engine_scores(weights, [(d.article, d.gold) for d in test])
            results.update(zip([d.name for d in test], scores, strict=True))
            print(f"fold {k + 1}/{ts.FOLDS}: {len(test)} articles", file=sys.stderr)
    print(f"{len(results)} training articles, 5-fold cross-validation of the whole engine "
          f"({link}, C={c}, class weight {weight}, min_docs {min_docs})")
    print(gold.format_figures(gold.aggregate(list(results.values()))))
    own = [r for name, r in results.items() if not name.startswith("extra/")]
    if len(own) < len(results):
        print(f"\nthe {len(own)} corpus articles alone (trained with the extra ones too)")
        print(gold.format_figures(gold.aggregate(own)))
        print(f"\nthe {len(results) - len(own)} extra articles alone")
        print(gold.format_figures(gold.aggregate(
            [r for name, r in results.items() if name.startswith("extra/")])))
    return 0


def _engine_scores(weights: Path, pairs: list[tuple[Any, dict[str, Any]]]
                   ) -> list[dict[str, dict[str, int]]]:
    import briefer.engines.learned as learned
    from briefer import gold
    from briefer.engines.extractive import ExtractiveEngine

    saved = learned.WEIGHTS
    learned.WEIGHTS = weights
    learned.model.cache_clear()
    try:
        return [gold.score(ExtractiveEngine().condense(article), annotation, article.text)
                for article, annotation in pairs]
    finally:
        learned.WEIGHTS = saved
        learned.model.cache_clear()


def parties_on_gold(corpus: Path) -> int:
    """Attribution alone: for every gold position and red line of the training articles,
    the party the engine gives the sentence holding it (whatever section the classifier
    would choose: every sentence is made an item), compared by GUIDE's party rule."""
    import briefer.engines.learned as learned
    from briefer import gold
    from briefer.engines.extractive import ExtractiveEngine
    from briefer.ingest import read_article

    saved = learned.choose
    learned.choose = lambda scores, *a, **k: ["positions"] * len(scores)  # type: ignore
    ok = total = 0
    try:
        for path in sorted(corpus.glob("annotations/*.gold.json")) + sorted(
                corpus.glob("train/*.gold.json")):
            if f"{path.parent.name}/{path.name[: -len('.gold.json')]}" in VALIDATION:
                continue
            annotation = json.loads(path.read_text(encoding="utf-8"))
            source = corpus / annotation["article"]
            article = read_article(source.read_bytes(), str(source))
            brief = ExtractiveEngine().condense(article)
            folded = gold.fold(article.text)
            items = [(gold.find(folded, it.evidence[0].quote), it.party)
                     for sec in ("positions", "red_lines") for it in getattr(brief, sec)]
            for item in annotation["items"]:
                span = gold.find(folded, item["quote"])
                if item["section"] not in ("positions", "red_lines") or span is None:
                    continue
                found = [party for s, party in items if s and gold.overlap(span, s)]
                if found:
                    total += 1
                    ok += gold.same_party(item["party"], found[0])
    finally:
        learned.choose = saved  # type: ignore[assignment]
    print(f"party agreement on the gold positions and red lines of the training articles: "
          f"{ok}/{total} = {ok / max(1, total):.3f}")
    return 0


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("weights", nargs="?", help="a model trained without the validation "
                    "articles (scripts/train-sections --dev-out)")
    ap.add_argument("corpus", nargs="?", default=None)
    ap.add_argument("--cv", action="store_true", help="cross-validate the whole engine")
    ap.add_argument("--parties", action="store_true", help="attribution alone")
    ap.add_argument("--extra", action="append", default=[], metavar="DIR",
                    help="a folder of further annotated articles (repeatable)")
    args = ap.parse_args(argv)
    extras = [Path(p) for p in args.extra]
    if args.cv or args.parties:
        # the one positional is then the corpus
        corpus = Path(args.weights or args.corpus or SHARED_CORPUS)
        if not corpus.is_dir():
            print(f"need the corpus ({corpus})")
            return 2
        return cross_validated(corpus, extras) if args.cv else parties_on_gold(corpus)
    if not args.weights:
        ap.print_help()
        return 0
    weights = Path(args.weights)
    corpus = Path(args.corpus) if args.corpus else SHARED_CORPUS
    if not weights.is_file() or not corpus.is_dir():
        print(f"need a weights file ({weights}) and the corpus ({corpus})")
        return 2
    from briefer import gold
    from briefer.ingest import read_article

    ts = _trainer()
    pairs, names = [], []
    for name, gold_path, path in ts.gold_files(corpus, extras):
        if ts.is_validation(name):
            names.append(name)
            pairs.append((read_article(path.read_bytes(), str(path)),
                          json.loads(gold_path.read_text(encoding="utf-8"))))
    assert set(VALIDATION) <= set(names), "the corpus lacks validation articles"
    results = dict(zip(names, _engine_scores(weights, pairs), strict=True))
    print(f"{len(results)} validation articles, engine with {weights}")
    print(gold.format_figures(gold.aggregate(list(results.values()))))
    extra = [r for name, r in results.items() if name.startswith("extra/")]
    if extra:
        print(f"\nthe {len(results) - len(extra)} corpus validation articles alone")
        print(gold.format_figures(gold.aggregate(
            [r for name, r in results.items() if not name.startswith("extra/")])))
        print(f"\nthe {len(extra)} extra validation articles alone")
        print(gold.format_figures(gold.aggregate(extra)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
