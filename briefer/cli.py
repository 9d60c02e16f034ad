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
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from briefer import __version__
from briefer.errors import BrieferError, UsageError

EXIT_PARTIAL = 3

app = typer.Typer(
    name="briefer",
    help="Condense articles into structured briefs: key issues, positions, red lines and "
    "next steps, every item backed by a quote from the source.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
)


providers_app = typer.Typer(help="List model providers and check they answer.",
                            no_args_is_help=True, rich_markup_mode=None)
config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True,
                         rich_markup_mode=None)
prompts_app = typer.Typer(help="List, show and compare versioned prompts.",
                          no_args_is_help=True, rich_markup_mode=None)
cache_app = typer.Typer(help="Inspect or empty the brief cache.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(providers_app, name="providers")
app.add_typer(cache_app, name="cache")
app.add_typer(config_app, name="config")
app.add_typer(prompts_app, name="prompts")

# Options shared by every command that resolves settings.
ProviderOpt = Annotated[str | None, typer.Option(
    "--provider", "-p", help="Engine or model provider [default: extractive].",
    show_default=False)]
ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="Model name.",
                                              show_default=False)]
BaseUrlOpt = Annotated[str | None, typer.Option(
    "--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1.",
    show_default=False)]
PromptOpt = Annotated[str | None, typer.Option(
    "--prompt", help="Prompt TASK or TASK@VERSION [default: brief, the newest].",
    show_default=False)]
ProfileOpt = Annotated[str | None, typer.Option(
    "--profile", help="Named profile from [profiles.NAME] in the config files.",
    show_default=False)]


def _settings(provider: str | None = None, model: str | None = None,
              base_url: str | None = None, prompt: str | None = None,
              profile: str | None = None) -> Any:
    from briefer import config

    flags = {"provider": provider, "model": model, "base_url": base_url, "prompt": prompt}
    return config.load(flags, profile=profile)


class Format(str, Enum):
    md = "md"
    json = "json"
    html = "html"
    docx = "docx"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.",
                                           case_sensitive=False)]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write here (atomically) instead of standard output.",
    dir_okay=False, show_default=False)]
TemplateOpt = Annotated[Path | None, typer.Option(
    "--template", help="Your own template for the format (Jinja; for docx a Word file with "
    "Jinja tags), rendered sandboxed.", show_default=False)]


def _say(message: str) -> None:
    print(f"briefer: {message}", file=sys.stderr)


def _fail(error: BrieferError) -> NoReturn:
    _say(f"error: {error}")
    raise typer.Exit(error.exit_code)


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


@app.command()
def brief(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT",
        help="Article files (.txt, .md, .html), folders of them, or - for standard input.",
        show_default=False)],
    fmt: FormatOpt = Format.md,
    output: OutputOpt = None,
    provider: ProviderOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    prompt: PromptOpt = None,
    profile: ProfileOpt = None,
    template: TemplateOpt = None,
) -> None:
    """Brief one or more articles. Several inputs make one brief citing each source."""
    from briefer.pipeline import brief as run
    from briefer.render import render

    try:
        settings = _settings(provider, model, base_url, prompt, profile).settings
        _needs_file(fmt, output)
        result = run(inputs, settings, stdin=sys.stdin.buffer)
        _emit(render(result.brief, fmt.value, template=template, memo=settings.memo()),
              output)
    except BrieferError as exc:
        _fail(exc)
    for failure in result.failures:
        _say(f"skipped {failure}")
    if result.failures:
        _say(f"{len(result.failures)} of {len(result.failures) + len(result.articles)} "
             "inputs failed; the brief covers the rest")
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def daily(
    inputs: Annotated[list[str] | None, typer.Argument(
        metavar="INPUT",
        help="Files, folders, - (stdin), http(s) URLs of pages or RSS/Atom feeds.",
        show_default=False)] = None,
    sources: Annotated[Path | None, typer.Option(
        "--sources", help="A file listing sources, one per line (# comments).",
        show_default=False)] = None,
    include: Annotated[list[str] | None, typer.Option(
        "--include", help="Only files in folders matching this glob (repeatable).",
        show_default=False)] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", help="Skip files in folders matching this glob (repeatable).",
        show_default=False)] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only feed entries published on or after YYYY-MM-DD.",
        show_default=False)] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="The brief's date YYYY-MM-DD; feed entries of that day only.",
        show_default=False)] = None,
    title: Annotated[str | None, typer.Option("--title", help="Memo title.",
                                              show_default=False)] = None,
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="Yesterday's daily JSON for 'What changed' [default: the newest "
        "daily JSON in the output folder].", show_default=False)] = None,
    fmt: FormatOpt = Format.md,
    output: OutputOpt = None,
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", min=1, max=64, help="Provider calls in flight [default: config].",
        show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the "
                                           "cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    prompt: PromptOpt = None, profile: ProfileOpt = None,
    template: TemplateOpt = None,
) -> None:
    """One memo from everything collected today: stories, executive summary, what changed."""
    from briefer import ingest
    from briefer.cache import Cache
    from briefer.daily import daily as run
    from briefer.daily import find_previous
    from briefer.render import render

    try:
        settings = _settings(provider, model, base_url, prompt, profile).settings
        if concurrency:
            settings = settings.model_copy(update={"concurrency": concurrency})
        all_inputs = list(inputs or [])
        if sources is not None:
            all_inputs += ingest.read_sources_file(sources)
        if not all_inputs:
            raise UsageError("no inputs: give INPUT... or --sources FILE")
        _needs_file(fmt, output)
        filters = ingest.Filters(tuple(include or ()), tuple(exclude or ()),
                                 _day(since, "--since"), _day(date, "--date"))
        if previous is None and output is not None:
            previous = find_previous(output.parent if str(output.parent) else Path("."),
                                     exclude=output)
        cache = None if no_cache else Cache()
        with _progress(quiet) as (progress, on_loaded):
            result = run(all_inputs, settings, stdin=sys.stdin.buffer, filters=filters,
                         title=title, day=filters.on, previous=previous, cache=cache,
                         progress=progress, on_loaded=on_loaded)
        _emit(render(result.daily, fmt.value, template=template, memo=settings.memo()),
              output)
    except BrieferError as exc:
        _fail(exc)
    for miss in result.daily.not_included:
        _say(f"not included: {miss.input}: {miss.reason}")
    if result.failures:
        _say(f"{len(result.failures)} sources failed; the memo covers the rest and lists them")
        raise typer.Exit(EXIT_PARTIAL)


