"""The offline engine's bottom line against LEAD-3, with cross-validated parameters.

ROUGE-1/2/L F1 (``rouge-score``, stemming on, as ``briefer eval`` scores) of the extractive
engine's summary and of LEAD-3 (``briefer.evaluate.lead3``: an article's first three
sentences) against human highlights, and their lengths in words.

Protocol:

* **Tuning set** (137 articles): ``../shared/corpus/frank-dev`` (25 CNN/DailyMail test
  articles), the 12 ``../shared/corpus/train`` articles with highlights, and 100
  CNN/DailyMail training articles (``cnndm-train-sample``, see ``bench/bottomline_data.py``).
  Every setting of a grid over ``briefer.engines.bottom_line.Params`` is scored on them;
  leave-one-out cross-validation picks, for each article, the setting whose smallest margin
  over LEAD-3 (ROUGE-1 or ROUGE-L, mean over the other articles of one source: the shared
  corpus or the training sample) is largest among those no longer than LEAD-3 on average in
  each source, and scores it on the article left out (the CV row). The default is the
  setting picked on all of them.
* **Held-out sets**, never used to choose anything: ``frank-heldout`` (225 FRANK
  CNN/DailyMail test articles, mostly Daily Mail) and ``cnn-val-heldout`` (988 CNN/DailyMail
  validation articles, mostly CNN); see ``bench/bottomline_data.py``. They are scored with
  the engine as shipped (``ExtractiveEngine().condense``), whatever the grid says.

    python bench/bottomline_data.py [--frank-git DIR] [--cnn-git DIR]   # once
    python bench/bottomline.py [--limit N] [--no-grid]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, save, table
from bottomline_data import load

from briefer.engines import bottom_line
from briefer.engines.extractive import ExtractiveEngine
from briefer.evaluate import lead3
from briefer.ingest.load import read_article

METRICS = ("rouge1", "rouge2", "rougeL")
GRID = {
    "budget": (55, 65, 75, 85, 100),
    "sentences": (2, 3, 4),
    "lead_weight": (0.6, 1.5, 3.0, 10.0),
    "lead_decay": (2.0, 4.0),
    "furniture": (1.0, 0.3),
    "cap_at_lead": (True, False),
}


@dataclass
class Item:
    """One article: what the engine hands the bottom line, and what it is scored against."""

    name: str
    group: str
    reference: str
    lead: str
    shipped: str = ""
    texts: list[str] = field(default_factory=list)
    captured: tuple[Any, ...] = ()


def _scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)


def prepare(name: str, text: str, reference: str, group: str = "") -> Item:
    """Run the engine once, keeping the arguments it gives ``bottom_line.choose``."""
    article = read_article(text.encode("utf-8"), f"{name}.txt")
    seen: list[tuple[Any, ...]] = []
    original = bottom_line.choose

    def spy(segments: Sequence[Any], vecs: Sequence[Any], **kw: Any) -> list[int]:
        # LEAD-3's length for the grid's capped settings, whether the default caps or not
        seen.append((list(segments), list(vecs), bottom_line.lead_words(article.text)))
        return original(segments, vecs, **kw)

    bottom_line.choose = spy  # type: ignore[assignment]
    try:
        brief = ExtractiveEngine().condense(article)
    finally:
        bottom_line.choose = original  # type: ignore[assignment]
    item = Item(name, group, reference, lead3(article), brief.summary)
    if seen:
        item.captured = seen[0]
        item.texts = [s.text for s in seen[0][0]]
    return item


def summary_for(item: Item, params: bottom_line.Params) -> tuple[int, ...]:
    if not item.captured:
        return ()
    segments, vecs, limit = item.captured
    return tuple(bottom_line.choose(segments, vecs, params=params, limit_words=limit))


class Scores:
    """ROUGE of a text against an item's reference, computed once per distinct text."""

    def __init__(self) -> None:
        self.scorer = _scorer()
        self.cache: dict[tuple[str, str], dict[str, float]] = {}

    def __call__(self, item: Item, text: str) -> dict[str, float]:
        key = (item.name, text)
        if key not in self.cache:
            if not text.strip():
                self.cache[key] = {**dict.fromkeys(METRICS, 0.0), "words": 0.0}
            else:
                got = self.scorer.score(item.reference, text)
                self.cache[key] = {**{m: got[m].fmeasure for m in METRICS},
                                   "words": float(len(text.split()))}
        return self.cache[key]


def mean_row(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.fmean(r[k] for r in rows) for k in (*METRICS, "words")}


def objective(row: dict[str, float], lead: dict[str, float]) -> float:
    """The bar is ROUGE-1 *and* ROUGE-L at least LEAD-3's: the smaller margin counts."""
    return min(row["rouge1"] - lead["rouge1"], row["rougeL"] - lead["rougeL"])


def settings() -> list[bottom_line.Params]:
    keys = list(GRID)
    return [replace(bottom_line.DEFAULT, **dict(zip(keys, values, strict=True)))
            for values in itertools.product(*(GRID[k] for k in keys))]


