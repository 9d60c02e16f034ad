"""Ollama's native API through langchain-ollama (``/api/chat``, schema in ``format``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefer.providers.base import Provider, rate_limiter

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class OllamaProvider(Provider):
    name = "ollama"
    description = "a local Ollama server, native API"
    requires = "langchain_ollama"
    extra = "ollama"
    base_url_env = "OLLAMA_HOST"
    default_base_url = "http://localhost:11434"
    default_model = "llama3.2"
    structured_output = ("json_schema", "json_mode", "tool_calling")
    default_context_window = 8192

    truncated_reasons = frozenset({"length"})
    sdk_packages = ("ollama", "langchain_ollama")

    def build(self) -> BaseChatModel:
        from langchain_ollama import ChatOllama

        s = self.settings
        return ChatOllama(
            model=self.model,
            base_url=self.base_url,
            temperature=s.temperature,
            num_predict=s.max_tokens,
            num_ctx=self.context_window,
            client_kwargs={"timeout": s.timeout},
            rate_limiter=rate_limiter(s.requests_per_second),
        )

    def close(self, chat: Any) -> None:
        # ollama.Client keeps an httpx client per ChatOllama; langchain never closes it.
        client = getattr(getattr(chat, "_client", None), "_client", None)
        if client is not None and hasattr(client, "close"):
            client.close()