@app.command("render")
def render_cmd(
    saved: Annotated[Path, typer.Argument(metavar="BRIEF.json",
                                          help="A brief or daily brief saved as JSON.")],
    fmt: FormatOpt = Format.md,
    output: OutputOpt = None,
    template: TemplateOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Re-render a saved brief or daily brief without calling any model."""
    from briefer.render import load_saved, render

    try:
        settings = _settings(profile=profile).settings
        _needs_file(fmt, output)
        _emit(render(load_saved(saved), fmt.value, template=template, memo=settings.memo()),
              output)
    except BrieferError as exc:
        _fail(exc)


EXIT_GATE = 4


@app.command("eval")
def eval_cmd(
    corpus: Annotated[Path, typer.Argument(metavar="CORPUS", help="A folder of articles; "
                                           "NAME.ref.txt beside NAME.txt is a reference.")],
    compare: Annotated[Path | None, typer.Option(
        "--compare", help="A second configuration (a TOML file like briefer.toml) to run "
        "side by side.", show_default=False)] = None,
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Write every number as JSON here.", show_default=False)] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Write a report with charts: FILE.md or FILE.html.",
        show_default=False)] = None,
    min_rouge1: Annotated[float | None, typer.Option(
        "--min-rouge1", help="Fail (exit 4) when the mean ROUGE-1 is lower.",
        show_default=False)] = None,
    min_grounding: Annotated[float | None, typer.Option(
        "--min-grounding", help="Fail (exit 4) when the mean grounding rate is lower.",
        show_default=False)] = None,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    prompt: PromptOpt = None, profile: ProfileOpt = None,
) -> None:
    """Measure brief quality, grounding and cost on a corpus; compare two configurations."""
    from briefer import config
    from briefer.evaluate import evaluate, gates, iter_rows
    from briefer.report import HEADER, write_report

    try:
        settings = _settings(provider, model, base_url, prompt, profile).settings
        other = config.load_file(compare) if compare is not None else None
        labels = ("A", f"B ({compare.name})") if compare is not None else ("A", "B")
        result = evaluate(corpus, settings, other, labels=labels)
        if json_out is not None:
            from briefer.atomic import write_atomic

            write_atomic(json_out, result.to_json())
        if report is not None:
            write_report(result, report)
    except BrieferError as exc:
        _fail(exc)
    print(f"{result.articles} articles, {result.with_reference} with a reference "
          "(mean / median)")
    for row in [HEADER, *iter_rows(result)]:
        print("\t".join(row))
    if result.wins:
        for metric, w in result.wins.items():
            print(f"wins {metric}: {result.runs[0].label} {w['a']}, {result.runs[1].label} "
                  f"{w['b']}, tie {w['tie']}")
    failed = gates(result, min_rouge1, min_grounding)
    for line in failed:
        _say(f"gate failed: {line}")
    if failed:
        raise typer.Exit(EXIT_GATE)


def _needs_file(fmt: Format, output: Path | None) -> None:
    if fmt is Format.docx and output is None:
        raise UsageError("--format docx writes a Word file: give -o FILE.docx")


def _emit(data: str | bytes, output: Path | None) -> None:
    if output is None:
        assert isinstance(data, str)
        _write_stdout(data)
        return
    from briefer.atomic import write_atomic

    write_atomic(output, data)


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


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, how many briefs it holds and its size."""
    from briefer.cache import Cache

    try:
        info = Cache().info()
    except BrieferError as exc:
        _fail(exc)
    print(f"{info['path']}: {info['entries']} briefs from {info['engines']} engine settings, "
          f"{info['bytes'] / 1e6:.1f} MB")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached brief."""
    from briefer.cache import Cache

    try:
        count = Cache().clear()
    except BrieferError as exc:
        _fail(exc)
    print(f"removed {count} cached briefs")


@providers_app.command("list")
def providers_list(provider: ProviderOpt = None, base_url: BaseUrlOpt = None,
                   profile: ProfileOpt = None) -> None:
    """Each provider: installed?, the key it needs and whether it is set, its base URL."""
    from briefer.providers import status

    try:
        rows = status(_settings(provider, None, base_url, None, profile).settings)
    except BrieferError as exc:
        _fail(exc)
    for row in rows:
        installed = "installed" if row.installed else f"not installed ({row.install_hint})"
        key = f"{row.key_env}: {row.key_state}" if row.key_env else "no key needed"
        print(f"{row.name}\t{installed}\t{key}\tbase_url: {row.base_url or '-'}"
              f"\tstructured_output: {', '.join(row.structured_output) or '-'}"
              f"\t{row.description}")


@providers_app.command("check")
def providers_check(
    name: Annotated[str | None, typer.Argument(
        help="Provider to check [default: the configured one].", show_default=False)] = None,
    model: ModelOpt = None, base_url: BaseUrlOpt = None, profile: ProfileOpt = None,
) -> None:
    """Make one tiny real call and report latency and model, or the error."""
    from briefer.providers import check

    try:
        settings = _settings(name, model, base_url, None, profile).settings
        result = check(settings.provider, settings)
    except BrieferError as exc:
        _fail(exc)
    state = "ok" if result.ok else "FAILED"
    print(f"{result.name}: {state} in {result.seconds:.2f}s, model {result.model or '-'}: "
          f"{result.detail}")
    if not result.ok:
        raise typer.Exit(1)


@config_app.command("show")
def config_show(provider: ProviderOpt = None, model: ModelOpt = None,
                base_url: BaseUrlOpt = None, prompt: PromptOpt = None,
                profile: ProfileOpt = None) -> None:
    """The effective settings and where each came from; API keys only as set/not set."""
    from briefer import config
    from briefer.providers import provider_class

    try:
        resolved = _settings(provider, model, base_url, prompt, profile)
        cls = provider_class(resolved.settings.provider)
        secret, origin = config.api_key(cls.name, cls.key_env) if cls.key_env else (None, None)
    except BrieferError as exc:
        _fail(exc)
    files = ", ".join(map(str, resolved.files)) or "none"
    print(f"# config files: {files}; profile: {resolved.profile or '-'}")
    for key, value, where in config.describe(resolved):
        print(f"{key} = {value or '-'}\t({where})")
    if cls.key_env:
        state = f"set (from {origin})" if secret else "not set"
        print(f"api key ({cls.key_env}) = {state}")


@prompts_app.command("list")
def prompts_list(profile: ProfileOpt = None) -> None:
    """Every prompt version, the default (newest) marked."""
    from briefer.prompts import PromptStore

    try:
        store = PromptStore(_settings(profile=profile).settings.prompts_dir)
        prompts = store.all()
    except BrieferError as exc:
        _fail(exc)
    newest = {p.id: p.version for p in prompts}
    for p in prompts:
        mark = " (default)" if newest[p.id] == p.version else ""
        print(f"{p.ref}{mark}\t{p.description}\t{p.path}")


@prompts_app.command("show")
def prompts_show(
    spec: Annotated[str, typer.Argument(metavar="TASK[@VERSION]")],
    input: Annotated[str | None, typer.Option(
        "--input", help="Render the prompt for this article instead of showing the "
        "template.", show_default=False)] = None,
    profile: ProfileOpt = None,
) -> None:
    """The template of a prompt version, or the exact messages for an article."""
    from briefer.prompts import PromptStore

    try:
        prompt = PromptStore(_settings(profile=profile).settings.prompts_dir).get(spec)
        if input is None:
            _write_stdout(prompt.source)
            return
        from briefer.engines.draft import schema_text
        from briefer.engines.llm import _boundary
        from briefer.ingest import load

        loaded = load([input], stdin=sys.stdin.buffer)
        if loaded.failures:
            raise loaded.failures[0]
        article = loaded.articles[0]
        rendered = prompt.render(article=article.text, title=article.title or "",
                                 boundary=_boundary(article.text), schema=schema_text())
    except BrieferError as exc:
        _fail(exc)
    _write_stdout(f"--- system ({rendered.prompt.ref}, sha256 {rendered.sha256[:12]})\n"
                  f"{rendered.system}\n--- user\n{rendered.user}\n")


@prompts_app.command("diff")
def prompts_diff(a: Annotated[str, typer.Argument(metavar="A")],
                 b: Annotated[str, typer.Argument(metavar="B")],
                 profile: ProfileOpt = None) -> None:
    """Unified diff of two prompt versions, e.g. brief@1 brief@2."""
    from briefer.prompts import PromptStore

    try:
        text = PromptStore(_settings(profile=profile).settings.prompts_dir).diff(a, b)
    except BrieferError as exc:
        _fail(exc)
    _write_stdout(text or f"{a} and {b} are identical\n")


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `briefer brief x | head`: not an error
        sys.stderr.close()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
