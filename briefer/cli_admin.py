"""``briefer providers|config|prompts|cache``: looking at and managing the set-up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from briefer.cli_shared import (
    BaseUrlOpt,
    Command,
    JsonOpt,
    LanguageOpt,
    ModelOpt,
    ProfileOpt,
    PromptOpt,
    ProviderOpt,
    fail,
    settings_from,
    sub_app,
    table,
    write_stdout,
)
from briefer.errors import BrieferError

providers_app = sub_app("List model providers and check they answer.")
config_app = sub_app("Show the effective configuration.")
prompts_app = sub_app("List, show and compare versioned prompts.")
cache_app = sub_app("Inspect or empty the brief cache.")


@cache_app.command("info", cls=Command)
def cache_info() -> None:
    """Where the cache is, how many briefs it holds and its size."""
    from briefer.cache import Cache

    try:
        info = Cache().info()
    except BrieferError as exc:
        fail(exc)
    print(f"{info['path']}: {info['entries']} briefs from {info['engines']} engine settings, "
          f"{info['bytes'] / 1e6:.1f} MB")


@cache_app.command("clear", cls=Command)
def cache_clear() -> None:
    """Delete every cached brief."""
    from briefer.cache import Cache

    try:
        count = Cache().clear()
    except BrieferError as exc:
        fail(exc)
    print(f"removed {count} cached briefs")


@providers_app.command("list", cls=Command)
def providers_list(provider: ProviderOpt = None, base_url: BaseUrlOpt = None,
                   profile: ProfileOpt = None, as_json: JsonOpt = False) -> None:
    """Each provider: installed?, the key it needs and whether it is set, its base URL.
    With --provider, only that one."""
    from briefer.errors import UnknownProviderError
    from briefer.providers import status

    try:
        rows = status(settings_from(provider, None, base_url, None, profile).settings)
        if provider is not None:
            wanted = provider.strip().lower()
            if not any(r.name == wanted for r in rows):
                raise UnknownProviderError(provider, [r.name for r in rows])
            rows = [r for r in rows if r.name == wanted]
    except BrieferError as exc:
        fail(exc)
    table(["provider", "installed", "key", "base url", "structured output", "batch",
           "description"],
          [[r.name, "yes" if r.installed else f"no ({r.install_hint})",
            f"{r.key_env}: {r.key_state}" if r.key_env else "not needed",
            r.base_url or "-", ", ".join(r.structured_output) or "-", r.batch or "-",
            r.description]
           for r in rows], as_json)


@providers_app.command("check", cls=Command)
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


@config_app.command("show", cls=Command)
def config_show(provider: ProviderOpt = None, model: ModelOpt = None,
                base_url: BaseUrlOpt = None, prompt: PromptOpt = None,
                profile: ProfileOpt = None, as_json: JsonOpt = False) -> None:
    """The effective settings and where each came from, and every file read (config files
    and the keys file); API keys only as set/not set."""
    import briefer.config as config
    from briefer.providers import provider_class

    try:
        resolved = settings_from(provider, model, base_url, prompt, profile)
        cls = provider_class(resolved.settings.provider)
        secret, origin = config.api_key(cls.name, cls.key_env) if cls.key_env else (None, None)
        candidates = [config.user_config_dir() / "config.toml",
                      Path.cwd() / config.PROJECT_FILE]
    except BrieferError as exc:
        fail(exc)
    keys = config.keys_file()
    files = [[str(p), "config", "read" if p in resolved.files else "not present"]
             for p in candidates]
    files.append([str(keys), "API keys", "read" if keys.is_file() else "not present"])
    rows = [[key, value or "-", where] for key, value, where in config.describe(resolved)]
    if cls.key_env:
        rows.append([f"api key ({cls.key_env})",
                     f"set (from {origin})" if secret else "not set", "-"])
    if as_json:
        import json

        write_stdout(json.dumps({
            "files": [dict(zip(("path", "kind", "state"), f, strict=True)) for f in files],
            "profile": resolved.profile,
            "settings": [dict(zip(("key", "value", "origin"), r, strict=True)) for r in rows],
        }, indent=2) + "\n")
        return
    table(["file", "kind", "state"], files, False)
    print(f"\nprofile: {resolved.profile or '-'}\n")
    table(["key", "value", "from"], rows, False)


@prompts_app.command("list", cls=Command)
def prompts_list(profile: ProfileOpt = None, as_json: JsonOpt = False) -> None:
    """Every prompt version, the default (newest) marked, and the one used for articles in
    another language than the brief's."""
    from briefer.prompts import PromptStore

    try:
        store = PromptStore(settings_from(profile=profile).settings.prompts_dir)
        prompts = store.all()
    except BrieferError as exc:
        fail(exc)
    default = {p.id: store.get(p.id).version for p in prompts}
    table(["prompt", "default", "description", "path"],
          [[p.ref, "yes" if default[p.id] == p.version
            else "other languages" if p.translates else "", p.description, str(p.path)]
           for p in prompts], as_json)


@prompts_app.command("show", cls=Command)
def prompts_show(
    spec: Annotated[str, typer.Argument(metavar="TASK[@VERSION]")],
    input: Annotated[str | None, typer.Option(
        "--input", metavar="FILE", help="Render the prompt for this article instead of showing the "
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


@prompts_app.command("diff", cls=Command)
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


