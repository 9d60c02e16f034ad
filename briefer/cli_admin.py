"""``briefer providers|config|prompts|cache``: looking at and managing the set-up."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from briefer.cli_shared import (
    BaseUrlOpt,
    LanguageOpt,
    ModelOpt,
    ProfileOpt,
    PromptOpt,
    ProviderOpt,
    fail,
    settings_from,
    write_stdout,
)
from briefer.errors import BrieferError

providers_app = typer.Typer(help="List model providers and check they answer.",
                            no_args_is_help=True, rich_markup_mode=None)
config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True,
                         rich_markup_mode=None)
prompts_app = typer.Typer(help="List, show and compare versioned prompts.",
                          no_args_is_help=True, rich_markup_mode=None)
cache_app = typer.Typer(help="Inspect or empty the brief cache.", no_args_is_help=True,
                        rich_markup_mode=None)


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, how many briefs it holds and its size."""
    from briefer.cache import Cache

    try:
        info = Cache().info()
    except BrieferError as exc:
        fail(exc)
    print(f"{info['path']}: {info['entries']} briefs from {info['engines']} engine settings, "
          f"{info['bytes'] / 1e6:.1f} MB")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached brief."""
    from briefer.cache import Cache

    try:
        count = Cache().clear()
    except BrieferError as exc:
        fail(exc)
    print(f"removed {count} cached briefs")


@providers_app.command("list")
def providers_list(provider: ProviderOpt = None, base_url: BaseUrlOpt = None,
                   profile: ProfileOpt = None) -> None:
    """Each provider: installed?, the key it needs and whether it is set, its base URL."""
    from briefer.providers import status

    try:
        rows = status(settings_from(provider, None, base_url, None, profile).settings)
    except BrieferError as exc:
        fail(exc)
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
        settings = settings_from(name, model, base_url, None, profile).settings
        result = check(settings.provider, settings)
    except BrieferError as exc:
        fail(exc)
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
    import briefer.config as config
    from briefer.providers import provider_class

    try:
        resolved = settings_from(provider, model, base_url, prompt, profile)
        cls = provider_class(resolved.settings.provider)
        secret, origin = config.api_key(cls.name, cls.key_env) if cls.key_env else (None, None)
    except BrieferError as exc:
        fail(exc)
    files = ", ".join(map(str, resolved.files)) or "none"
    print(f"# config files: {files}; profile: {resolved.profile or '-'}")
    for key, value, where in config.describe(resolved):
        print(f"{key} = {value or '-'}\t({where})")
    if cls.key_env:
        state = f"set (from {origin})" if secret else "not set"
        print(f"api key ({cls.key_env}) = {state}")


@prompts_app.command("list")
def prompts_list(profile: ProfileOpt = None) -> None:
    """Every prompt version, the default (newest) marked, and the one used for articles in
    another language than the brief's."""
    from briefer.prompts import PromptStore

    try:
        store = PromptStore(settings_from(profile=profile).settings.prompts_dir)
        prompts = store.all()
    except BrieferError as exc:
        fail(exc)
    default = {p.id: store.get(p.id).version for p in prompts}
    for p in prompts:
        mark = (" (default)" if default[p.id] == p.version
                else " (other languages)" if p.translates else "")
        print(f"{p.ref}{mark}\t{p.description}\t{p.path}")


@prompts_app.command("show")
def prompts_show(
    spec: Annotated[str, typer.Argument(metavar="TASK[@VERSION]")],
    input: Annotated[str | None, typer.Option(
        "--input", help="Render the prompt for this article instead of showing the "
        "template.", show_default=False)] = None,
    profile: ProfileOpt = None,
    language: LanguageOpt = None,
) -> None:
    """The template of a prompt version, or the exact messages for an article."""
    from briefer.prompts import PromptStore

    try:
        settings = settings_from(profile=profile, language=language).settings
        prompt = PromptStore(settings.prompts_dir).get(spec)
        if input is None:
            write_stdout(prompt.source)
            return
        from briefer.engines.llm import brief_prompt
        from briefer.ingest import load

        loaded = load([input], stdin=sys.stdin.buffer)
        if loaded.failures:
            raise loaded.failures[0]
        article = loaded.articles[0]
        rendered = brief_prompt(prompt, article, language=settings.language)
    except BrieferError as exc:
        fail(exc)
    write_stdout(f"--- system ({rendered.prompt.ref}, sha256 {rendered.sha256[:12]})\n"
                  f"{rendered.system}\n--- user\n{rendered.user}\n")


@prompts_app.command("diff")
def prompts_diff(a: Annotated[str, typer.Argument(metavar="A")],
                 b: Annotated[str, typer.Argument(metavar="B")],
                 profile: ProfileOpt = None) -> None:
    """Unified diff of two prompt versions, e.g. brief@1 brief@2."""
    from briefer.prompts import PromptStore

    try:
        text = PromptStore(settings_from(profile=profile).settings.prompts_dir).diff(a, b)
    except BrieferError as exc:
        fail(exc)
    write_stdout(text or f"{a} and {b} are identical\n")


