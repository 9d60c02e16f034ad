"""What a provider is: a factory from :class:`~briefer.config.Settings` to a LangChain chat
model, with what it needs declared as data on the class.

Most providers build through LangChain's ``init_chat_model``: the class names the LangChain
provider (``langchain_provider``) and how briefer's settings are spelled for its chat class
(``setting_names``); :meth:`Provider.chat_kwargs` maps them, always with ``max_retries=0``
(briefer retries itself, :mod:`briefer.providers.retry`).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from briefer.config import Settings, api_key
from briefer.errors import ConfigError, MissingDependencyError, MissingKeyError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from pydantic import SecretStr

_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]+|(Bearer\s+)\S+|(key=)[^&\s]+")


def scrub(message: str) -> str:
    """Provider error messages sometimes echo part of a key: cut it."""
    return _SECRET.sub(lambda m: (m.group(1) or m.group(2) or m.group(3) or "") + "***", message)


T = TypeVar("T")

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
    #: ``init_chat_model``'s name for this provider; None when :meth:`build` is the class's own
    langchain_provider: ClassVar[str | None] = None
    #: briefer setting -> the chat class's keyword argument; settings not named are not sent
    setting_names: ClassVar[dict[str, str]] = {
        "timeout": "timeout", "max_tokens": "max_tokens", "temperature": "temperature",
        "base_url": "base_url", "api_key": "api_key", "max_retries": "max_retries",
        "rate_limiter": "rate_limiter"}
    #: briefer's structured-output names -> ``with_structured_output(method=)`` for this class
    method_names: ClassVar[dict[str, str]] = {}
    #: sent as the key when none is set (SDKs that insist on one, talking to a local server)
    placeholder_key: ClassVar[str | None] = None
    #: the provider's batch API (:mod:`briefer.providers.batch`), by name; None: no batch API
    batch_api: ClassVar[str | None] = None

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # -- facts for `providers list` ----------------------------------------------------------

    @classmethod
    def packages(cls) -> tuple[str, ...]:
        """Import names that must be present (``langchain`` too for init_chat_model)."""
        found = (cls.requires,) if cls.requires else ()
        return (*found, "langchain") if cls.langchain_provider else found

    @classmethod
    def installed(cls) -> bool:
        return all(importlib.util.find_spec(name) is not None for name in cls.packages())

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
        for name in self.packages():
            if importlib.util.find_spec(name) is None:
                raise MissingDependencyError(self.name, name, self.install_hint())

    # -- the factory -------------------------------------------------------------------------

    def chat_model(self) -> BaseChatModel:
        self._import()
        return self.build()

    def build(self) -> BaseChatModel:
        """The chat model, through LangChain's ``init_chat_model``."""
        if self.langchain_provider is None:  # pragma: no cover - a subclass's own build()
            raise NotImplementedError
        from langchain.chat_models import init_chat_model

        return init_chat_model(self.model, model_provider=self.langchain_provider,
                               **self.chat_kwargs())

    def chat_kwargs(self) -> dict[str, Any]:
        """briefer's settings in the chat class's own words (``setting_names``), plus
        :meth:`extra_kwargs`. The SDK never retries: ``max_retries=0``."""
        s = self.settings
        key = self.key() if "api_key" in self.setting_names else None
        values: dict[str, Any] = {
            "timeout": s.timeout, "max_tokens": s.max_tokens, "temperature": s.temperature,
            "base_url": self.base_url,
            "api_key": key.get_secret_value() if key else self.placeholder_key,
            "max_retries": 0, "rate_limiter": rate_limiter(s.requests_per_second)}
        out = {self.setting_names[name]: value for name, value in values.items()
               if name in self.setting_names and value is not None}
        out.update(self.extra_kwargs())
        return out

    def extra_kwargs(self) -> dict[str, Any]:
        """Keyword arguments only this provider's chat class takes."""
        return {}

    def langchain_method(self, method: str | None = None) -> str:
        """``with_structured_output(method=)`` for briefer's ``method``."""
        method = method or self.method
        return self.method_names.get(method) or LANGCHAIN_METHOD[method]

    def close(self, chat: Any) -> None:
        """Release what ``chat`` holds open (HTTP clients); called once a run is done."""

    def structured_kwargs(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Extra keyword arguments for ``with_structured_output`` (provider quirks)."""
        return {}

    # -- quirks of the provider's protocol and SDK -------------------------------------------

    #: finish reasons that mean the answer stopped at max_tokens
    truncated_reasons: ClassVar[frozenset[str]] = frozenset({"length"})
    #: packages whose own code may raise on a malformed answer (a proxy's HTML page)
    sdk_packages: ClassVar[tuple[str, ...]] = ()

    def finish_reason(self, raw: Any) -> str | None:
        """Why the model stopped, from a LangChain message's response metadata."""
        meta = getattr(raw, "response_metadata", None) or {}
        reason = (meta.get("finish_reason") or meta.get("stop_reason")
                  or meta.get("done_reason") or meta.get("stopReason"))
        return str(reason) if reason else None

    def truncated(self, raw: Any) -> bool:
        return self.finish_reason(raw) in self.truncated_reasons

    def truncation_error(self, exc: BaseException) -> bool:
        """The SDK itself refused an answer cut off at max_tokens."""
        return False

    def transport_errors(self) -> tuple[type[BaseException], ...]:
        """Exception classes that mean the request or answer was lost on the way."""
        import httpx

        return (httpx.TransportError, TimeoutError, ConnectionError)

    def malformed(self, exc: BaseException) -> bool:
        """The SDK choked on an answer that is not its protocol (an HTML error page): an
        AttributeError/TypeError raised inside the SDK's own code, never inside briefer's."""
        return isinstance(exc, (AttributeError, TypeError)) and raised_in(exc, self.sdk_packages)

    def retryable(self, exc: BaseException) -> bool:
        """Transient: transport errors and timeouts, HTTP 408/409/429/5xx, a malformed answer.
        Never a bad key, an exhausted quota, a bad request, or a bug in briefer."""
        from briefer.errors import BrieferError
        from briefer.providers import retry

        if isinstance(exc, BrieferError) or retry.hopeless(exc) or self.schema_rejected(exc):
            return False
        status = retry.status_of(exc)
        if status is not None and status >= 400:  # (a 2xx here is the response it rode on)
            return status in retry.RETRY_STATUS
        return isinstance(exc, self.transport_errors()) or self.malformed(exc)

    def schema_rejected(self, exc: BaseException) -> bool:
        """A compatible server that takes ``response_format`` of type text or json_object
        only (llama.cpp's servers answer a json_schema with HTTP 400 or 500 saying so)."""
        from briefer.providers import retry

        if retry.status_of(exc) not in (400, 422, 500):
            return False
        message = f"{exc} {getattr(exc, 'body', '')}".lower()
        return "response_format" in message and "json_object" in message and "text" in message

    def retry_after(self, exc: BaseException) -> float | None:
        from briefer.providers import retry

        return retry.retry_after_header(retry.headers_of(exc))

    def call(self, fn: Callable[[], T]) -> T:
        """``fn()`` (one request to the model) under briefer's retry policy."""
        from briefer.providers import retry

        return retry.call(fn, self.settings.max_retries, retryable=self.retryable,
                          retry_after=self.retry_after)


def raised_in(exc: BaseException, packages: tuple[str, ...]) -> bool:
    """Whether the innermost frame of ``exc`` is in one of ``packages`` (site-packages)."""
    tb = exc.__traceback__
    if tb is None or not packages:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = tb.tb_frame.f_code.co_filename.replace("\\", "/")
    return any(f"/{package}/" in filename for package in packages)


def rate_limiter(requests_per_second: float | None) -> Any:
    """LangChain's in-memory rate limiter for ``requests_per_second`` (config), or None."""
    if requests_per_second is None:
        return None
    from langchain_core.rate_limiters import InMemoryRateLimiter

    return InMemoryRateLimiter(requests_per_second=requests_per_second,
                               check_every_n_seconds=0.05, max_bucket_size=1)
