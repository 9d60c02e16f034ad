"""The offline story merge (issue 12, item 6): what merges in the corpus clusters, and how
much it would merge or call a difference between articles that are NOT one story.

    python bench/story.py [--corpus DIR]

1. Each folder of ``clusters/`` briefed as a daily: stories, items cited by several
   sources, the merged parties, "where sources differ".
2. The rapidfuzz scores behind ``SAME_SENTENCE``: for each cluster, the best
   cross-source ``ratio`` between two items that are not the same (independent reports),
   against the score of an item and its wire copy with one word changed.
3. Noise, on data the thresholds were not chosen on: every pair of articles of ``dev/``,
   ``frank-dev/``, ``html/`` and ``seed/`` (different events) treated as one story. Every
   item merged across the pair and every difference reported is a false one.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import SHARED_CORPUS, save, table

SKIP = re.compile(r"\.(ref|src|dek|expected)\.txt$|^(SOURCES\.txt|ref\.txt|README.*|GUIDE.*)$")


def articles_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and p.suffix in (".txt", ".md", ".html") and not SKIP.search(p.name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    args = parser.parse_args()
    from rapidfuzz import fuzz

    from briefer.config import Settings
    from briefer.daily import daily
    from briefer.differences import differences
    from briefer.engines import get_engine
    from briefer.ingest import load
    from briefer.pipeline import condense_all
    from briefer.story import _folded, merge_items, party_names, sources_of

    if not (args.corpus / "clusters").is_dir():
        print(f"no clusters under {args.corpus}", file=sys.stderr)
        return 2
    results: dict[str, object] = {}
    rows = []
    for folder in sorted(p for p in (args.corpus / "clusters").iterdir() if p.is_dir()):
        d = daily(articles_of(folder)).daily
        for story in d.stories:
            multi = [(k, x) for k, x in story.items() if len(sources_of(x)) > 1]
            rows.append([folder.name[:28], story.id, ",".join(story.source_ids),
                         sum(1 for _ in story.items()), len(multi), len(story.differences)])
            for key, item in multi:
                print(f"  {folder.name[:20]} {key}: {item.who or '-'}: {item.text[:70]!r} "
                      f"<- {sources_of(item)}")
            for diff in story.differences:
                print(f"  {folder.name[:20]} differs on {diff.about}: "
                      + " | ".join(f"{c.evidence[0].source_id}: {c.text}" for c in diff.claims))
    print(table(rows, ["cluster", "story", "sources", "items", "multi-source", "differences"]))
    results["clusters"] = rows

    settings = Settings()
    engine = get_engine(settings.provider, settings)
    # 2. scores: independent reports of one event vs a wire copy of an item
    for folder in sorted(p for p in (args.corpus / "clusters").iterdir() if p.is_dir()):
        arts = load(articles_of(folder)).articles
        briefs = condense_all(arts, engine, settings).briefs
        quotes = [[_folded(x.evidence[0].quote) for _, x in briefs[a.id].items()] for a in arts]
        best = max((fuzz.ratio(x, y) for i, j in itertools.combinations(range(len(arts)), 2)
                    for x in quotes[i] for y in quotes[j]), default=0.0)
        copies = [fuzz.ratio(q, q.replace(" the ", " a ", 1)) for qs in quotes for q in qs
                  if " the " in q]
        print(f"{folder.name}: best cross-source ratio {best:.1f}; a quote vs its copy with "
              f"one word changed: min {min(copies):.1f}")
        results[f"ratio:{folder.name}"] = {"best_cross_source": best, "copy_min": min(copies)}

    # 3. noise on unrelated articles
    paths = [p for sub in ("dev", "frank-dev", "html", "seed")
             for p in articles_of(args.corpus / sub)]
    arts = load(paths).articles
    briefs = condense_all(arts, engine, settings).briefs
    arts = [a for a in arts if a.id in briefs]
    pairs = merged = diffs = names = 0
    for a, b in itertools.combinations(arts, 2):
        pairs += 1
        entries = [(k, x.model_copy(deep=True)) for art in (a, b) for k, x in
                   briefs[art.id].items()]
        for _, item in merge_items(entries):
            if len(sources_of(item)) > 1:
                merged += 1
                print(f"  false merge {a.id}/{b.id}: {item.text[:80]!r}")
        for diff in differences([a, b]):
            diffs += 1
            print(f"  false difference {a.id}/{b.id} on {diff.about}: "
                  + " | ".join(c.text for c in diff.claims))
        who = [x.who for art in (a, b) for _, x in briefs[art.id].items() if x.who]
        mine = {x.who for _, x in briefs[a.id].items() if x.who}
        shown = party_names(who)
        names += sum(1 for n in mine if shown[n] != n and shown[n] not in mine)
    print(table([[pairs, merged, diffs, names]], ["unrelated pairs", "false item merges",
                                                  "false differences", "parties renamed"]))
    results["noise"] = {"pairs": pairs, "false_merges": merged, "false_differences": diffs,
                        "parties_renamed_across": names, "articles": len(arts)}
    print(f"saved {save('story', results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
