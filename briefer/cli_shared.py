"""What the CLI modules share: option types, settings from flags, one-line errors, output.

Kept apart so ``cli.py`` (the main commands) and ``cli_admin.py`` (providers, config,
prompts, cache) stay small; nothing here imports more than typer.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand

from briefer.errors import BrieferError, UsageError
from briefer.render.formats import BINARY, EVIDENCE_MODES, FORMATS

#: every app and sub-app: -h as well as --help
CONTEXT = {"help_option_names": ["-h", "--help"]}


class Command(TyperCommand):
    """Typer's command with conventional argument names: ``INPUT...`` in the usage line and
    the help (typer would print ``{INPUT}...`` and ``INPUT <list[str]>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "").upper()
                many = "..." if param.nargs != 1 else ""
                usage = f"{name}{many}" if param.required else f"[{name}{many}]"
                shown = name + many
                # typer has no option for these: replace the two display methods
                setattr(param, "_usage_display_name", lambda usage=usage: usage)  # noqa: B010
                setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010
                setattr(param, "_rich_display_name", lambda shown=shown: shown)  # noqa: B010


def sub_app(help: str) -> typer.Typer:
    """A command group (``providers``, ``config``...) built like the main app."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None,
                       context_settings=CONTEXT)


# Options shared by every command that resolves settings.
ProviderOpt = Annotated[str | None, typer.Option(
    "--provider", "-p", metavar="NAME", help="Engine or model provider [default: extractive].",
    show_default=False)]
ModelOpt = Annotated[str | None, typer.Option("--model", "-m", metavar="NAME",
                                              help="Model name.", show_default=False)]
BaseUrlOpt = Annotated[str | None, typer.Option(
    "--base-url", metavar="URL", help="OpenAI-compatible server, e.g. "
    "http://localhost:11434/v1.", show_default=False)]
PromptOpt = Annotated[str | None, typer.Option(
    "--prompt", metavar="TASK[@VERSION]", help="Prompt version [default: brief, the newest].",
    show_default=False)]
LanguageOpt = Annotated[str | None, typer.Option(
    "--language", metavar="CODE", help="The brief's language, ISO 639-1 (model providers "
    "write in it and translate quotes from other languages) [default: en].",
    show_default=False)]
ProfileOpt = Annotated[str | None, typer.Option(
    "--profile", metavar="NAME", help="Named profile from [profiles.NAME] in the config files.",
    show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

#: how a memo shows evidence (``briefer.render.common.Layout``)
Evidence = Enum("Evidence", {name: name for name in EVIDENCE_MODES}, type=str)  # type: ignore[misc]
EvidenceOpt = Annotated[Evidence | None, typer.Option(
    "--evidence", metavar="full|compact|none", help="Evidence list: full (quote, source and "
    "offsets), compact (each quote once; title and URL once in Sources), none (citations "
    "point at Sources) "
    "[default: compact].", case_sensitive=False, show_default=False)]
MaxItemsOpt = Annotated[int | None, typer.Option(
    "--max-items", metavar="N", min=0, help="At most N items per section in the memo; 0: all "
    "[default: all for brief, 4 for daily]. JSON is never cut.", show_default=False)]
MaxStoriesOpt = Annotated[int | None, typer.Option(
    "--max-stories", metavar="N", min=0, help="At most N stories in the memo, the most salient; "
    "0: all [default: 8]. JSON is never cut.", show_default=False)]


def settings_from(provider: str | None = None, model: str | None = None,
              base_url: str | None = None, prompt: str | None = None,
              profile: str | None = None, language: str | None = None) -> Any:
    import briefer.config as config

    flags = {"provider": provider, "model": model, "base_url": base_url, "prompt": prompt,
             "language": language}
    return config.load(flags, profile=profile)


def say_skipped(inputs: list[Any]) -> None:
    """Name on stderr the files of folder inputs skipped as non-articles (references,
    gold files, SOURCES.txt, README.md...)."""
    from briefer.ingest.load import non_articles

    skipped = non_articles(inputs)
    if skipped:
        from briefer.render.formats import plural

        names = ", ".join(p.name for p in skipped[:6]) + (", ..." if len(skipped) > 6 else "")
        say(f"skipped {plural(len(skipped), 'non-article file')} in folders: {names}")


def check_prompt(settings: Any) -> None:
    """An unknown ``--prompt`` (or ``prompt`` setting) is a usage error on every engine, the
    offline one too, though it does not use a prompt: ``brief@9`` never passes silently."""
    from briefer.prompts import PromptStore

    PromptStore(settings.prompts_dir).get(settings.prompt)


#: the output formats, as declared by the renderers (``briefer.render.FORMATS``)
Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]


FormatOpt = Annotated[Format | None, typer.Option(
    "--format", "-f", metavar="|".join(FORMATS), help="Output format (default: the one -o's "
    "suffix names, else md).", case_sensitive=False, show_default=False)]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE", help="Write here (atomically) instead of standard "
    "output.", dir_okay=False, show_default=False)]
TemplateOpt = Annotated[Path | None, typer.Option(
    "--template", metavar="FILE", help="Your own template for the format (Jinja; for docx a "
    "Word file with Jinja tags), rendered sandboxed.", show_default=False)]


def layout_for(doc: Any, settings: Any, evidence: Any = None, max_items: int | None = None,
               max_stories: int | None = None) -> Any:
    """The memo layout from the flags, over the defaults for ``doc`` (brief or daily)."""
    from briefer.render.common import Layout

    return Layout.default(doc, evidence=evidence.value if evidence is not None else None,
                          max_items=max_items, max_stories=max_stories,
                          date_format=settings.date_format)


def table(header: list[str], rows: list[list[str]], as_json: bool) -> None:
    """Rows as an aligned table (rich, loaded only here) or, with ``--json``, a JSON list of
    objects keyed by the header."""
    if as_json:
        import json

        keys = [h.lower().replace(" ", "_") for h in header]
        write_stdout(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], indent=2)
                     + "\n")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    terminal = sys.stdout.isatty()
    out = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    for n, name in enumerate(header):
        last = n == len(header) - 1
        out.add_column(name, no_wrap=not (terminal and last), overflow="fold")
    for row in rows:  # plain text: "pip install 'briefer[groq]'" is no markup tag
        out.add_row(*(Text(str(cell)) for cell in row))
    # piped: one line per row however wide (for grep and diff); a terminal wraps the last
    console = Console(highlight=False, width=None if terminal else 10_000)
    with console.capture() as captured:
        console.print(out)
    write_stdout("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def say(message: str) -> None:
    print(f"briefer: {message}", file=sys.stderr)


def fail(error: BrieferError) -> NoReturn:
    say(f"error: {error}")
    raise typer.Exit(error.exit_code)


def write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `briefer brief x | head`: not an error
        sys.stderr.close()



#: the format an output file's suffix names
_SUFFIX_FORMAT = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html",
                  ".htm": "html", ".docx": "docx"}


def output_format(fmt: Any, output: Path | None) -> str:
    """The format to write: ``--format``, else the one ``-o``'s suffix names, else md. A
    suffix naming another format than ``--format`` (``-f md -o memo.docx``) is a usage
    error, and so is a binary format without a file."""
    named = _SUFFIX_FORMAT.get(output.suffix.lower()) if output is not None else None
    chosen = fmt.value if fmt is not None else named or "md"
    if named is not None and named != chosen:
        raise UsageError(f"--format {chosen} but -o {output} names {named}: drop --format "
                         f"or give -o FILE.{chosen}")
    if chosen in BINARY and output is None:
        raise UsageError(f"--format {chosen} writes a binary file: give -o FILE.{chosen}")
    return chosen


def emit(data: str | bytes, output: Path | None) -> None:
    if output is None:
        assert isinstance(data, str)
        write_stdout(data)
        return
    from briefer.atomic import write_atomic

    write_atomic(output, data)
