"""`briefer eval`: brief quality, grounding and cost over a corpus, one or two configurations.

A corpus is a folder of articles; ``NAME.ref.txt`` beside ``NAME.txt`` is a human reference
summary, ``NAME.systems.json`` published systems' summaries of the same article (the
FRANK layout), and ``NAME.gold.json`` an analyst's annotation of the sections (beside the
article or in ``--gold DIR``), scored with the rule of the annotation guide
(:mod:`briefer.gold`): recall of essential items, recall of all, precision, party agreement.
Every article is briefed through the pipeline's own ``condense_all``; the
summary is scored with ROUGE-1/2/L F1 (the ``rouge-score`` package, stemming on), beside
LEAD-3 (the first three sentences) computed in the same run.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import briefer.ingest as ingest
from briefer import gold
from briefer.config import Settings
from briefer.engines import get_engine
from briefer.errors import InputError
from briefer.ingest.load import is_non_article
from briefer.model import SECTIONS, Article, Brief
from briefer.pipeline import condense_all
from briefer.text import segment

NOT_ARTICLES = ("*.ref.txt", "*.src.txt", "*.dek.txt", "*.expected.txt", "SOURCES.txt",
                "README.md", "GUIDE.md", "ref.txt", "*.gold.json")
ROUGE = ("rouge1", "rouge2", "rougeL")
METRICS = ("rouge1", "rouge2", "rougeL", "grounding", "summary_words", "items",
           "duplication", "calls", "input_tokens", "output_tokens", "cost_usd", "seconds")
HIGHER_IS_BETTER = {"rouge1": True, "rouge2": True, "rougeL": True, "grounding": True,
                    "duplication": False, "cost_usd": False, "seconds": False}


@dataclass
class ArticleScore:
    article: str
    reference: bool
    metrics: dict[str, float | None]
    sections: dict[str, int]
    error: str | None = None
    #: per-section counts against the article's gold annotation (GUIDE.md rule), if any
    gold: dict[str, dict[str, int]] | None = None


@dataclass
class Run:
    label: str
    engine: str
    model: str | None
    prompt: str | None
    articles: list[ArticleScore] = field(default_factory=list)

    def values(self, metric: str) -> list[float]:
        return [a.metrics[metric] for a in self.articles  # type: ignore[misc]
                if a.metrics.get(metric) is not None]

    def gold_figures(self) -> dict[str, dict[str, float | int | None]] | None:
        """Per-section recall (essential, all), precision and party agreement over the
        articles with a gold annotation; None when there are none."""
        from briefer import gold

        scored = [a.gold for a in self.articles if a.gold is not None]
        return gold.aggregate(scored) if scored else None

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for metric in METRICS:
            values = self.values(metric)
            if values:
                out[metric] = {"mean": statistics.fmean(values),
                               "median": statistics.median(values), "n": len(values)}
        return out


@dataclass
class Evaluation:
    corpus: str
    articles: int
    with_reference: int
    runs: list[Run]
    baselines: dict[str, Run]  # LEAD-3 and published systems
    wins: dict[str, dict[str, int]] | None = None  # metric -> {"a": n, "b": n, "tie": n}

    def to_json(self) -> str:
        data = asdict(self)
        data["summaries"] = {r.label: r.summary() for r in [*self.runs, *self.baselines.values()]}
        data["gold_sections"] = {r.label: r.gold_figures() for r in self.runs}
        return json.dumps(data, indent=2)

    @property
    def with_gold(self) -> int:
        return sum(1 for a in self.runs[0].articles if a.gold is not None) if self.runs else 0


def corpus_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(str(folder), "the corpus must be a folder of articles")
    filters = ingest.Filters(exclude=NOT_ARTICLES)
    files = sorted(p for p in folder.rglob("*") if p.is_file()
                   and p.suffix.lower() in ingest.ARTICLE_SUFFIXES - {".xml", ".rss", ".atom"}
                   and filters.wants_file(p, folder) and not is_non_article(p)
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    if not files:
        raise InputError(str(folder), "no articles in the corpus folder")
    return files


def article_names(files: list[Path]) -> dict[Path, str]:
    """Each file's name in tables and JSON: its path below the corpus folder, so two
    ``001.txt`` of different clusters stay apart."""
    import os

    if not files:
        return {}
    root = Path(os.path.commonpath([p.parent for p in files]))
    return {p: p.relative_to(root).as_posix() for p in files}


def _reference(path: Path) -> str | None:
    ref = path.with_name(path.name[: -len(path.suffix)] + ".ref.txt")
    return ref.read_text(encoding="utf-8", errors="replace") if ref.is_file() else None


def _systems(path: Path) -> dict[str, str]:
    systems = path.with_name(path.name[: -len(path.suffix)] + ".systems.json")
    if not systems.is_file():
        return {}
    try:
        data = json.loads(systems.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


GoldIndex = dict[tuple[str, str], dict[str, Any]]


def gold_index(gold_dir: Path | None) -> GoldIndex:
    """Every annotation of ``gold_dir``, read once: by its file name (``NAME``) and, where
    no file of that name claims it, by the file name its ``article`` key ends with."""
    index: GoldIndex = {}
    for candidate in sorted(gold_dir.glob("*.gold.json")) if gold_dir is not None else []:
        data = _read_gold(candidate)
        if data is None:
            continue
        index[("name", candidate.name[: -len(".gold.json")])] = data
        article = str(data.get("article", ""))
        if "/" in article:
            index.setdefault(("article", article.rsplit("/", 1)[1]), data)
    return index


def gold_for(path: Path, index: GoldIndex) -> dict[str, Any] | None:
    """``NAME.gold.json`` beside ``NAME.txt``, else from ``index`` (:func:`gold_index`): by
    that name, or a gold file whose ``article`` key ends with the article's file name."""
    stem = path.name[: -len(path.suffix)]
    beside = path.with_name(f"{stem}.gold.json")
    if beside.is_file():
        return _read_gold(beside)
    return index.get(("name", stem)) or index.get(("article", path.name))


