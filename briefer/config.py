"""Settings: defaults < user file < project file < selected profile < environment < flags.

* user file: ``$XDG_CONFIG_HOME/briefer/config.toml`` (``~/.config/briefer/config.toml``)
* project file: ``./briefer.toml``
* profile: ``[profiles.NAME]`` in either file, chosen by ``--profile`` or ``BRIEFER_PROFILE``
* environment: ``BRIEFER_<KEY>`` for every key (``BRIEFER_PROVIDER``, ``BRIEFER_MODEL``...)
* flags: ``--provider``, ``--model``, ``--base-url``, ``--prompt``, ``--language``,
  ``--profile``

API keys are never read from these files: only from the provider's environment variable
(``OPENAI_API_KEY``...), ``BRIEFER_API_KEY``, or the keys file
``$XDG_CONFIG_HOME/briefer/keys.toml`` (``openai = "..."``). They are held as ``SecretStr``.
Every effective value remembers where it came from (``briefer config show``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from briefer.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ENV_PREFIX = "BRIEFER_"
PROJECT_FILE = "briefer.toml"
StructuredOutput = Literal["json_schema", "json_mode", "tool_calling"]


class Settings(BaseModel):
    """Everything a run can be configured with. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    provider: str = "extractive"
    model: str | None = None
    base_url: str | None = None
    prompt: str = "brief"
    #: the reader's language (ISO 639-1): model engines write the brief in it, with each
    #: quote kept verbatim in its source's language and translated beside it
    language: str = "en"
    prompts_dir: Path | None = None
    structured_output: StructuredOutput | None = None
    json_mode_schema: bool = False
    timeout: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.0, ge=0, le=2)
    max_tokens: int = Field(default=2048, gt=0)
    context_window: int | None = Field(default=None, gt=0)
    requests_per_second: float | None = Field(default=None, gt=0)
    concurrency: int = Field(default=4, ge=1, le=64)
    drop_unverified: bool = False
    fuzzy_threshold: float = Field(default=85.0, ge=50, le=100)
    #: USD per million tokens by model, for `briefer eval`'s cost estimate:
    #: [prices."gpt-4o-mini"] input = 0.15, output = 0.60
    prices: dict[str, dict[str, float]] = Field(default_factory=dict)
    #: send the condense calls through the provider's batch API (``--batch``)
    batch: bool = False
    #: seconds between two polls of a batch job, and how long to wait before giving up
    #: (the job id is kept: the same command later picks the job up again)
    batch_poll_interval: float = Field(default=30.0, gt=0)
    batch_timeout: float = Field(default=86_400.0, gt=0)
    #: batch price as a share of the live price, unless [prices.MODEL] gives
    #: batch_input / batch_output (OpenAI and Anthropic: 50%)
    batch_discount: float = Field(default=0.5, ge=0, le=1)
    #: a folder with your own brief.md.j2 / daily.md.j2 / *.html.j2 / memo.docx /
    #: daily.docx; each file found there replaces the shipped one (--template still wins)
    templates_dir: Path | None = None
    #: how memos write dates (strftime), the same in every format: "%d %B %Y" -> 02 December
    #: 2026; "%Y-%m-%d" -> 2026-12-02
    date_format: str = "%d %B %Y"
    memo_to: str | None = None
    memo_from: str | None = None
    classification: str | None = None
    #: hosts ("name" or "name:port") that feeds, links and redirects may send briefer to even
    #: when they resolve to loopback/private/link-local addresses (see briefer/safety.py)
    allow_hosts: list[str] = []
    api_key: SecretStr | None = None

    @field_validator("allow_hosts", mode="before")
    @classmethod
    def _hosts_list(cls, value: Any) -> Any:
        """``BRIEFER_ALLOW_HOSTS=a.example,b.example:8080`` as well as a TOML list."""
        if isinstance(value, str):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str) -> str:
        from datetime import date

        if "%" not in value or not date(2026, 12, 2).strftime(value).strip():
            raise ValueError("a strftime format such as '%d %B %Y' or '%Y-%m-%d'")
        return value

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str) -> str:
        """An ISO 639-1 code, any case: ``ES`` is ``es``."""
        code = value.strip().lower()
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise ValueError("give an ISO 639-1 code such as en, es, fr, zh, ar")
        return code

    @field_validator("provider")
    @classmethod
    def _provider_name(cls, value: str) -> str:
        """Provider names are case-insensitive everywhere: ``Extractive`` is ``extractive``."""
        return value.strip().lower()

    def memo(self) -> dict[str, str | None]:
        """Memo header and banner for docx/html output."""
        return {"to": self.memo_to, "from": self.memo_from,
                "classification": self.classification}

    def __repr__(self) -> str:  # SecretStr already masks; keep repr short and safe
        shown = ", ".join(f"{k}={v!r}" for k, v in self.model_dump().items()
                          if v is not None and k != "api_key")
        return f"Settings({shown}, api_key={'set' if self.api_key else None})"

    __str__ = __repr__


FILE_KEYS = frozenset(Settings.model_fields) - {"api_key"}


