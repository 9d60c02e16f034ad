"""OpenAI, and every OpenAI-compatible server (Ollama /v1, llama.cpp, vLLM, LM Studio,
OpenRouter) through ``base_url``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefer.providers.base import Provider

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# OpenAI's SDK insists on a key even for local servers that ignore it.
LOCAL_PLACEHOLDER_KEY = "not-needed"


class OpenAIProvider(Provider):
    name = "openai"
    description = "OpenAI API or any OpenAI-compatible server via base_url"
    requires = "langchain_openai"
    extra = "openai"
    key_env = "OPENAI_API_KEY"
    needs_key = True
    base_url_env = "OPENAI_BASE_URL"
    default_model = "gpt-4o-mini"
    structured_output = ("json_schema", "json_mode", "tool_calling")
    default_context_window = 128_000

    placeholder_key = LOCAL_PLACEHOLDER_KEY
    batch_api = "openai"

    sdk_packages = ("openai", "langchain_openai")

    def truncation_error(self, exc: BaseException) -> bool:
        return type(exc).__name__ == "LengthFinishReasonError"  # the SDK's own check

    def transport_errors(self) -> tuple[type[BaseException], ...]:
        import openai

        return (*super().transport_errors(), openai.APIConnectionError)

    def retry_after(self, exc: BaseException) -> float | None:
        from briefer.providers import retry

        headers = retry.headers_of(exc) or {}
        try:  # OpenAI says how long in milliseconds too
            if headers.get("retry-after-ms"):
                return max(0.0, float(headers["retry-after-ms"]) / 1000)
        except ValueError:
            pass
        return super().retry_after(exc)

    @property
    def hosted(self) -> bool:
        return self.base_url is None or "api.openai.com" in self.base_url

    def build(self) -> BaseChatModel:
        from langchain_openai import ChatOpenAI

        # Not init_chat_model: a compatible server gets the max_tokens subclass below.
        cls = ChatOpenAI if self.hosted else _compatible_class()
        return cls(model=self.model, **self.chat_kwargs())

    def extra_kwargs(self) -> dict[str, Any]:
        return {"stream_usage": False}

    def structured_kwargs(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.method == "json_mode" and self.settings.json_mode_schema:
            # llama.cpp's server (and a few others) turn a schema here into a grammar.
            return {"response_format": {"type": "json_object", "schema": schema}}
        return {}


def _compatible_class() -> Any:
    """ChatOpenAI for OpenAI-compatible servers: they know ``max_tokens``, while ChatOpenAI
    sends only ``max_completion_tokens``, which llama.cpp's server (and others) ignore,
    so the limit silently did not apply."""
    from langchain_openai import ChatOpenAI

    class CompatibleChatOpenAI(ChatOpenAI):
        def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None,
                                 **kwargs: Any) -> dict[str, Any]:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            if "max_completion_tokens" in payload:
                payload["max_tokens"] = payload.pop("max_completion_tokens")
            return payload

    return CompatibleChatOpenAI
