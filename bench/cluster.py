"""Which articles the daily calls one story: rules measured on pairs people judged.

    python bench/cluster_data.py ...     # first: bench/out/cluster-data/*.jsonl
    python bench/cluster.py [--heldout] [--corpus DIR]

Data (``bench/cluster_data.py``): English pairs of SemEval-2022 Task 8, "same" (mean Overall
rating <= 1.5), "different" (>= 2.5), "unsure" (between; reported, not scored). All the
articles of a split are treated as one day (the batch IDF is over them, ~300 articles).

1. Candidate rules, pair by pair (no chaining): recall on "same", false merges on
   "different" (count and rate), precision. Besides word overlap (cosines, shared names),
   signals about the topic event: top-10/20 keywords shared, rare phrases, a month both
   name, the most alike pair of sentences, each other's nearest article of the day, words
   next to a figure in both, rare phrases of sentences with a figure in both (the same
   statistic, "unemployment rate", whatever its value), and the cosine of the two offline
   briefs (title, bottom line, items: the articles are briefed by the extractive engine,
   ~10 s a split). The logistic rules combine them, fitted on the tuning pairs only
   (plain Python; their tuning figures are 5-fold cross-validated).
2. ``briefer.daily.cluster`` itself over the whole split as one day: a pair counts as merged
   when both articles end up in one story (chains included); and a few candidate rules
   grouped the same way, by single link (as ``cluster`` does) and by complete link (two
   groups join only when every article of one is linked to every article of the other).
3. The shared corpus as one day: every article of ``dev/``, ``train/``, ``clusters/`` and
   ``seed/`` (76), with the date gate. Each folder of ``clusters/`` is one event, and so
   are ``SAME_EVENT``; any other pair a rule links, or a grouping puts in one story, is a
   false merge. The stories of two or more articles are printed for reading.

``--heldout`` reads the held-out split instead of the tuning one: run it once, after choosing.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import SHARED_CORPUS, save, table
from cluster_data import load
from story import articles_of

from briefer import daily as D
from briefer.engines.ranking import cosine, tfidf
from briefer.model import Article
from briefer.story import article_date
from briefer.text import WORD, segment, terms

BACKGROUND = ("cnn-val-heldout", "cnndm-train-sample", "frank-heldout")
COMMON_TERM = 0.05
CORPUS_DAY = ("dev", "train", "clusters", "seed")
# Three reports of one event in train/ (BBC, Al Jazeera, AP on Trump's 30 March 2025 remarks
# that he was angry with Putin, with secondary tariffs on Russian oil): read, not computed.
SAME_EVENT = (("train/029-trump-angry-putin-secondary-tariffs-bbc.txt",
               "train/030-trump-putin-secondary-tariffs-explainer-aj.txt",
               "train/031-trump-faults-putin-zelenskyy-ap.txt"),)
MONTHS = ("january", "february", "march", "april", "june", "july", "august", "september",
          "october", "november", "december")  # "may" is mostly the verb
MIN_SENTENCE_TERMS = 3
FIGURE_WINDOW = 3
_TOKEN = re.compile(r"\d[\d,.]*%?|[^\W\d_][\w'’-]*")
_YEAR = re.compile(r"(19|20)\d\d\b")


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


def mixed_idf(texts: list[str]) -> Callable[[str], float]:
    """IDF with the day's document counts plus the background's."""
    extra_n, extra_df = background_df()
    df = Counter(t for text in texts for t in set(terms(text)))
    n = len(texts) + extra_n
    return lambda t: math.log(1 + n / max(1, df[t] + extra_df.get(t, 0)))


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def mixed_tfidf(texts: list[str]) -> list[dict[str, float]]:
    """TF-IDF with the day's document counts plus the background's."""
    idf = mixed_idf(texts)
    return [_unit({t: (1 + math.log(tf)) * idf(t) for t, tf in Counter(terms(text)).items()})
            for text in texts]


def phrases(text: str) -> set[tuple[str, str]]:
    """Adjacent content terms ("unemploy rate") of which one at least is not common news
    vocabulary (held by under ``COMMON_TERM`` of the background articles)."""
    n, df = background_df()
    words = terms(text)
    return {(a, b) for a, b in itertools.pairwise(words)
            if a != b and min(df.get(a, 0), df.get(b, 0)) < COMMON_TERM * n}


def keywords(vec: dict[str, float], k: int) -> set[str]:
    """The ``k`` strongest terms of a TF-IDF vector: what the article is about."""
    return {t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:k]}


def sentence_vectors(text: str, idf: Callable[[str], float]) -> list[dict[str, float]]:
    """IDF-weighted term sets of the sentences with at least ``MIN_SENTENCE_TERMS`` terms."""
    out = []
    for seg in segment(text):
        words = set(terms(seg.text))
        if len(words) >= MIN_SENTENCE_TERMS:
            out.append(_unit({t: idf(t) for t in words}))
    return out


def figure_words(text: str) -> set[str]:
    """Content terms within ``FIGURE_WINDOW`` tokens of a figure that is not a year: what
    the article measures ("120,000 jobs", "rate fell to 8.2 percent")."""
    tokens = _TOKEN.findall(text)
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if token[0].isdigit() and not _YEAR.match(token):
            near = " ".join(tokens[max(0, i - FIGURE_WINDOW): i + FIGURE_WINDOW + 1])
            out.update(terms(near))
    return out


def statistics(text: str) -> set[tuple[str, str]]:
    """Rare phrases of the sentences that give a figure (not a year): the statistics an
    article reports ("unemploy rate"), whatever their values."""
    out: set[tuple[str, str]] = set()
    for seg in segment(text):
        if any(t[0].isdigit() and not _YEAR.match(t) for t in _TOKEN.findall(seg.text)):
            out |= phrases(seg.text)
    return out


def brief_texts(articles: list[Article]) -> list[str]:
    """Title, bottom line and items of each article's offline brief: what the engine
    found salient, without the page's chatter."""
    from briefer.config import Settings
    from briefer.engines import get_engine
    from briefer.pipeline import condense_all

    settings = Settings()
    done = condense_all(articles, get_engine("extractive", settings), settings, cache=None)
    out = []
    for a in articles:
        brief = done.briefs.get(a.id)
        out.append("" if brief is None else "\n".join(
            [brief.title, brief.summary, *(item.text for _, item in brief.items())]))
    return out


