"""Providers built by LangChain's ``init_chat_model`` from a partner package, declared as
data: the package and briefer extra, the key variable, how briefer's settings are spelled
for the chat class, the structured-output methods (strongest first) and the finish reasons
that mean "cut off at max_tokens". Registered through the ``briefer.providers`` entry points
like the built-ins; any other ``init_chat_model`` provider works through
``model = "provider:model"`` (:func:`briefer.providers.resolve`).
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from briefer.providers.base import Provider

_OPENAI_LIKE = {"timeout": "timeout", "max_tokens": "max_tokens",
                "temperature": "temperature", "base_url": "base_url", "api_key": "api_key",
                "max_retries": "max_retries", "rate_limiter": "rate_limiter"}


class AzureOpenAIProvider(Provider):
    name = "azure_openai"
    description = "Azure OpenAI deployments (model = the deployment name)"
    requires = "langchain_openai"
    extra = "azure-openai"
    key_env = "AZURE_OPENAI_API_KEY"
    needs_key = True
    base_url_env = "AZURE_OPENAI_ENDPOINT"
    default_model = None  # a deployment name is the user's own
    structured_output = ("json_schema", "json_mode", "tool_calling")
    default_context_window = 128_000
    langchain_provider = "azure_openai"
    setting_names: ClassVar[dict[str, str]] = {**_OPENAI_LIKE, "base_url": "azure_endpoint"}
    sdk_packages = ("openai", "langchain_openai")
    api_version = "2024-10-21"

    def extra_kwargs(self) -> dict[str, Any]:
        version = (os.environ.get("AZURE_OPENAI_API_VERSION")
                   or os.environ.get("OPENAI_API_VERSION") or self.api_version)
        return {"azure_deployment": self.model, "api_version": version}


class BedrockProvider(Provider):
    name = "bedrock"
    description = "Amazon Bedrock, Converse API (AWS credentials or a Bedrock API key)"
    requires = "langchain_aws"
    extra = "bedrock"
    key_env = "AWS_BEARER_TOKEN_BEDROCK"  # else the usual AWS credential chain
    base_url_env = "BEDROCK_ENDPOINT_URL"
    default_model = "anthropic.claude-3-5-haiku-20241022-v1:0"
    structured_output = ("tool_calling", "json_schema")
    default_context_window = 200_000
    langchain_provider = "bedrock_converse"
    # timeouts and retries go to botocore's Config (extra_kwargs)
    setting_names: ClassVar[dict[str, str]] = {
        "max_tokens": "max_tokens", "temperature": "temperature", "base_url": "base_url",
        "api_key": "api_key", "rate_limiter": "rate_limiter"}
    truncated_reasons = frozenset({"max_tokens"})
    sdk_packages = ("botocore", "boto3", "langchain_aws")

    def extra_kwargs(self) -> dict[str, Any]:
        from botocore.config import Config

        timeout = self.settings.timeout
        return {"config": Config(connect_timeout=min(timeout, 10.0), read_timeout=timeout,
                                 retries={"total_max_attempts": 1})}


class GoogleGenAIProvider(Provider):
    name = "google_genai"
    description = "Google Gemini API (AI Studio)"
    requires = "langchain_google_genai"
    extra = "google-genai"
    key_env = "GOOGLE_API_KEY"
    needs_key = True
    default_model = "gemini-2.5-flash"
    structured_output = ("json_schema", "tool_calling", "json_mode")  # response schema first
    default_context_window = 1_000_000
    langchain_provider = "google_genai"
    truncated_reasons = frozenset({"MAX_TOKENS", "max_tokens"})
    sdk_packages = ("google", "langchain_google_genai")


class GoogleVertexAIProvider(Provider):
    name = "google_vertexai"
    description = "Gemini on Google Cloud Vertex AI (application default credentials)"
    requires = "langchain_google_vertexai"
    extra = "google-vertexai"
    key_env = "GOOGLE_APPLICATION_CREDENTIALS"  # or the gcloud default credentials
    default_model = "gemini-2.5-flash"
    structured_output = ("json_schema", "tool_calling")
    default_context_window = 1_000_000
    langchain_provider = "google_vertexai"
    setting_names: ClassVar[dict[str, str]] = {
        name: kw for name, kw in _OPENAI_LIKE.items() if name != "api_key"}
    # ChatVertexAI's response schema is its method="json_mode"; tool calling is method=None
    method_names: ClassVar[dict[str, str]] = {
        "json_schema": "json_mode", "tool_calling": "function_calling"}
    truncated_reasons = frozenset({"MAX_TOKENS", "max_tokens"})
    sdk_packages = ("google", "langchain_google_vertexai")


class MistralProvider(Provider):
    name = "mistralai"
    description = "Mistral AI platform"
    requires = "langchain_mistralai"
    extra = "mistralai"
    key_env = "MISTRAL_API_KEY"
    needs_key = True
    default_model = "mistral-small-latest"
    structured_output = ("json_schema", "tool_calling", "json_mode")
    default_context_window = 32_000
    langchain_provider = "mistralai"
    sdk_packages = ("httpx", "langchain_mistralai")

    def extra_kwargs(self) -> dict[str, Any]:
        return {"timeout": max(1, round(self.settings.timeout))}  # ChatMistralAI: an int


class GroqProvider(Provider):
    name = "groq"
    description = "Groq cloud"
    requires = "langchain_groq"
    extra = "groq"
    key_env = "GROQ_API_KEY"
    needs_key = True
    default_model = "llama-3.3-70b-versatile"
    structured_output = ("tool_calling", "json_schema", "json_mode")
    default_context_window = 128_000
    langchain_provider = "groq"
    sdk_packages = ("groq", "langchain_groq")


class DeepSeekProvider(Provider):
    name = "deepseek"
    description = "DeepSeek API"
    requires = "langchain_deepseek"
    extra = "deepseek"
    key_env = "DEEPSEEK_API_KEY"
    needs_key = True
    default_model = "deepseek-chat"
    structured_output = ("tool_calling", "json_mode")
    default_context_window = 64_000
    langchain_provider = "deepseek"
    sdk_packages = ("openai", "langchain_openai", "langchain_deepseek")


class XAIProvider(Provider):
    name = "xai"
    description = "xAI Grok API"
    requires = "langchain_xai"
    extra = "xai"
    key_env = "XAI_API_KEY"
    needs_key = True
    default_model = "grok-3-mini"
    structured_output = ("json_schema", "tool_calling", "json_mode")
    default_context_window = 128_000
    langchain_provider = "xai"
    sdk_packages = ("openai", "langchain_openai", "langchain_xai")


class FireworksProvider(Provider):
    name = "fireworks"
    description = "Fireworks AI"
    requires = "langchain_fireworks"
    extra = "fireworks"
    key_env = "FIREWORKS_API_KEY"
    needs_key = True
    default_model = "accounts/fireworks/models/llama-v3p1-8b-instruct"
    structured_output = ("json_schema", "tool_calling", "json_mode")
    default_context_window = 128_000
    langchain_provider = "fireworks"
    sdk_packages = ("fireworks", "openai", "langchain_fireworks")


def generic(name: str, package: str) -> type[Provider]:
    """A provider for an ``init_chat_model`` name briefer does not declare itself
    (``model = "together:..."``): LangChain's defaults, JSON mode plus validation."""
    return type(f"Generic_{name}", (Provider,), {
        "name": name, "description": f"LangChain {name} (not declared by briefer)",
        "requires": package, "extra": None, "langchain_provider": name,
        "structured_output": ("json_mode", "tool_calling", "json_schema"),
        "install_hint": classmethod(
            lambda cls: f"pip install {package.replace('_', '-')}")})
