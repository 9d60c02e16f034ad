"""The ``briefer`` command: parse, call the library, print, map errors to exit codes.

Exit codes: 0 done; 1 runtime failure (a provider or engine failed); 2 bad usage, input or
config, nothing written; 3 partial: the output was written but some inputs failed (each
named on stderr). Heavy modules load inside the commands, so ``--help`` and ``--version``
stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from briefer._version import __version__
from briefer.cli_admin import cache_app, config_app, prompts_app, providers_app
from briefer.cli_shared import (
    CONTEXT,
    BaseUrlOpt,
    Command,
    EvidenceOpt,
    FormatOpt,
    LanguageOpt,
    MaxItemsOpt,
    MaxStoriesOpt,
    ModelOpt,
    OutputOpt,
    ProfileOpt,
    PromptOpt,
    ProviderOpt,
    TemplateOpt,
    check_prompt,
    emit,
    fail,
    layout_for,
    output_format,
    say,
    say_skipped,
    settings_from,
    table,
    write_stdout,
)
from briefer.errors import BrieferError, UsageError
from briefer.render.formats import plural

EXIT_PARTIAL = 3

# --- batch mode (`--batch` on daily and eval) ------------------------------------------------

BatchOpt = Annotated[bool, typer.Option(
    "--batch", help="Send the articles' model calls through the provider's batch API "
    "(openai, anthropic): batch prices, results within 24 h; an interrupted run resumes its "
    "job. The daily's few story and bottom-line calls are made live afterwards.")]

app = typer.Typer(
    name="briefer",
    help="Condense articles into structured briefs: key issues, positions, red lines and "
    "next steps, every item backed by a quote from the source.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings=CONTEXT,
)


def _show_version(value: bool) -> None:
    if value:
        print(f"briefer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True,
        help="Show the version and exit.")] = False,
) -> None:
    """briefer: structured, evidence-backed briefs from articles."""


@app.command(cls=Command)
def brief(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT",
        help="Article files (.txt, .md, .html), folders of them, or - for standard input.",
        show_default=False)],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    evidence: EvidenceOpt = None,
    max_items: MaxItemsOpt = None,
    provider: ProviderOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    prompt: PromptOpt = None,
    language: LanguageOpt = None,
    profile: ProfileOpt = None,
    template: TemplateOpt = None,
) -> None:
    """Brief one or more articles. Several inputs make one brief citing each source."""
    from briefer.pipeline import brief as run
    from briefer.pipeline import render_output

    try:
        settings = settings_from(provider, model, base_url, prompt, profile, language).settings
        check_prompt(settings)
        fmt_name = output_format(fmt, output)
        say_skipped(inputs)
        result = run(inputs, settings, stdin=sys.stdin.buffer)
        layout = layout_for(result.brief, settings, evidence, max_items)
        emit(render_output(result.brief, fmt_name, settings, template, layout), output)
    except BrieferError as exc:
        fail(exc)
    for failure in result.failures:
        say(f"skipped {failure}")
    if result.failures:
        total = len(result.failures) + len(result.articles)
        say(f"{len(result.failures)} of {plural(total, 'input')} failed; the brief covers "
            "the rest")
        raise typer.Exit(EXIT_PARTIAL)


@app.command(cls=Command)
def daily(
    inputs: Annotated[list[str] | None, typer.Argument(
        metavar="INPUT",
        help="Files, folders, - (stdin), http(s) URLs of pages or RSS/Atom feeds.",
        show_default=False)] = None,
    sources: Annotated[Path | None, typer.Option(
        "--sources", metavar="FILE", help="A file listing sources, one per line (# comments).",
        show_default=False)] = None,
    include: Annotated[list[str] | None, typer.Option(
        "--include", metavar="GLOB", help="Only files in folders matching this glob "
        "(repeatable).", show_default=False)] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="GLOB", help="Skip files in folders matching this glob "
        "(repeatable).", show_default=False)] = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="DATE", help="Only feed entries published on or after DATE "
        "(YYYY-MM-DD).", show_default=False)] = None,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="DATE", help="The brief's date YYYY-MM-DD; feed entries of that day "
        "only.", show_default=False)] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Memo title.",
                                              show_default=False)] = None,
    previous: Annotated[Path | None, typer.Option(
        "--previous", metavar="FILE", help="An earlier daily JSON for 'What changed' "
        "[default: the newest daily JSON of an earlier date in the output folder].",
        show_default=False)] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    evidence: EvidenceOpt = None,
    max_stories: MaxStoriesOpt = None,
    max_items: MaxItemsOpt = None,
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", metavar="N", min=1, max=64, help="Provider calls in flight "
        "[default: config].", show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the "
                                           "cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    batch: BatchOpt = False,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    prompt: PromptOpt = None, language: LanguageOpt = None, profile: ProfileOpt = None,
    template: TemplateOpt = None,
) -> None:
    """One memo from everything collected today: stories, executive summary, what changed."""
    import briefer.ingest as ingest
    from briefer.cache import Cache
    from briefer.changes import find_previous
    from briefer.daily import daily as run
    from briefer.pipeline import render_output, run_started

    try:
        settings = settings_from(provider, model, base_url, prompt, profile, language).settings
        check_prompt(settings)
        if concurrency:
            settings = settings.model_copy(update={"concurrency": concurrency})
        settings = _batch_mode(settings, batch)
        all_inputs = list(inputs or [])
        if sources is not None:
            all_inputs += ingest.read_sources_file(sources)
        if not all_inputs:
            raise UsageError("no inputs: give INPUT... or --sources FILE")
        fmt_name = output_format(fmt, output)
        say_skipped(all_inputs)
        filters = ingest.Filters(tuple(include or ()), tuple(exclude or ()),
                                 _day(since, "--since"), _day(date, "--date"))
        if previous is None and output is not None:
            today = filters.on or run_started().date()
            previous = find_previous(output.parent if str(output.parent) else Path("."),
                                     exclude=output, before=today.isoformat())
        cache = None if no_cache else Cache()
        with _progress(quiet) as (progress, on_loaded):
            result = run(all_inputs, settings, stdin=sys.stdin.buffer, filters=filters,
                         title=title, day=filters.on, previous=previous, cache=cache,
                         progress=progress, on_loaded=on_loaded)
        layout = layout_for(result.daily, settings, evidence, max_items, max_stories)
        emit(render_output(result.daily, fmt_name, settings, template, layout), output)
    except BrieferError as exc:
        fail(exc)
    if settings.batch:
        from briefer.batch import summary

        say(summary(settings, result.daily.meta.model, result.daily.meta.usage))
    for miss in result.daily.not_included:
        say(f"not included: {miss.input}: {miss.reason}")
    if result.daily.previous:
        say(f"what changed: compared with {result.daily.previous}")
    if result.failures:
        say(f"{plural(len(result.failures), 'source')} failed; the memo covers the rest and "
            "lists them")
        raise typer.Exit(EXIT_PARTIAL)


@app.command("render", cls=Command)
def render_cmd(
    saved: Annotated[Path, typer.Argument(metavar="BRIEF.json",
                                          help="A brief or daily brief saved as JSON.")],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    evidence: EvidenceOpt = None,
    max_stories: MaxStoriesOpt = None,
    max_items: MaxItemsOpt = None,
    template: TemplateOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Re-render a saved brief or daily brief without calling any model."""
    from briefer.pipeline import render_output
    from briefer.render import load_saved

    try:
        settings = settings_from(profile=profile).settings
        fmt_name = output_format(fmt, output)
        saved_brief = load_saved(saved)
        layout = layout_for(saved_brief, settings, evidence, max_items, max_stories)
        emit(render_output(saved_brief, fmt_name, settings, template, layout), output)
    except BrieferError as exc:
        fail(exc)