@dataclass
class Resolved:
    """Effective settings plus where each value came from."""

    settings: Settings
    origins: dict[str, str] = field(default_factory=dict)
    profile: str | None = None
    files: list[Path] = field(default_factory=list)


def load_file(path: Path) -> Settings:
    """Settings from one TOML file over the defaults (``briefer eval --compare FILE``)."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    top, _, text = _read_file(path)
    return _validated(top, {key: _where(path, text, key) for key in top})


def _validated(values: Mapping[str, Any], origins: Mapping[str, str]) -> Settings:
    """Settings from resolved values; a bad one is named with where it came from."""
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else "?"
        raise ConfigError(f"{origins.get(key, 'settings')}: bad value for {key!r}: "
                          f"{error['msg']}") from None


def user_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "briefer"


def config_files(cwd: Path | None = None) -> list[Path]:
    """The config files that exist, lowest precedence first."""
    candidates = [user_config_dir() / "config.toml", (cwd or Path.cwd()) / PROJECT_FILE]
    return [p for p in candidates if p.is_file()]


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _where(path: Path, text: str, key: str) -> str:
    line = _line_of(text, key)
    return f"{path}:{line}" if line else str(path)


def _read_file(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]], str]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc
    profiles = data.pop("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ConfigError(f"{_where(path, text, 'profiles')}: [profiles.NAME] must be tables")
    for scope in (data, *profiles.values()):
        _check_keys(scope, path, text)
    return data, profiles, text


def _check_keys(values: Mapping[str, Any], path: Path, text: str) -> None:
    for key in values:
        if key == "api_key" or key.endswith("_api_key"):
            raise ConfigError(
                f"{_where(path, text, key)}: API keys are not read from config files; set the "
                "provider's environment variable or use the keys file "
                f"{user_config_dir() / 'keys.toml'}")
        if key not in FILE_KEYS:
            hint = _close_match(key)
            raise ConfigError(f"{_where(path, text, key)}: unknown key {key!r}{hint}")


def _close_match(key: str) -> str:
    import difflib

    match = difflib.get_close_matches(key, sorted(FILE_KEYS), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _env_values(environ: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for name, value in environ.items():
        if name.startswith(ENV_PREFIX) and name != f"{ENV_PREFIX}PROFILE":
            key = name[len(ENV_PREFIX) :].lower()
            if key in FILE_KEYS:
                out[key] = value
    return out


def load(flags: Mapping[str, Any] | None = None, *, profile: str | None = None,
         environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Resolved:
    """Resolve settings from every layer. ``flags`` holds only options given on the CLI."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins: dict[str, str] = {key: "default" for key in FILE_KEYS}
    all_profiles: dict[str, tuple[dict[str, Any], Path, str]] = {}
    files = config_files(cwd)
    for path in files:
        top, profiles, text = _read_file(path)
        for key, value in top.items():
            values[key] = value
            origins[key] = _where(path, text, key)
        for name, table in profiles.items():
            merged = {**all_profiles.get(name, ({}, path, text))[0], **table}
            all_profiles[name] = (merged, path, text)
    chosen = profile or environ.get(f"{ENV_PREFIX}PROFILE") or None
    if chosen:
        if chosen not in all_profiles:
            known = ", ".join(sorted(all_profiles)) or "none defined"
            raise ConfigError(f"unknown profile {chosen!r} (profiles: {known})")
        table, path, text = all_profiles[chosen]
        for key, value in table.items():
            values[key] = value
            origins[key] = f"profile {chosen} ({_where(path, text, key)})"
    for key, value in _env_values(environ).items():
        values[key] = value
        origins[key] = f"env {ENV_PREFIX}{key.upper()}"
    for key, value in (flags or {}).items():
        if value is not None:
            values[key] = value
            origins[key] = f"flag --{key.replace('_', '-')}"
    return Resolved(_validated(values, origins), origins, chosen, files)


# --- secrets -------------------------------------------------------------------------------

def keys_file() -> Path:
    return user_config_dir() / "keys.toml"


def api_key(provider: str, env_var: str | None,
            environ: Mapping[str, str] | None = None) -> tuple[SecretStr | None, str | None]:
    """The key for ``provider`` and where it came from (never the key in any message)."""
    environ = os.environ if environ is None else environ
    for name in filter(None, (env_var, f"{ENV_PREFIX}API_KEY")):
        if environ.get(name):
            return SecretStr(environ[name]), f"env {name}"
    path = keys_file()
    if path.is_file():
        try:
            keys = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot be read as TOML ({type(exc).__name__})") from None
        value = keys.get(provider)
        if isinstance(value, str) and value:
            return SecretStr(value), f"keys file {path}"
    return None, None


def describe(resolved: Resolved) -> list[tuple[str, str, str]]:
    """``(key, value, origin)`` rows for ``briefer config show``; keys are never shown."""
    rows = []
    data = resolved.settings.model_dump(exclude={"api_key"})
    for key in sorted(data):
        value = data[key]
        rows.append((key, "" if value is None else str(value), resolved.origins.get(key, "")))
    return rows
