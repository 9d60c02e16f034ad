"""What a provider is: a factory from :class:`~briefer.config.Settings` to a LangChain chat
model, with what it needs declared as data on the class."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any, ClassVar

from briefer.config import Settings, api_key
from briefer.errors import ConfigError, MissingDependencyError, MissingKeyError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from pydantic import SecretStr

# briefer's names for structured output -> LangChain's ``with_structured_output(method=)``.
LANGCHAIN_METHOD = {"json_schema": "json_schema", "json_mode": "json_mode",
                    "tool_calling": "function_calling"}


class Provider:
    """A model provider. Subclasses set the class attributes and :meth:`build`."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    #: import name that must be present, and the briefer extra that installs it
    requires: ClassVar[str | None] = None
    extra: ClassVar[str | None] = None
    #: environment variable with the API key; None when no key is used
    key_env: ClassVar[str | None] = None
    #: whether a key is needed when no base_url points at a local server
    needs_key: ClassVar[bool] = False
    base_url_env: ClassVar[str | None] = None
    default_base_url: ClassVar[str | None] = None
    default_model: ClassVar[str | None] = None
    #: supported structured-output methods, the default first
    structured_output: ClassVar[tuple[str, ...]] = ("json_schema",)
    default_context_window: ClassVar[int] = 8192
    #: False for engines that are not chat models (the extractive engine)
    chat: ClassVar[bool] = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # -- facts for `providers list` ----------------------------------------------------------

    @classmethod
    def installed(cls) -> bool:
        return cls.requires is None or importlib.util.find_spec(cls.requires) is not None

    @classmethod
    def install_hint(cls) -> str:
        return f"pip install 'briefer[{cls.extra}]'" if cls.extra else ""

    # -- resolved settings -------------------------------------------------------------------

    @property
    def model(self) -> str:
        model = self.settings.model or self.default_model
        if not model:
            raise ConfigError(f"provider {self.name!r} needs a model: set `model` in "
                              "briefer.toml, BRIEFER_MODEL or --model")
        return model

    @property
    def base_url(self) -> str | None:
        import os

        from_env = os.environ.get(self.base_url_env) if self.base_url_env else None
        return self.settings.base_url or from_env or self.default_base_url

    @property
    def method(self) -> str:
        method = self.settings.structured_output or self.structured_output[0]
        if method not in self.structured_output:
            raise ConfigError(f"provider {self.name!r} does not support structured_output = "
                              f"{method!r}; choose one of: {', '.join(self.structured_output)}")
        return method

    @property
    def context_window(self) -> int:
        return self.settings.context_window or self.default_context_window

    def key(self) -> SecretStr | None:
        """The API key; :class:`MissingKeyError` when one is needed and absent."""
        if self.settings.api_key is not None:
            return self.settings.api_key
        if self.key_env is None:
            return None
        secret, _ = api_key(self.name, self.key_env)
        if secret is None and self.needs_key and not self.settings.base_url:
            raise MissingKeyError(self.name, self.key_env)
        return secret

    def _import(self) -> None:
        if self.requires and importlib.util.find_spec(self.requires) is None:
            raise MissingDependencyError(self.name, self.requires, self.install_hint())

    # -- the factory -------------------------------------------------------------------------

    def chat_model(self) -> BaseChatModel:
        self._import()
        return self.build()

    def build(self) -> BaseChatModel:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self, chat: Any) -> None:
        """Release what ``chat`` holds open (HTTP clients); called once a run is done."""

    def structured_kwargs(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Extra keyword arguments for ``with_structured_output`` (provider quirks)."""
        return {}


def rate_limiter(requests_per_second: float | None) -> Any:
    """LangChain's in-memory rate limiter for ``requests_per_second`` (config), or None."""
    if requests_per_second is None:
        return None
    from langchain_core.rate_limiters import InMemoryRateLimiter

    return InMemoryRateLimiter(requests_per_second=requests_per_second,
                               check_every_n_seconds=0.05, max_bucket_size=1)