def mutual_nearest(vecs: list[dict[str, float]]) -> set[tuple[int, int]]:
    """Pairs (i < j) where each article is the other's most similar one of the day."""
    best = []
    for i, vec in enumerate(vecs):
        sims = [(cosine(vec, other), -j) for j, other in enumerate(vecs) if j != i]
        best.append(-max(sims)[1] if sims else i)
    return {(i, b) for i, b in enumerate(best) if i < b and best[b] == i}


class Day:
    """Pair features of a batch of articles, computed the ways the candidates need."""

    def __init__(self, articles: list[Article]) -> None:
        texts = [f"{a.title or ''}\n{a.text}" for a in articles]
        self.index = {a.id: i for i, a in enumerate(articles)}
        self.batch = tfidf(texts)
        self.mixed = mixed_tfidf(texts)
        self.names = [D._names(a) for a in articles]
        self.pairs = [phrases(t) for t in texts]
        self.top = {k: [keywords(v, k) for v in self.mixed] for k in (10, 20)}
        self.months = [set(MONTHS) & {w.lower() for w in WORD.findall(t)} for t in texts]
        idf = mixed_idf(texts)
        self.sentences = [sentence_vectors(a.text, idf) for a in articles]
        self.dates = [article_date(a) for a in articles]
        self.mutual = mutual_nearest(self.mixed)
        self.figures = [figure_words(t) for t in texts]
        self.statistics = [statistics(a.text) for a in articles]
        self.briefs = mixed_tfidf(brief_texts(articles))
        self._seen: dict[tuple[int, int], dict[str, float]] = {}

    def features(self, a: str, b: str) -> dict[str, float]:
        i, j = sorted((self.index[a], self.index[b]))
        if (i, j) not in self._seen:
            self._seen[i, j] = self._features(i, j)
        return self._seen[i, j]

    def _features(self, i: int, j: int) -> dict[str, float]:
        best = max((cosine(x, y) for x in self.sentences[i] for y in self.sentences[j]),
                   default=0.0)
        day_i, day_j = self.dates[i], self.dates[j]
        return {"batch": cosine(self.batch[i], self.batch[j]),
                "mixed": cosine(self.mixed[i], self.mixed[j]),
                "names": len(self.names[i] & self.names[j]),
                "phrases": len(self.pairs[i] & self.pairs[j]),
                "top10": len(self.top[10][i] & self.top[10][j]),
                "top20": len(self.top[20][i] & self.top[20][j]),
                "months": len(self.months[i] & self.months[j]),
                "sentence": best,
                "mutual": float((i, j) in self.mutual),
                "figures": len(self.figures[i] & self.figures[j]),
                "statistics": len(self.statistics[i] & self.statistics[j]),
                "brief": cosine(self.briefs[i], self.briefs[j]),
                "far": float(bool(day_i and day_j
                                  and abs((day_i - day_j).days) > D.MAX_DAYS_APART))}


