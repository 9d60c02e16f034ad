"""Ollama's native API through langchain-ollama (``/api/chat``, schema in ``format``)."""

from __future__ import annotations

from typing import Any, ClassVar

from briefer.providers.base import Provider


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
    langchain_provider = "ollama"
    # ChatOllama has no timeout, key or retries of its own: the timeout goes to its client
    setting_names: ClassVar[dict[str, str]] = {
        "temperature": "temperature", "max_tokens": "num_predict", "base_url": "base_url",
        "rate_limiter": "rate_limiter"}

    truncated_reasons = frozenset({"length"})
    sdk_packages = ("ollama", "langchain_ollama")

    def extra_kwargs(self) -> dict[str, Any]:
        return {"num_ctx": self.context_window,
                "client_kwargs": {"timeout": self.settings.timeout}}

    def close(self, chat: Any) -> None:
        # ollama.Client keeps an httpx client per ChatOllama; langchain never closes it.
        client = getattr(getattr(chat, "_client", None), "_client", None)
        if client is not None and hasattr(client, "close"):
            client.close()