def _read_gold(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"not a gold annotation JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InputError(str(path), "not a gold annotation: needs an \"items\" list "
                                    "(see GUIDE.md)")
    return data


def lead3(article: Article) -> str:
    sentences = [s.text for s in segment(article.text) if s.kind == "sentence"]
    return " ".join(sentences[:3])


def _scorer() -> Any:
    try:
        from rouge_score import rouge_scorer
    except ImportError as exc:
        from briefer.errors import MissingDependencyError

        raise MissingDependencyError("eval", "rouge_score", "pip install 'briefer[eval]'"
                                     ) from exc
    return rouge_scorer.RougeScorer(list(ROUGE), use_stemmer=True)


def _rouge(scorer: Any, reference: str | None, summary: str) -> dict[str, float | None]:
    if reference is None or not summary.strip():
        return dict.fromkeys(ROUGE)
    scores = scorer.score(reference, summary)
    return {name: scores[name].fmeasure for name in ROUGE}


def _duplication(brief: Brief) -> float | None:
    """Share of items whose evidence sentence also backs an item of another section."""
    spans: dict[tuple[str, int, int], set[str]] = {}
    for section, item in brief.items():
        for ev in item.evidence:
            spans.setdefault((ev.source_id, ev.start, ev.end), set()).add(section)
    items = list(brief.items())
    if not items:
        return None
    shared = sum(1 for section, item in items
                 if any(len(spans[(e.source_id, e.start, e.end)]) > 1 for e in item.evidence))
    return shared / len(items)


def _cost(settings: Settings, model: str | None, usage: dict[str, int]) -> float | None:
    """USD at ``[prices]``; calls answered by a batch API at batch prices."""
    from briefer.batch import cost

    return cost(settings, model, usage)


def run_config(label: str, settings: Settings, files: list[Path],
               articles: dict[Path, Article], references: dict[Path, str | None],
               progress: Callable[[Article, str], None] | None = None,
               golds: dict[Path, dict[str, Any] | None] | None = None) -> Run:
    engine = get_engine(settings.provider, settings)
    prompt = getattr(getattr(engine, "prompt", None), "ref", None)
    run = Run(label, engine.name, engine.model, prompt)
    scorer = _scorer()
    names = article_names(files)
    # One batch, so the engine (and an LLM client) is set up once; each article loaded on
    # its own is "s1", so it gets a distinct id here. Sequential: the time between two
    # finished articles is the time of the second.
    batch = {path: articles[path].model_copy(update={"id": f"s{n}"})
             for n, path in enumerate(files, 1) if path in articles}
    seconds: dict[str, float] = {}
    clock = [time.perf_counter()]

    def finished(article: Article, outcome: str) -> None:
        now = time.perf_counter()
        seconds[article.id], clock[0] = now - clock[0], now
        if progress is not None:
            progress(article, outcome)

    done = condense_all(list(batch.values()), engine,
                        settings.model_copy(update={"concurrency": 1}), progress=finished)
    failed = {getattr(f, "source", ""): str(f) for f in done.failures}
    for path, article in batch.items():
        brief = done.briefs.get(article.id)
        if brief is None:
            run.articles.append(ArticleScore(names[path], references[path] is not None,
                                             dict.fromkeys(METRICS), {},
                                             failed.get(article.path_or_url, "?")))
            continue
        usage = brief.meta.usage
        metrics: dict[str, float | None] = {
            **_rouge(scorer, references[path], brief.summary),
            "grounding": brief.meta.grounding.rate if brief.meta.grounding else None,
            "summary_words": float(len(brief.summary.split())),
            "items": float(sum(1 for _ in brief.items())),
            "duplication": _duplication(brief),
            "calls": float(usage.get("calls", 0)),
            "input_tokens": float(usage.get("input_tokens", 0)),
            "output_tokens": float(usage.get("output_tokens", 0)),
            "cost_usd": _cost(settings, engine.model, usage),
            "seconds": seconds.get(article.id),
        }
        annotation = (golds or {}).get(path)
        run.articles.append(ArticleScore(
            names[path], references[path] is not None, metrics,
            {name: len(getattr(brief, name)) for name in SECTIONS},
            gold=gold.score(brief, annotation, article.text) if annotation else None))
    return run


