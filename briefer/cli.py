"""The ``briefer`` command: parse, call the library, print, map errors to exit codes.

Exit codes: 0 done; 1 runtime failure (a provider or engine failed); 2 bad usage or input,
nothing written; 3 partial: the output was written but some inputs failed (each named on
stderr). Heavy modules load inside the commands, so ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from briefer import __version__
from briefer.errors import BrieferError

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


class Format(str, Enum):
    md = "md"
    json = "json"


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
    fmt: Annotated[Format, typer.Option(
        "--format", "-f", help="Output format.", case_sensitive=False)] = Format.md,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here (atomically) instead of standard output.",
        dir_okay=False, show_default=False)] = None,
    provider: Annotated[str | None, typer.Option(
        "--provider", "-p", help="Engine or model provider [default: extractive].",
        show_default=False)] = None,
    template: Annotated[Path | None, typer.Option(
        "--template", help="Jinja template for Markdown output (rendered sandboxed).",
        show_default=False)] = None,
) -> None:
    """Brief one or more articles. Several inputs make one brief citing each source."""
    from briefer.pipeline import brief as run
    from briefer.render import render

    try:
        result = run(inputs, provider=provider, stdin=sys.stdin.buffer)
        text = render(result.brief, fmt.value, template=template)
        if output is None:
            _write_stdout(text)
        else:
            from briefer.atomic import write_atomic

            write_atomic(output, text)
    except BrieferError as exc:
        _fail(exc)
    for failure in result.failures:
        _say(f"skipped {failure}")
    if result.failures:
        _say(f"{len(result.failures)} of {len(result.failures) + len(result.articles)} "
             "inputs failed; the brief covers the rest")
        raise typer.Exit(EXIT_PARTIAL)


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
