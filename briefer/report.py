"""The `briefer eval` report: tables people can scan, and charts (PNG) they would rather
look at: ROUGE-1 per article for each configuration and LEAD-3, grounding rate, latency.
Markdown links the PNGs written beside it; HTML embeds them, so it is one file."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

from briefer._version import __version__
from briefer.evaluate import GOLD_HEADER, Evaluation, Run, iter_gold_rows, iter_rows

HEADER = ["run", "engine", "n (ref)", "ROUGE-1 mean / median", "ROUGE-2", "ROUGE-L",
          "grounding", "summary words", "duplication", "calls", "cost USD", "seconds"]


def _pyplot() -> Any:
    """matplotlib's pyplot on the file-only backend (loaded on first use: eval only)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Any) -> bytes:
    """A figure as PNG bytes; the figure is closed."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def _chart(runs: list[Run], metric: str, title: str, ylabel: str) -> bytes | None:
    plt = _pyplot()
    number = {a.article: n for n, a in enumerate(runs[0].articles, 1)}  # as in the table
    paths = [a.article for a in runs[0].articles if a.metrics.get(metric) is not None]
    if not paths:
        return None
    width = 0.8 / len(runs)
    fig, ax = plt.subplots(figsize=(max(6, len(paths) * 0.35 + 2), 3.2), dpi=100)
    for n, run in enumerate(runs):
        values = {a.article: a.metrics.get(metric) for a in run.articles}
        xs = [i + n * width for i in range(len(paths))]
        ax.bar(xs, [values.get(p) or 0 for p in paths], width=width, label=run.label)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xticks([i + width * (len(runs) - 1) / 2 for i in range(len(paths))])
    ax.set_xticklabels([str(number[p]) for p in paths], fontsize=7)
    ax.set_xlabel("article (numbered as in the table)")
    ax.legend(fontsize=8)
    return _png(fig)


GOLD_METRICS = (("recall_essential", "recall (essential)"), ("recall", "recall (all)"),
                ("precision", "precision"), ("party_agreement", "party agreement"))


def _gold_chart(result: Evaluation, section: str) -> bytes | None:
    """One section against the gold: each figure, one bar per configuration."""
    plt = _pyplot()
    figures = [(run.label, (run.gold_figures() or {}).get(section)) for run in result.runs]
    if not any(f for _, f in figures):
        return None
    width = 0.8 / len(figures)
    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    for n, (label, f) in enumerate(figures):
        values = [float((f or {}).get(key) or 0.0) for key, _ in GOLD_METRICS]
        ax.bar([i + n * width for i in range(len(GOLD_METRICS))], values, width=width,
               label=label)
    ax.set_xticks([i + width * (len(figures) - 1) / 2 for i in range(len(GOLD_METRICS))])
    ax.set_xticklabels([name for _, name in GOLD_METRICS], fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_title(f"{section.replace('_', ' ')} against the gold annotations")
    ax.legend(fontsize=8)
    return _png(fig)


def charts(result: Evaluation) -> dict[str, bytes]:
    lead = result.baselines.get("LEAD-3")
    out = {}
    if result.with_gold:
        from briefer.model import SECTIONS

        for section in SECTIONS:
            png = _gold_chart(result, section)
            if png is not None:
                out[f"gold-{section}"] = png
    for name, runs, metric, title, ylabel in (
            ("rouge1", [*result.runs, *([lead] if lead else [])], "rouge1",
             "ROUGE-1 F1 of the summary, per article", "ROUGE-1 F1"),
            ("grounding", result.runs, "grounding", "Grounding rate per article",
             "verified items / items"),
            ("latency", result.runs, "seconds", "Time per article", "seconds")):
        png = _chart(runs, metric, title, ylabel)
        if png is not None:
            out[name] = png
    return out


def _table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def markdown(result: Evaluation, images: dict[str, str]) -> str:
    parts = [f"# briefer eval: {result.corpus}", "",
             f"{result.articles} articles, {result.with_reference} with a reference summary. "
             "Means / medians; ROUGE F1 with stemming (rouge-score), against the reference.",
             "", _table(list(iter_rows(result))), ""]
    gold_rows = list(iter_gold_rows(result))
    if gold_rows:
        parts += [f"## Sections against {result.with_gold} gold annotations", "",
                  "Matched by the annotation guide's rule (evidence overlapping the gold "
                  "quote by half the shorter span).", "",
                  "| " + " | ".join(GOLD_HEADER) + " |", "|" + " --- |" * len(GOLD_HEADER)]
        parts += ["| " + " | ".join(r) + " |" for r in gold_rows]
        parts.append("")
    if result.wins:
        a, b = result.runs[0].label, result.runs[1].label
        parts += ["## Per-article wins", "", f"| metric | {a} better | {b} better | tie |",
                  "| --- | --- | --- | --- |"]
        parts += [f"| {m} | {w['a']} | {w['b']} | {w['tie']} |"
                  for m, w in result.wins.items()]
        parts.append("")
    for name, ref in images.items():
        parts += [f"![{name}]({ref})", ""]
    parts += ["## Articles", "", "| # | article | " + " | ".join(
        f"{r.label} ROUGE-1" for r in result.runs) + " | LEAD-3 ROUGE-1 |",
              "| --- | --- |" + " --- |" * (len(result.runs) + 1)]
    lead = {a.article: a for a in result.baselines["LEAD-3"].articles}
    for n, score in enumerate(result.runs[0].articles, 1):
        cells = []
        for run in result.runs:
            other = next((a for a in run.articles if a.article == score.article), None)
            value = other.metrics.get("rouge1") if other else None
            cells.append("-" if value is None else f"{value:.4f}")
        base = lead.get(score.article)
        value = base.metrics.get("rouge1") if base else None
        cells.append("-" if value is None else f"{value:.4f}")
        parts.append(f"| {n} | {score.article} | " + " | ".join(cells) + " |")
    parts += ["", f"_briefer {__version__}_", ""]
    return "\n".join(parts)


def write_report(result: Evaluation, target: Path) -> None:
    """``target`` .md (PNGs beside it) or .html (PNGs inside it); atomic writes."""
    from briefer.atomic import write_atomic

    pngs = charts(result)
    if target.suffix.lower() in (".html", ".htm"):
        import markdown_it

        inline = {name: "data:image/png;base64," + base64.b64encode(png).decode()
                  for name, png in pngs.items()}
        body = markdown_it.MarkdownIt("commonmark").enable("table").render(
            markdown(result, inline))
        page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>briefer eval</title>"
                "<style>body{font:14px/1.45 sans-serif;max-width:70rem;margin:2rem auto}"
                "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
                "img{max-width:100%}</style></head><body>" + body + "</body></html>")
        write_atomic(target, page)
        return
    refs: dict[str, Any] = {}
    for name, png in pngs.items():
        image = target.with_name(f"{target.stem}-{name}.png")
        write_atomic(image, png)
        refs[name] = html.escape(image.name)
    write_atomic(target, markdown(result, refs))
