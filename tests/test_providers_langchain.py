"""Every LangChain chat model by config: the declared partner providers, ``init_chat_model``
with briefer's settings mapped, ``model = "provider:model"``, and the listing. Responses at
the HTTP boundary are SYNTHETIC (tests/fakeserver.py), in the providers' documented shapes."""

from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.config import Settings
from briefer.engines import get_engine
from briefer.errors import ConfigError, MissingDependencyError
from briefer.providers import provider_class, registry, resolve, split_model, status
from briefer.providers.base import Provider
from tests.conftest import EXAMPLE
from tests.fakeserver import completion
from tests.provider_contract import SEED_DRAFT

PARTNERS = ["azure_openai", "bedrock", "google_genai", "google_vertexai", "mistralai", "groq",
            "deepseek", "xai", "fireworks"]


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.cache_clear()
    yield
    registry.cache_clear()


def test_partner_providers_register_like_the_builtins():
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="briefer.providers")}
    assert set(PARTNERS) <= names
    for name in PARTNERS:
        cls = provider_class(name)
        assert issubclass(cls, Provider) and cls.langchain_provider
        assert cls.extra and cls.requires and cls.key_env and cls.structured_output
        assert cls.truncated_reasons and cls.sdk_packages


def test_providers_list_names_install_and_key_status(monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", "gsk-secret-value-123")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None
                        if name == "langchain_mistralai" else real(name, *a))
    out = CliRunner().invoke(app, ["providers", "list"]).stdout
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert len(lines) >= 12
    assert "no (pip install 'briefer[mistralai]')" in lines["mistralai"]
    assert "secret-value" not in out
    listed = CliRunner().invoke(app, ["providers", "list", "--json"]).stdout
    rows = {row["provider"]: row for row in json.loads(listed)}
    assert rows["mistralai"]["installed"] == "no (pip install 'briefer[mistralai]')"
    assert rows["mistralai"]["key"] == "MISTRAL_API_KEY: not set"
    assert rows["groq"]["key"] == "GROQ_API_KEY: set (from env GROQ_API_KEY)"
    assert rows["google_vertexai"]["structured_output"] == "json_schema, tool_calling"
    assert (rows["openai"]["batch"], rows["groq"]["batch"]) == ("openai", "-")
    by_name = {row.name: row for row in status(Settings())}
    assert (by_name["openai"].batch, by_name["anthropic"].batch) == ("openai", "anthropic")
    assert by_name["groq"].batch is None


def test_uninstalled_partner_is_a_one_line_error_naming_the_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None
                        if name == "langchain_google_genai" else real(name, *a))
    result = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-p", "google_genai"])
    assert result.exit_code == 2
    assert result.stderr == ("briefer: error: provider 'google_genai' needs the "
                             "langchain_google_genai package: pip install "
                             "'briefer[google-genai]'\n")


def test_langchain_itself_is_required_for_init_chat_model(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None
                        if name == "langchain" else real(name, *a))
    with pytest.raises(MissingDependencyError, match=r"needs the langchain package: "
                       r"pip install 'briefer\[anthropic\]'"):
        get_engine("anthropic", Settings(provider="anthropic", api_key="k"))


@pytest.mark.parametrize("name", PARTNERS)
def test_settings_are_mapped_to_each_chat_class(name, monkeypatch):
    cls = provider_class(name)
    if cls.key_env:
        monkeypatch.setenv(cls.key_env, "test-key")
    settings = Settings(provider=name, model="m-1", timeout=12.0, max_tokens=333,
                        temperature=0.3, base_url="http://127.0.0.1:9", requests_per_second=2)
    provider = cls(settings)
    names = cls.setting_names
    monkeypatch.setattr(cls, "extra_kwargs", lambda self: {})  # botocore etc. not installed
    kwargs = provider.chat_kwargs()
    assert kwargs[names["max_tokens"]] == 333 and kwargs[names["temperature"]] == 0.3
    assert kwargs[names["base_url"]] == "http://127.0.0.1:9"
    assert kwargs["rate_limiter"] is not None
    if "max_retries" in names:
        assert kwargs["max_retries"] == 0  # briefer retries itself
    if "timeout" in names:
        assert kwargs[names["timeout"]] == 12.0
    if "api_key" in names:
        assert kwargs[names["api_key"]] == "test-key"


def test_bedrock_gets_timeouts_and_no_retries_through_botocore():
    pytest.importorskip("botocore")
    kwargs = provider_class("bedrock")(Settings(provider="bedrock", timeout=9)).chat_kwargs()
    config = kwargs["config"]
    assert config.read_timeout == 9 and config.retries == {"total_max_attempts": 1}


def test_vertex_response_schema_is_its_json_mode():
    provider = provider_class("google_vertexai")(Settings(provider="google_vertexai"))
    assert provider.method == "json_schema"
    assert provider.langchain_method() == "json_mode"
    assert provider.langchain_method("tool_calling") == "function_calling"


def test_model_prefix_picks_the_provider():
    assert split_model("mistralai:mistral-large-latest") == ("mistralai",
                                                             "mistral-large-latest")
    assert split_model("qwen2.5:3b") == (None, "qwen2.5:3b")  # Ollama's tags stay whole
    chosen = resolve(Settings(model="anthropic:claude-3-5-haiku-latest"))
    assert (chosen.provider, chosen.model) == ("anthropic", "claude-3-5-haiku-latest")
    same = resolve(Settings(provider="ollama", model="llama3.2:latest"))
    assert (same.provider, same.model) == ("ollama", "llama3.2:latest")
    with pytest.raises(ConfigError, match="names provider 'groq' but provider is 'openai'"):
        resolve(Settings(provider="openai", model="groq:llama-3.3-70b-versatile"))
    engine = get_engine(None, Settings(model="openai:gpt-4o-mini",
                                       base_url="http://127.0.0.1:9/v1"))
    assert (engine.name, engine.model) == ("openai", "gpt-4o-mini")


def test_any_init_chat_model_provider_by_prefix(monkeypatch):
    cls = provider_class("together")
    assert cls.langchain_provider == "together" and cls.requires == "langchain_together"
    result = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-m", "together:meta-llama/x"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("pip install langchain-together")


def test_builtins_build_through_init_chat_model(monkeypatch):
    import langchain.chat_models as chat_models

    seen = {}
    real = chat_models.init_chat_model

    def spy(model, **kwargs):
        seen.update(kwargs, model=model)
        return real(model, **kwargs)

    monkeypatch.setattr(chat_models, "init_chat_model", spy)
    chat = provider_class("anthropic")(Settings(provider="anthropic", model="claude-x",
                                                api_key="k", timeout=7)).chat_model()
    assert seen["model_provider"] == "anthropic" and seen["max_retries"] == 0
    assert chat.default_request_timeout == 7


def test_azure_openai_request_at_the_http_boundary(server, monkeypatch):
    """Azure's documented chat-completions route, key header and json_schema."""
    import json

    from briefer.pipeline import brief

    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-test-key")
    server.queue(completion({"content": json.dumps(SEED_DRAFT)}))
    settings = Settings(provider="azure_openai", model="brief-deploy", base_url=server.url,
                        max_retries=0, timeout=10)
    result = brief([EXAMPLE], settings).brief
    request = server.requests[0]
    assert request.path.startswith("/openai/deployments/brief-deploy/chat/completions")
    assert "api-version=2024-10-21" in request.path
    assert request.headers["api-key"] == "azure-test-key"
    body = request.json()
    assert body["response_format"]["type"] == "json_schema"
    assert result.meta.engine_or_provider == "azure_openai"
    assert [p.party for p in result.positions] == ["China"]