# --- a logistic model over the features, in plain Python ----------------------------------

LOGISTIC = ("mixed", "names", "phrases", "top10", "top20", "months", "sentence", "mutual",
            "figures", "statistics", "brief")


def _x(f: dict[str, float]) -> list[float]:
    counts = ("names", "phrases", "figures", "statistics")
    return [math.log1p(f[k]) if k in counts else f[k] for k in LOGISTIC]


class Logistic:
    """L2-regularised logistic regression by gradient descent on standardised features."""

    def __init__(self, rows: list[dict[str, float]], labels: list[bool], l2: float = 1.0,
                 steps: int = 1000, rate: float = 1.0) -> None:
        xs = [_x(f) for f in rows]
        cols = list(zip(*xs, strict=True))
        self.mean = [sum(c) / len(c) for c in cols]
        self.scale = [math.sqrt(sum((v - m) ** 2 for v in c) / len(c)) or 1.0
                      for c, m in zip(cols, self.mean, strict=True)]
        zs = [self._z(x) for x in xs]
        w, b, n = [0.0] * len(LOGISTIC), 0.0, len(zs)
        for _ in range(steps):
            gw, gb = [l2 * wk / n for wk in w], 0.0
            for z, y in zip(zs, labels, strict=True):
                err = _sigmoid(b + sum(wk * zk for wk, zk in zip(w, z, strict=True))) - y
                gb += err / n
                gw = [g + err * zk / n for g, zk in zip(gw, z, strict=True)]
            w = [wk - rate * g for wk, g in zip(w, gw, strict=True)]
            b -= rate * gb
        self.weights, self.bias = w, b

    def _z(self, x: list[float]) -> list[float]:
        return [(v - m) / s for v, m, s in zip(x, self.mean, self.scale, strict=True)]

    def __call__(self, f: dict[str, float]) -> float:
        z = self._z(_x(f))
        return _sigmoid(self.bias + sum(w * v for w, v in zip(self.weights, z, strict=True)))


def _sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, v))))


def cross_validated(rows: list[dict[str, float]], labels: list[bool], folds: int = 5
                    ) -> list[float]:
    """Each pair's probability from a model fitted on the other folds (pair i in fold i % 5)."""
    out = [0.0] * len(rows)
    for k in range(folds):
        train = [i for i in range(len(rows)) if i % folds != k]
        model = Logistic([rows[i] for i in train], [labels[i] for i in train])
        for i in range(k, len(rows), folds):
            out[i] = model(rows[i])
    return out


# --- rules ----------------------------------------------------------------------------------

Rule = Callable[[dict[str, float]], bool]


def current(f: dict[str, float]) -> bool:
    return f["batch"] >= D.SAME_STORY and f["names"] >= D.MIN_SHARED_NAMES


RULES: dict[str, Rule] = {
    "current: batch>=0.22, names>=2": current,
    "mixed>=0.16, names>=1": lambda f: f["mixed"] >= 0.16 and f["names"] >= 1,
    "mixed>=0.22, names>=2": lambda f: f["mixed"] >= 0.22 and f["names"] >= 2,
    "batch>=0.10, names>=1": lambda f: f["batch"] >= 0.10 and f["names"] >= 1,
}
for _k, _m in ((10, 1), (10, 2), (10, 3), (20, 2), (20, 3)):  # topic keywords
    RULES[f"current, or top{_k} keywords shared>={_m}"] = (
        lambda f, k=_k, m=_m: current(f) or f[f"top{k}"] >= m)
    RULES[f"current, or top{_k}>={_m} & mixed>=0.15"] = (
        lambda f, k=_k, m=_m: current(f) or (f[f"top{k}"] >= m and f["mixed"] >= 0.15))
for _p in (1, 2, 3):  # rare phrases ("unemploy rate")
    RULES[f"current, or phrases>={_p} & mixed>=0.16"] = (
        lambda f, p=_p: current(f) or (f["phrases"] >= p and f["mixed"] >= 0.16))
RULES["current, or a shared month & mixed>=0.16"] = (
    lambda f: current(f) or (f["months"] >= 1 and f["mixed"] >= 0.16))
for _s in (0.30, 0.40):  # one sentence of each much alike
    RULES[f"current, or best sentence>={_s:.2f} & mixed>=0.16"] = (
        lambda f, s=_s: current(f) or (f["sentence"] >= s and f["mixed"] >= 0.16))
