"""Anthropic's Messages API through langchain-anthropic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefer.providers.base import Provider, rate_limiter

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


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

    truncated_reasons = frozenset({"max_tokens"})
    sdk_packages = ("anthropic", "langchain_anthropic")

    def transport_errors(self) -> tuple[type[BaseException], ...]:
        import anthropic

        return (*super().transport_errors(), anthropic.APIConnectionError)

    def build(self) -> BaseChatModel:
        from langchain_anthropic import ChatAnthropic

        s = self.settings
        key = self.key()
        return ChatAnthropic(  # type: ignore[call-arg]
            model=self.model,
            api_key=key.get_secret_value() if key else "not-needed",  # type: ignore[arg-type]
            timeout=s.timeout,
            max_retries=0,  # briefer retries itself: briefer/providers/retry.py
            temperature=s.temperature,
            max_tokens=s.max_tokens,
            rate_limiter=rate_limiter(s.requests_per_second),
            base_url=self.base_url,
        )
