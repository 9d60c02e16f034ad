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

from briefer.errors import BrieferError, UsageError
from briefer.render.formats import BINARY, FORMATS

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
LanguageOpt = Annotated[str | None, typer.Option(
    "--language", help="The brief's language, ISO 639-1 (model providers write in it and "
    "translate quotes from other languages) [default: en].", show_default=False)]
ProfileOpt = Annotated[str | None, typer.Option(
    "--profile", help="Named profile from [profiles.NAME] in the config files.",
    show_default=False)]


def settings_from(provider: str | None = None, model: str | None = None,
              base_url: str | None = None, prompt: str | None = None,
              profile: str | None = None, language: str | None = None) -> Any:
    import briefer.config as config

    flags = {"provider": provider, "model": model, "base_url": base_url, "prompt": prompt,
             "language": language}
    return config.load(flags, profile=profile)


#: the output formats, as declared by the renderers (``briefer.render.FORMATS``)
Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]
MARKDOWN = Format("md")


FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", help="Output format.", case_sensitive=False)]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write here (atomically) instead of standard output.",
    dir_okay=False, show_default=False)]
TemplateOpt = Annotated[Path | None, typer.Option(
    "--template", help="Your own template for the format (Jinja; for docx a Word file with "
    "Jinja tags), rendered sandboxed.", show_default=False)]


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



def needs_file(fmt: Any, output: Path | None) -> None:
    if fmt.value in BINARY and output is None:
        raise UsageError(f"--format {fmt.value} writes a binary file: give -o FILE.{fmt.value}")


def emit(data: str | bytes, output: Path | None) -> None:
    if output is None:
        assert isinstance(data, str)
        write_stdout(data)
        return
    from briefer.atomic import write_atomic

    write_atomic(output, data)