for _t in (0.16, 0.12):  # each other's nearest article of the day
    RULES[f"current, or mutual nearest & mixed>={_t:.2f} & names>=1"] = (
        lambda f, t=_t: current(f) or (bool(f["mutual"]) and f["mixed"] >= t
                                       and f["names"] >= 1))
for _m in (2, 3):  # the same things measured (the values may differ)
    RULES[f"current, or figure words shared>={_m} & mixed>=0.15"] = (
        lambda f, m=_m: current(f) or (f["figures"] >= m and f["mixed"] >= 0.15))
for _m in (1, 2):  # the same statistic reported (the values may differ)
    RULES[f"current, or statistics shared>={_m} & mixed>=0.15"] = (
        lambda f, m=_m: current(f) or (f["statistics"] >= m and f["mixed"] >= 0.15))
for _c in (0.15, 0.20, 0.30):  # the offline briefs alike
    RULES[f"current, or brief cosine>={_c:.2f} & names>=1"] = (
        lambda f, c=_c: current(f) or (f["brief"] >= c and f["names"] >= 1))
# grouped over a whole day, by single and by complete link (section 2)
GROUPED = ("current: batch>=0.22, names>=2", "mixed>=0.16, names>=1",
           "current, or a shared month & mixed>=0.16",
           "current, or mutual nearest & mixed>=0.16 & names>=1")


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


def group(ids: list[str], linked: Iterable[tuple[str, str]], complete: bool) -> dict[str, int]:
    """Story number of each article: links taken in order, joined by single or complete link."""
    links = list(linked)
    known = {frozenset(p) for p in links}
    story = {a: k for k, a in enumerate(ids)}
    members = {k: [a] for k, a in enumerate(ids)}
    for a, b in links:
        sa, sb = story[a], story[b]
        if sa == sb or (complete and not all(frozenset((x, y)) in known
                                             for x in members[sa] for y in members[sb])):
            continue
        for x in members[sb]:
            story[x] = sa
        members[sa] += members.pop(sb)
    return story


def _links(day: Day, ids: list[str], rule: Rule) -> list[tuple[str, str]]:
    """Pairs the rule links, strongest first; only pairs of a mixed cosine >= 0.1 (every
    grouped rule needs more) are looked at."""
    out = []
    for a, b in itertools.combinations(ids, 2):
        i, j = day.index[a], day.index[b]
        if cosine(day.mixed[i], day.mixed[j]) < 0.1:
            continue
        f = day.features(a, b)
        if not f["far"] and rule(f):
            out.append((f["mixed"], a, b))
    return [(a, b) for _, a, b in sorted(out, key=lambda x: -x[0])]


