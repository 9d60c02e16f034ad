"""The provider registry, its entry-point door, and what providers build."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from typer.testing import CliRunner

from briefer import providers
from briefer.cli import app
from briefer.config import Settings
from briefer.engines import get_engine
from briefer.errors import ConfigError, MissingDependencyError, MissingKeyError
from briefer.providers import provider_class, registry, status
from tests.conftest import EXAMPLE, write


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.cache_clear()
    yield
    registry.cache_clear()


def test_builtins_register_through_entry_points():
    found = registry()
    assert {"extractive", "openai", "anthropic", "ollama"} <= set(found)
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group=providers.GROUP)}
    assert {"extractive", "openai", "anthropic", "ollama"} <= names


def test_a_third_party_provider_plugs_in_through_the_same_door(tmp_path, monkeypatch):
    """A fake distribution on sys.path with an entry point, exactly as a plugin ships."""
    write(tmp_path / "briefer_fakeprov.py",
          "from briefer.providers.base import Provider\n"
          "class FakeProvider(Provider):\n"
          "    name = 'fake'\n    description = 'a test plugin'\n"
          "    structured_output = ('json_mode',)\n    default_model = 'fake-1'\n")
    dist = tmp_path / "briefer_fakeprov-1.0.dist-info"
    write(dist / "METADATA", "Metadata-Version: 2.1\nName: briefer-fakeprov\nVersion: 1.0\n")
    write(dist / "entry_points.txt",
          "[briefer.providers]\nfake = briefer_fakeprov:FakeProvider\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    assert provider_class("fake").description == "a test plugin"
    listing = CliRunner().invoke(app, ["providers", "list"]).stdout
    row = next(line for line in listing.splitlines() if line.startswith("fake "))
    assert row.split()[:3] == ["fake", "yes", "not"] and "a test plugin" in row
    only = CliRunner().invoke(app, ["providers", "list", "-p", "fake", "--json"]).stdout
    assert [p["provider"] for p in json.loads(only)] == ["fake"]
    sys.modules.pop("briefer_fakeprov", None)


def test_a_broken_plugin_is_a_clean_error(tmp_path, monkeypatch):
    dist = tmp_path / "broken-1.0.dist-info"
    write(dist / "METADATA", "Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n")
    write(dist / "entry_points.txt", "[briefer.providers]\nbroken = no_such_module:X\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    with pytest.raises(ConfigError, match=r"provider plugin 'broken' .* failed to load"):
        registry()


def test_missing_extra_names_the_pip_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "langchain_anthropic" else real(name, *a))
    with pytest.raises(MissingDependencyError, match=r"needs the langchain_anthropic package: "
                       r"pip install 'briefer\[anthropic\]'"):
        get_engine("anthropic", Settings(provider="anthropic"))
    row = next(r for r in status(Settings()) if r.name == "anthropic")
    assert not row.installed and row.install_hint == "pip install 'briefer[anthropic]'"


def test_missing_key_is_reported_before_any_input_is_read(tmp_path):
    with pytest.raises(MissingKeyError, match="set OPENAI_API_KEY"):
        get_engine("openai", Settings(provider="openai"))
    result = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-p", "openai"])
    assert result.exit_code == 2
    assert result.stderr == ("briefer: error: provider 'openai' needs an API key: set "
                             "OPENAI_API_KEY (or add it to the keys file, see `briefer config "
                             "show`)\n")


def test_local_servers_need_no_key():
    engine = get_engine("openai", Settings(provider="openai",
                                           base_url="http://127.0.0.1:9/v1"))
    assert engine.model == "gpt-4o-mini"


@pytest.mark.parametrize("name", ["openai", "anthropic", "ollama"])
def test_chat_models_get_finite_timeouts_and_bounded_retries(name, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    settings = Settings(provider=name, timeout=12.5, max_retries=1, max_tokens=333,
                        temperature=0.2)
    chat = provider_class(name)(settings).chat_model()
    # the SDKs never retry on their own: briefer's one retry policy does (engines/retry.py)
    if name == "openai":
        assert (chat.request_timeout, chat.max_retries, chat.max_tokens) == (12.5, 0, 333)
    elif name == "anthropic":
        assert (chat.default_request_timeout, chat.max_retries, chat.max_tokens) == (12.5, 0,
                                                                                      333)
    else:
        assert chat.client_kwargs["timeout"] == 12.5 and chat.num_predict == 333
    assert chat.temperature == 0.2


def test_structured_output_method_must_be_supported():
    engine = Settings(provider="anthropic", structured_output="json_mode")
    with pytest.raises(ConfigError, match="does not support structured_output = 'json_mode'"):
        _ = provider_class("anthropic")(engine).method


def test_providers_list_never_shows_a_key(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret-value-1234")
    out = CliRunner().invoke(app, ["providers", "list"]).stdout
    assert "ANTHROPIC_API_KEY: set (from env ANTHROPIC_API_KEY)" in out
    assert "OPENAI_API_KEY: not set" in out
    assert "secret-value" not in out


def test_providers_check_extractive_and_failure():
    runner = CliRunner()
    ok = runner.invoke(app, ["providers", "check", "extractive"])
    assert ok.exit_code == 0 and "extractive: ok" in ok.stdout
    bad = runner.invoke(app, ["providers", "check", "openai", "--base-url",
                              "http://127.0.0.1:9/v1"])
    assert bad.exit_code == 1 and "openai: FAILED" in bad.stdout
