"""The whole offline engine's sections on the validation articles, scored by GUIDE.md's rule.

    python scripts/train-sections --dev-out /tmp/sections-dev.json   # weights without them
    python bench/sections.py /tmp/sections-dev.json [CORPUS]        # CORPUS: ../shared/corpus

The classifier's weights must come from a model trained WITHOUT the validation articles
(``--dev-out``): the shipped ``briefer/data/sections.json`` has seen them. The engine adds its
own rules on top of the classifier (red lines as the guide defines them, dated next steps,
parties, near-repeats), which is what this measures and ``train-sections`` does not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import SHARED_CORPUS

# The same 15 articles as VALIDATION in scripts/train-sections.
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


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    weights = Path(argv[0])
    corpus = Path(argv[1]) if len(argv) > 1 else SHARED_CORPUS
    if not weights.is_file() or not corpus.is_dir():
        print(f"need a weights file ({weights}) and the corpus ({corpus})")
        return 2
    import briefer.engines.learned as learned
    from briefer import gold
    from briefer.engines.extractive import ExtractiveEngine
    from briefer.ingest import read_article

    learned.WEIGHTS = weights
    learned.model.cache_clear()
    results = []
    for name in VALIDATION:
        annotation = json.loads((corpus / f"{name}.gold.json").read_text(encoding="utf-8"))
        path = corpus / annotation["article"]
        article = read_article(path.read_bytes(), str(path))
        results.append(gold.score(ExtractiveEngine().condense(article), annotation,
                                  article.text))
    print(f"{len(results)} validation articles, engine with {weights}")
    print(gold.format_figures(gold.aggregate(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