EXIT_GATE = 4


@app.command("eval", cls=Command)
def eval_cmd(
    corpus: Annotated[Path, typer.Argument(metavar="CORPUS", help="A folder of articles; "
                                           "NAME.ref.txt beside NAME.txt is a reference.")],
    compare: Annotated[Path | None, typer.Option(
        "--compare", metavar="FILE", help="A second configuration (a TOML file like "
        "briefer.toml) to run side by side.", show_default=False)] = None,
    json_out: Annotated[str | None, typer.Option(
        "--json", metavar="FILE", help="Write every number as JSON here; - prints it instead "
        "of the table.", show_default=False)] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", metavar="FILE", help="Write a report with charts: FILE.md or FILE.html.",
        show_default=False)] = None,
    min_rouge1: Annotated[float | None, typer.Option(
        "--min-rouge1", metavar="X", help="Fail (exit 4) when the mean ROUGE-1 is lower.",
        show_default=False)] = None,
    min_grounding: Annotated[float | None, typer.Option(
        "--min-grounding", metavar="X", help="Fail (exit 4) when the mean grounding rate is "
        "lower.", show_default=False)] = None,
    gold: Annotated[Path | None, typer.Option(
        "--gold", metavar="DIR", help="Folder of NAME.gold.json section annotations "
        "[default: beside each article].", show_default=False)] = None,
    batch: BatchOpt = False,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    prompt: PromptOpt = None, profile: ProfileOpt = None,
) -> None:
    """Measure brief quality, grounding and cost on a corpus; compare two configurations."""
    import importlib.util

    import briefer.config as config
    from briefer.errors import ConfigError

    try:
        if importlib.util.find_spec("rouge_score") is None:
            raise ConfigError("briefer eval needs the eval extra (the rouge-score package): "
                              "pip install 'briefer[eval]'")
        from briefer.evaluate import GOLD_HEADER, evaluate, gates, iter_gold_rows, iter_rows
        from briefer.report import HEADER, write_report

        settings = _batch_mode(settings_from(provider, model, base_url, prompt, profile)
                               .settings, batch)
        check_prompt(settings)
        other = config.load_file(compare) if compare is not None else None
        if other is not None:
            check_prompt(other)
            other = _batch_mode(other, batch)
        labels = ("A", f"B ({compare.name})") if compare is not None else ("A", "B")
        say_skipped([corpus])
        result = evaluate(corpus, settings, other, labels=labels, gold_dir=gold)
        if json_out is not None and json_out != "-":
            from briefer.atomic import write_atomic

            write_atomic(Path(json_out), result.to_json())
        if report is not None:
            write_report(result, report)
    except BrieferError as exc:
        fail(exc)
    if json_out == "-":
        write_stdout(result.to_json() + "\n")
    else:
        print(f"{plural(result.articles, 'article')}, {result.with_reference} with a "
              "reference (mean / median)")
        table(HEADER, list(iter_rows(result)), False)
        if result.with_gold:
            print(f"sections against {plural(result.with_gold, 'gold annotation')} "
                  "(GUIDE.md rule)")
            table(GOLD_HEADER, list(iter_gold_rows(result)), False)
        if result.wins:
            for metric, w in result.wins.items():
                print(f"wins {metric}: {result.runs[0].label} {w['a']}, "
                      f"{result.runs[1].label} {w['b']}, tie {w['tie']}")
    failed = gates(result, min_rouge1, min_grounding)
    for line in failed:
        say(f"gate failed: {line}")
    if failed:
        raise typer.Exit(EXIT_GATE)


def _batch_mode(settings: Any, batch: bool) -> Any:
    """Settings with batch mode on (flag or `batch = true`), checked before any input is read."""
    if batch:
        settings = settings.model_copy(update={"batch": True})
    if settings.batch:
        from briefer.batch import check

        check(settings)
    return settings


def _day(value: str | None, flag: str) -> Any:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} wants a date as YYYY-MM-DD, not {value!r}") from None


@contextmanager
def _progress(quiet: bool) -> Iterator[tuple[Any, Any]]:
    """A rich progress bar on a terminal; silence otherwise (logs stay clean)."""
    if quiet or not sys.stderr.isatty():
        yield None, None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("reading sources", total=None)

        def loaded(total: int) -> None:
            bar.update(task, total=total, description="briefing")

        def advance(article: Any, outcome: str) -> None:
            bar.update(task, advance=1, description=f"{outcome}: {article.title or ''}"[:50])

        yield advance, loaded


app.add_typer(providers_app, name="providers")
app.add_typer(config_app, name="config")
app.add_typer(prompts_app, name="prompts")
app.add_typer(cache_app, name="cache")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
