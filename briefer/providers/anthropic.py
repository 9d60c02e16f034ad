"""Anthropic's Messages API through langchain-anthropic (``init_chat_model``)."""

from __future__ import annotations

from briefer.providers.base import Provider


class AnthropicProvider(Provider):
    name = "anthropic"
    description = "Anthropic Claude models"
    requires = "langchain_anthropic"
    extra = "anthropic"
    key_env = "ANTHROPIC_API_KEY"
    needs_key = True
    base_url_env = "ANTHROPIC_BASE_URL"
    default_model = "claude-3-5-haiku-latest"
    structured_output = ("tool_calling", "json_schema")
    default_context_window = 200_000
    langchain_provider = "anthropic"
    placeholder_key = "not-needed"
    batch_api = "anthropic"

    truncated_reasons = frozenset({"max_tokens"})
    sdk_packages = ("anthropic", "langchain_anthropic")

    def transport_errors(self) -> tuple[type[BaseException], ...]:
        import anthropic

        return (*super().transport_errors(), anthropic.APIConnectionError)