class Corpus:
    """The shared corpus as one day, with which pairs are one event."""

    def __init__(self, root: Path) -> None:
        from briefer.ingest import load as ingest

        paths = [p for sub in CORPUS_DAY for p in articles_of(root / sub)]
        self.articles = ingest(paths).articles
        self.day = Day(self.articles)
        self.name = {a.id: "/".join(Path(a.path_or_url).parts[-2:]) for a in self.articles}
        events = [tuple(n for n in self.name.values() if n.startswith(f"{folder.name}/"))
                  for folder in sorted((root / "clusters").iterdir()) if folder.is_dir()]
        self.events = [set(e) for e in (*events, *SAME_EVENT)]
        self.pairs = list(itertools.combinations([a.id for a in self.articles], 2))

    def same(self, a: str, b: str) -> bool:
        return any({self.name[a], self.name[b]} <= event for event in self.events)

    def false_links(self, rule: Rule) -> list[tuple[str, str]]:
        out = []
        for a, b in self.pairs:
            f = self.day.features(a, b)
            if not f["far"] and rule(f) and not self.same(a, b):
                out.append((self.name[a], self.name[b]))
        return out

    def event_pair(self, prefix: str) -> tuple[str, str]:
        ids = [a for a, n in self.name.items() if n.startswith(prefix)]
        return ids[0], ids[1]

    def stories(self, story: dict[str, int]) -> list[list[str]]:
        groups: dict[int, list[str]] = {}
        for a in story:
            groups.setdefault(story[a], []).append(self.name[a])
        return [g for g in groups.values() if len(g) > 1]

    def false_in(self, stories: list[list[str]]) -> int:
        ident = {n: a for a, n in self.name.items()}
        return sum(1 for g in stories for x, y in itertools.combinations(g, 2)
                   if not self.same(ident[x], ident[y]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    args = parser.parse_args()

    split = "heldout" if args.heldout else "tuning"
    articles, labelled = _pair_articles(load(split))
    day = Day(articles)
    feats = [day.features(a, b) for a, b, _ in labelled]
    labels = [lab for _, _, lab in labelled]

    # the logistic model: fitted on the tuning pairs whatever the split
    t_articles, t_labelled = _pair_articles(load("tuning"))
    t_day = Day(t_articles) if args.heldout else day
    fit = [(t_day.features(a, b), lab == "same") for a, b, lab in t_labelled if lab != "unsure"]
    model = Logistic([f for f, _ in fit], [y for _, y in fit])
    print(f"logistic on tuning (standardised): bias {model.bias:.2f}, " + ", ".join(
        f"{k} {w:+.2f}" for k, w in zip(LOGISTIC, model.weights, strict=True)))
    if args.heldout:
        probs = [model(f) for f in feats]
    else:  # tuning figures cross-validated: no pair scored by a model that saw it
        scored = [i for i, lab in enumerate(labels) if lab != "unsure"]
        cv = cross_validated([feats[i] for i in scored], [labels[i] == "same" for i in scored])
        probs = [model(f) for f in feats]  # the unsure pairs, unscored, by the whole model
        for i, p in zip(scored, cv, strict=True):
            probs[i] = p
    corpus = Corpus(args.corpus) if (args.corpus / "clusters").is_dir() else None
    thresholds = {f"logistic p>={t}": t for t in (0.5, 0.3)}
    if corpus is not None:
        jobs = corpus.day.features(*corpus.event_pair("multinews-us-jobs"))
        ukraine = corpus.day.features(*corpus.event_pair("ukraine-june"))
        thresholds[f"logistic p>={model(jobs):.3f} (where the jobs pair merges)"] = model(jobs)
        for name, f in (("jobs", jobs), ("ukraine", ukraine)):
            print(f"{name} pair: " + ", ".join(f"{k} {v:.3f}" for k, v in f.items())
                  + f", logistic {model(f):.3f}")

    rows = []
    decisions = [(name, [rule(f) for f in feats], rule) for name, rule in RULES.items()]
    decisions += [(name, [p >= t for p in probs], lambda f, t=t: model(f) >= t)
                  for name, t in thresholds.items()]
    for name, merged, rule in decisions:
        row = [name, *scores(merged, labels)]
        if corpus is not None:
            row += [len(corpus.false_links(rule)), "1" if rule(jobs) else "2"]
        rows.append(row)
    header = ["rule (pair by pair)", "same merged", "different merged", "precision",
              "unsure merged"] + (["corpus false links", "jobs stories"] if corpus else [])
    print(f"\n{split}: {len(labelled)} pairs, {len(articles)} articles as one day\n")
    print(table(rows, header))

    grouped_rows, corpus_stories = [], {}
    groups = D.cluster(articles)
    story = {a.id: k for k, g in enumerate(groups) for a in g}
    shipped = ["briefer.daily.cluster", *scores([story[a] == story[b] for a, b, _ in labelled],
                                                labels)]
    if corpus is not None:
        found = [[corpus.name[a.id] for a in g] for g in D.cluster(corpus.articles)
                 if len(g) > 1]
        corpus_stories["briefer.daily.cluster"] = found
        shipped += [len(found), corpus.false_in(found)]
    grouped_rows.append(shipped)
    ids = [a.id for a in articles]
    for name in GROUPED:
        for complete in (False, True):
            label = f"{name} ({'complete' if complete else 'single'} link)"
            story = group(ids, _links(day, ids, RULES[name]), complete)
            row = [label, *scores([story[a] == story[b] for a, b, _ in labelled], labels)]
            if corpus is not None:
                cids = [a.id for a in corpus.articles]
                found = corpus.stories(group(cids, _links(corpus.day, cids, RULES[name]),
                                             complete))
                corpus_stories[label] = found
                row += [len(found), corpus.false_in(found)]
            grouped_rows.append(row)
    print()
    print(table(grouped_rows, ["grouped over the day", *header[1:5]]
                + (["corpus stories >= 2", "corpus false pairs"] if corpus else [])))
    for label, found in corpus_stories.items():
        print(f"\n{label}: corpus stories of two or more articles")
        for g in found:
            print("  " + ", ".join(g))
    save(f"cluster-{split}", {"rules": rows, "grouped": grouped_rows,
                              "corpus_stories": corpus_stories, "pairs": len(labelled),
                              "logistic": dict(zip(LOGISTIC, model.weights, strict=True))
                              | {"bias": model.bias}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
