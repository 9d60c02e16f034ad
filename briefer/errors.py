"""One error tree for briefer.

    BrieferError                   base: every failure briefer reports on purpose
    ├── NothingBriefedError(failures)     no input could be briefed: exit 2 or 1
    ├── SourceFailed(source, cause)       a readable source the engine failed on
    ├── UsageError                 a bad request: exit code 2
    │   ├── InputError(source, reason)        an input cannot be read as an article
    │   ├── OutputError(target, reason)       an output cannot be written
    │   ├── ConfigError                       a bad setting
    │   │   ├── MissingKeyError(provider, env_var)
    │   │   └── MissingDependencyError(provider, package, hint)
    │   ├── TemplateError(template, reason)   an output template fails to render
    │   └── UnknownProviderError(name, available)
    └── ProviderError(provider, model, cause)  a runtime failure of a model or engine: exit code 1
        └── TruncatedError                     the model hit max_tokens

The CLI catches ``BrieferError`` only, prints ``str(error)`` as one line on stderr and exits
with ``error.exit_code``. Messages never contain secrets: callers pass names, not values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class BrieferError(Exception):
    """Base class of every error briefer raises on purpose."""

    exit_code = 1

    def __str__(self) -> str:
        # One line, always: a message is printed as a single line on stderr.
        return " ".join(super().__str__().split())


class UsageError(BrieferError):
    """The request itself is wrong (bad input, bad option, bad config)."""

    exit_code = 2


class InputError(UsageError):
    """An input (file, folder, stdin, URL) cannot be turned into an article."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class OutputError(UsageError):
    """An output file cannot be written."""

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        self.reason = reason
        super().__init__(f"cannot write {target}: {reason}")


class ConfigError(UsageError):
    """A setting is missing, unknown or has a bad value."""


class MissingKeyError(ConfigError):
    def __init__(self, provider: str, env_var: str) -> None:
        self.provider = provider
        self.env_var = env_var
        super().__init__(f"provider {provider!r} needs an API key: set {env_var} "
                         "(or add it to the keys file, see `briefer config show`)")


class MissingDependencyError(ConfigError):
    def __init__(self, provider: str, package: str, hint: str) -> None:
        self.provider = provider
        self.package = package
        super().__init__(f"provider {provider!r} needs the {package} package: {hint}")


class TemplateError(UsageError):
    """An output template is missing, broken, or asks for something unsafe."""

    def __init__(self, template: str, reason: str) -> None:
        self.template = template
        self.reason = reason
        super().__init__(f"template {template}: {reason}")


class UnknownProviderError(UsageError):
    def __init__(self, name: str, available: Iterable[str]) -> None:
        self.name = name
        self.available = sorted(available)
        super().__init__(
            f"unknown provider {name!r}; available: {', '.join(self.available)}"
        )


class ProviderError(BrieferError):
    """A model provider or engine failed while condensing an article."""

    def __init__(self, provider: str, model: str | None, cause: str) -> None:
        self.provider = provider
        self.model = model
        self.cause = cause
        where = f"{provider}/{model}" if model else provider
        super().__init__(f"{where}: {cause}")


class TruncatedError(ProviderError):
    """The model stopped at max_tokens before finishing its answer."""


class SourceFailed(BrieferError):
    """A readable source that could not be condensed (the provider failed for it)."""

    def __init__(self, source: str, cause: BrieferError) -> None:
        self.source = source
        self.cause = cause
        self.exit_code = cause.exit_code
        super().__init__(f"{source}: {cause}")


class NothingBriefedError(BrieferError):
    """No input could be briefed; ``failures`` says why for each. Exit code 2 when every
    failure was a bad input, 1 when a provider or engine failed at run time."""

    def __init__(self, failures: Sequence[BrieferError]) -> None:
        self.failures = list(failures)
        self.exit_code = 2 if all(isinstance(f, UsageError) for f in failures) else 1
        shown = "; ".join(str(f) for f in self.failures[:3])
        more = f" (and {len(self.failures) - 3} more)" if len(self.failures) > 3 else ""
        what = "no readable articles" if self.exit_code == 2 else "nothing could be briefed"
        super().__init__(f"{len(self.failures)} inputs: {what}: {shown}{more}")


__all__ = [
    "BrieferError",
    "ConfigError",
    "InputError",
    "MissingDependencyError",
    "MissingKeyError",
    "NothingBriefedError",
    "OutputError",
    "ProviderError",
    "SourceFailed",
    "TemplateError",
    "TruncatedError",
    "UnknownProviderError",
    "UsageError",
]
