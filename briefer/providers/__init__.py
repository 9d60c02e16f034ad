"""Provider registry. Built-ins and third-party packages register the same way, through
the ``briefer.providers`` entry-point group::

    [project.entry-points."briefer.providers"]
    myprovider = "mypackage.briefer_plugin:MyProvider"   # a briefer.providers.base.Provider

Providers only build chat models; they know nothing of briefs. Besides the registered
names, ``model = "provider:model"`` picks a provider by prefix (:func:`resolve`): a
registered one, or any other provider LangChain's ``init_chat_model`` knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points

from briefer.config import Settings
from briefer.errors import ConfigError, UnknownProviderError
from briefer.providers.base import Provider, scrub

GROUP = "briefer.providers"


@lru_cache(maxsize=1)
def registry() -> dict[str, type[Provider]]:
    """name -> provider class, from every installed distribution's entry points."""
    found: dict[str, type[Provider]] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plugin must not break briefer
            raise ConfigError(f"provider plugin {ep.name!r} ({ep.value}) failed to load: "
                              f"{type(exc).__name__}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, Provider)):
            raise ConfigError(f"provider plugin {ep.name!r} ({ep.value}) is not a "
                              "briefer.providers.base.Provider")
        found.setdefault(ep.name, cls)
    return found


#: init_chat_model's provider names and the package each needs (from langchain's
#: ``_BUILTIN_PROVIDERS``), so a prefix is recognised without importing langchain
LANGCHAIN_PROVIDERS: dict[str, str] = {
    "anthropic": "langchain_anthropic", "anthropic_bedrock": "langchain_aws",
    "azure_ai": "langchain_azure_ai", "azure_openai": "langchain_openai",
    "baseten": "langchain_baseten", "bedrock": "langchain_aws",
    "bedrock_converse": "langchain_aws", "cohere": "langchain_cohere",
    "deepseek": "langchain_deepseek", "fireworks": "langchain_fireworks",
    "google_anthropic_vertex": "langchain_google_vertexai",
    "google_genai": "langchain_google_genai", "google_vertexai": "langchain_google_vertexai",
    "groq": "langchain_groq", "huggingface": "langchain_huggingface", "ibm": "langchain_ibm",
    "litellm": "langchain_litellm", "mistralai": "langchain_mistralai",
    "nvidia": "langchain_nvidia_ai_endpoints", "ollama": "langchain_ollama",
    "openai": "langchain_openai", "openrouter": "langchain_openrouter",
    "perplexity": "langchain_perplexity", "together": "langchain_together",
    "upstage": "langchain_upstage", "xai": "langchain_xai",
}


def provider_class(name: str) -> type[Provider]:
    providers = registry()
    key = name.strip().lower()
    if key in providers:
        return providers[key]
    if key in LANGCHAIN_PROVIDERS:
        from briefer.providers.partners import generic

        return generic(key, LANGCHAIN_PROVIDERS[key])
    raise UnknownProviderError(name, providers)


def split_model(model: str | None) -> tuple[str | None, str | None]:
    """``"mistralai:mistral-large-latest"`` -> ("mistralai", "mistral-large-latest"); a model
    whose prefix names no provider (Ollama's ``qwen2.5:3b``) is left whole."""
    if model and ":" in model:
        prefix, rest = model.split(":", 1)
        name = prefix.strip().lower()
        if rest and (name in LANGCHAIN_PROVIDERS or name in registry()):
            return name, rest
    return None, model


def resolve(settings: Settings) -> Settings:
    """Settings with ``model = "provider:model"`` split into provider and model. A prefix
    that contradicts an explicitly chosen provider is a :class:`ConfigError`."""
    prefix, model = split_model(settings.model)
    if prefix is None:
        return settings
    if settings.provider not in ("extractive", prefix):
        raise ConfigError(f"model {settings.model!r} names provider {prefix!r} but provider is "
                          f"{settings.provider!r}: drop one of them")
    return settings.model_copy(update={"provider": prefix, "model": model})




# --- what `briefer providers list|check` report ---------------------------------------------


@dataclass(frozen=True)
class Status:
    name: str
    description: str
    installed: bool
    install_hint: str
    key_env: str | None
    key_state: str  # "set (from ...)", "not set", "not needed"
    base_url: str | None
    structured_output: tuple[str, ...]
    batch: str | None = None  # the provider's batch API, if any (``--batch``)


def status(settings: Settings) -> list[Status]:
    """One row per registered provider; never contains a key."""
    from briefer.config import api_key

    rows = []
    for name, cls in sorted(registry().items()):
        if cls.key_env:
            secret, origin = api_key(name, cls.key_env)
            key_state = f"set (from {origin})" if secret else "not set"
        else:
            key_state = "not needed"
        provider = cls(settings.model_copy(update={"base_url": settings.base_url
                                                   if settings.provider == name else None}))
        rows.append(Status(name, cls.description, cls.installed(), cls.install_hint(),
                           cls.key_env, key_state, provider.base_url if cls.chat else None,
                           cls.structured_output, cls.batch_api))
    return rows


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    model: str | None
    seconds: float
    detail: str


def check(name: str, settings: Settings) -> Check:
    """One tiny real call: latency and the model that answered, or the error."""
    import time

    from briefer.errors import BrieferError

    if name == settings.provider:  # `model = "provider:model"` names it
        settings = resolve(settings)
        name = settings.provider
    cls = provider_class(name)
    if not cls.chat:
        return Check(name, True, None, 0.0, "offline engine, nothing to call")
    provider = cls(settings.model_copy(update={"max_tokens": 16}))
    start = time.perf_counter()
    try:
        chat = provider.chat_model()
        reply = chat.invoke([("user", "Reply with the single word: ok")])
    except BrieferError as exc:
        return Check(name, False, settings.model, time.perf_counter() - start, str(exc))
    except Exception as exc:
        return Check(name, False, provider.model, time.perf_counter() - start,
                     scrub(f"{type(exc).__name__}: {exc}").splitlines()[0][:300])
    meta = getattr(reply, "response_metadata", {}) or {}
    model = meta.get("model_name") or meta.get("model") or provider.model
    text = str(getattr(reply, "content", "")).strip().splitlines()
    return Check(name, True, model, time.perf_counter() - start,
                 f"replied {text[0][:40]!r}" if text else "replied")


__all__ = ["GROUP", "LANGCHAIN_PROVIDERS", "Check", "Provider", "Status", "check",
           "provider_class", "registry", "resolve", "split_model", "status"]