def _baselines(files: list[Path], articles: dict[Path, Article],
               references: dict[Path, str | None]) -> dict[str, Run]:
    scorer = _scorer()
    runs: dict[str, Run] = {"LEAD-3": Run("LEAD-3", "lead-3", None, None)}
    names = article_names(files)
    for path in files:
        article = articles.get(path)
        if article is None:
            continue
        text = lead3(article)
        runs["LEAD-3"].articles.append(ArticleScore(
            names[path], references[path] is not None,
            {**_rouge(scorer, references[path], text),
             "summary_words": float(len(text.split()))}, {}))
        for name, summary in _systems(path).items():
            run = runs.setdefault(name, Run(name, "published system", None, None))
            run.articles.append(ArticleScore(
                names[path], True, {**_rouge(scorer, references[path], summary),
                                  "summary_words": float(len(summary.split()))}, {}))
    return runs


def wins(a: Run, b: Run) -> dict[str, dict[str, int]]:
    """Per-article win/loss/tie of A against B on each metric with a direction."""
    by_path = {s.article: s for s in b.articles}
    out = {}
    for metric, higher in HIGHER_IS_BETTER.items():
        tally = {"a": 0, "b": 0, "tie": 0}
        for score in a.articles:
            other = by_path.get(score.article)
            x = score.metrics.get(metric)
            y = other.metrics.get(metric) if other else None
            if x is None or y is None:
                continue
            if abs(x - y) < 1e-9:
                tally["tie"] += 1
            elif (x > y) == higher:
                tally["a"] += 1
            else:
                tally["b"] += 1
        out[metric] = tally
    return out


def evaluate(corpus: Path, settings: Settings, compare: Settings | None = None, *,
             labels: tuple[str, str] = ("A", "B"),
             progress: Callable[[Article, str], None] | None = None,
             gold_dir: Path | None = None) -> Evaluation:
    if gold_dir is not None and not gold_dir.is_dir():
        raise InputError(str(gold_dir), "--gold must be a folder of NAME.gold.json files")
    files = corpus_files(corpus)
    loaded = {path: ingest.load([path]) for path in files}
    articles = {p: r.articles[0] for p, r in loaded.items() if r.articles}
    references = {p: _reference(p) for p in files}
    index = gold_index(gold_dir)
    golds = {p: gold_for(p, index) for p in files}
    runs = [run_config(labels[0], settings, files, articles, references, progress, golds)]
    if compare is not None:
        runs.append(run_config(labels[1], compare, files, articles, references, progress,
                               golds))
    result = Evaluation(str(corpus), len(articles),
                        sum(1 for p in articles if references[p] is not None), runs,
                        _baselines(files, articles, references))
    if compare is not None:
        result.wins = wins(runs[0], runs[1])
    return result


def gates(result: Evaluation, min_rouge1: float | None, min_grounding: float | None
          ) -> list[str]:
    """What failed of the CI gates, as readable lines (empty: passed)."""
    summary = result.runs[0].summary()
    failed = []
    for name, floor in (("rouge1", min_rouge1), ("grounding", min_grounding)):
        if floor is None:
            continue
        mean = summary.get(name, {}).get("mean")
        if mean is None or mean < floor:
            shown = "n/a" if mean is None else f"{mean:.4f}"
            failed.append(f"mean {name} {shown} is below the gate {floor}")
    return failed


GOLD_HEADER = ["run", "section", "recall (essential)", "recall (all)", "precision",
               "party agreement", "gold / brief items"]


def iter_gold_rows(result: Evaluation) -> Iterable[list[str]]:
    """Per run and section: the figures against the gold annotations."""
    def cell(value: Any) -> str:
        return "-" if value is None else f"{value:.2f}"

    for run in result.runs:
        figures = run.gold_figures()
        if figures is None:
            continue
        for section, f in figures.items():
            yield [run.label, section, cell(f["recall_essential"]), cell(f["recall"]),
                   cell(f["precision"]), cell(f["party_agreement"]),
                   f"{f['gold']} / {f['brief']}"]


def iter_rows(result: Evaluation) -> Iterable[list[str]]:
    """Aggregate table rows: one per run and baseline."""
    for run in [*result.runs, *result.baselines.values()]:
        s = run.summary()

        def cell(metric: str, digits: int = 4, s: dict[str, Any] = s) -> str:
            v = s.get(metric)
            return "-" if v is None else f"{v['mean']:.{digits}f} / {v['median']:.{digits}f}"

        yield [run.label, run.engine + (f" ({run.model})" if run.model else ""),
               str(s.get("rouge1", {}).get("n", 0)), cell("rouge1"), cell("rouge2"),
               cell("rougeL"), cell("grounding", 3), cell("summary_words", 1),
               cell("duplication", 3), cell("calls", 1), cell("cost_usd", 5),
               cell("seconds", 3)]