def cross_validate(items: list[Item], score: Scores) -> dict[str, Any]:
    grid = settings()
    lead = [score(it, it.lead) for it in items]
    table_: list[list[dict[str, float]]] = []
    for params in grid:
        row = []
        for it in items:
            text = " ".join(it.texts[i] for i in summary_for(it, params))
            row.append(score(it, text))
        table_.append(row)
    groups = sorted({it.group for it in items})

    def margin(g: int, indices: list[int]) -> float | None:
        """The smallest margin over LEAD-3 (ROUGE-1 or -L, any source group); None when
        longer than LEAD-3 in some group."""
        out = []
        for group in groups:
            members = [i for i in indices if items[i].group == group]
            base = mean_row([lead[i] for i in members])
            ours = mean_row([table_[g][i] for i in members])
            if ours["words"] > base["words"]:
                return None
            out.append(objective(ours, base))
        return min(out)

    def best(indices: list[int]) -> int:
        scored = [(m, -g) for g in range(len(grid))
                  if (m := margin(g, indices)) is not None]
        return -max(scored)[1]

    held_out = []
    picks: dict[str, int] = {}
    for k in range(len(items)):
        g = best([i for i in range(len(items)) if i != k])
        held_out.append(table_[g][k])
        picks[str(grid[g])] = picks.get(str(grid[g]), 0) + 1
    chosen = grid[best(list(range(len(items))))]
    by_group = {group: {
        "cv": mean_row([held_out[i] for i in range(len(items)) if items[i].group == group]),
        "lead3": mean_row([lead[i] for i in range(len(items)) if items[i].group == group]),
        "n": sum(1 for it in items if it.group == group)} for group in groups}
    return {"cv": mean_row(held_out), "lead3": mean_row(lead), "chosen": asdict(chosen),
            "groups": by_group,
            "picks": sorted(picks.items(), key=lambda kv: -kv[1])[:5], "settings": len(grid)}


def evaluate(items: list[Item], score: Scores,
             text_of: Callable[[Item], str]) -> dict[str, float]:
    return mean_row([score(it, text_of(it)) for it in items])


def tuning_items(limit: int | None) -> list[Item]:
    items = []
    for folder, ref_glob in (("frank-dev", "*.ref.txt"), ("train", "*.ref.txt")):
        for ref in sorted((SHARED_CORPUS / folder).glob(ref_glob))[:limit]:
            text = ref.with_name(ref.name[: -len(".ref.txt")] + ".txt").read_text("utf-8")
            items.append(prepare(f"{folder}/{ref.name[:-8]}", text, ref.read_text("utf-8"),
                                 "shared corpus"))
    items += [prepare(r["id"], r["article"], r["reference"], "cnndm-train-sample")
              for r in load("cnndm-train-sample")[:limit]]
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="at most N articles per set (a quick look)")
    parser.add_argument("--no-grid", action="store_true", help="skip the cross-validation")
    parser.add_argument("--tuning-only", action="store_true",
                        help="leave the held-out sets out (while choosing what to try)")
    args = parser.parse_args()
    score = Scores()
    tuning = tuning_items(args.limit)
    sets = {"tuning": tuning}
    for name in () if args.tuning_only else ("frank-heldout", "cnn-val-heldout"):
        sets[name] = [prepare(r["id"], r["article"], r["reference"])
                      for r in load(name)[: args.limit]]
    rows, payload = [], {"defaults": asdict(bottom_line.DEFAULT), "sets": {}}
    for name, items in sets.items():
        ours = evaluate(items, score, lambda it: it.shipped)
        lead = evaluate(items, score, lambda it: it.lead)
        payload["sets"][name] = {"n": len(items), "bottom_line": ours, "lead3": lead}
        for label, row in (("bottom line", ours), ("LEAD-3", lead)):
            rows.append([name, str(len(items)), label,
                         *(f"{row[m]:.4f}" for m in METRICS), f"{row['words']:.1f}"])
    if not args.no_grid:
        cv = cross_validate(tuning, score)
        payload["cross_validation"] = cv
        for group, got in (("all", {**cv, "n": len(tuning)}), *cv["groups"].items()):
            for label, row in (("bottom line, leave-one-out CV", got["cv"]),
                               ("LEAD-3", got["lead3"])):
                rows.append([f"tuning CV: {group}", str(got["n"]), label,
                             *(f"{row[m]:.4f}" for m in METRICS), f"{row['words']:.1f}"])
    print(table(rows, ["set", "n", "summary", "ROUGE-1", "ROUGE-2", "ROUGE-L", "words"]))
    if not args.no_grid:
        print(f"\n{cv['settings']} settings; chosen on all {len(tuning)} tuning articles: "
              f"{cv['chosen']}\nshipped defaults: {asdict(bottom_line.DEFAULT)}\n"
              f"most picked in CV: {cv['picks'][:3]}")
    print(f"saved {save('bottomline', payload)}")


if __name__ == "__main__":
    main()
