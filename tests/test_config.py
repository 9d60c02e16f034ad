"""Settings precedence: flag > env > profile > project file > user file > default."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.config import Settings, api_key, load
from briefer.errors import ConfigError
from tests.conftest import write


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A user config dir and a project dir (the cwd)."""
    user = tmp_path / "xdg"
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(user))
    monkeypatch.chdir(project)
    return user / "briefer" / "config.toml", project / "briefer.toml"


def test_defaults_are_the_offline_engine(files):
    resolved = load()
    assert resolved.settings.provider == "extractive"
    assert resolved.settings.timeout > 0 and resolved.settings.max_retries == 2
    assert set(resolved.origins.values()) == {"default"}


def test_the_smallest_config_file(files):
    _, project = files
    write(project, 'provider = "openai"\nmodel = "gpt-4o-mini"\n'
                   'base_url = "http://localhost:11434/v1"\n')
    s = load().settings
    assert (s.provider, s.model, s.base_url) == ("openai", "gpt-4o-mini",
                                                 "http://localhost:11434/v1")


def test_precedence_flag_env_project_user_default(files, monkeypatch):
    user, project = files
    write(user, 'provider = "ollama"\nmodel = "user-model"\ntimeout = 5\nmax_tokens = 100\n')
    write(project, 'model = "project-model"\ntimeout = 7\n')
    resolved = load()
    assert resolved.settings.provider == "ollama"  # user file
    assert resolved.settings.model == "project-model"  # project beats user
    assert resolved.origins["model"] == f"{project}:1"
    assert resolved.origins["max_tokens"] == f"{user}:4"
    monkeypatch.setenv("BRIEFER_MODEL", "env-model")
    monkeypatch.setenv("BRIEFER_TIMEOUT", "9.5")
    resolved = load()
    assert (resolved.settings.model, resolved.settings.timeout) == ("env-model", 9.5)
    assert resolved.origins["model"] == "env BRIEFER_MODEL"
    resolved = load({"model": "flag-model", "provider": None})
    assert resolved.settings.model == "flag-model"
    assert resolved.origins["model"] == "flag --model"
    assert resolved.settings.provider == "ollama"  # a flag left unset changes nothing


def test_profiles(files, monkeypatch):
    user, project = files
    write(user, '[profiles.local]\nprovider = "openai"\nbase_url = "http://127.0.0.1:8080/v1"\n')
    write(project, 'model = "m"\n[profiles.local]\nmodel = "small"\n[profiles.fast]\n'
                   'max_tokens = 256\n')
    s = load(profile="local").settings
    assert (s.provider, s.base_url, s.model) == ("openai", "http://127.0.0.1:8080/v1", "small")
    monkeypatch.setenv("BRIEFER_PROFILE", "fast")
    assert load().settings.max_tokens == 256
    monkeypatch.setenv("BRIEFER_MAX_TOKENS", "512")
    assert load().settings.max_tokens == 512  # env beats profile
    with pytest.raises(ConfigError, match=r"unknown profile 'nope' .profiles: fast, local."):
        load(profile="nope")


@pytest.mark.parametrize(("content", "message"), [
    ('provider = "openai"\nmodle = "x"\n',
     r"briefer.toml:2: unknown key 'modle' \(did you mean 'model'\?\)"),
    ('timeout = "soon"\n', r"briefer.toml:1: bad value for 'timeout'"),
    ("timeout = -1\n", r"briefer.toml:1: bad value for 'timeout'"),
    ('provider = "openai"\nprovider = "x"\n', r"briefer.toml: invalid TOML"),
    ('api_key = "sk-abc"\n', r"briefer.toml:1: API keys are not read from config files"),
    ('[profiles.x]\ncolour = 1\n', r"briefer.toml:2: unknown key 'colour'"),
    ('structured_output = "xml"\n', r"bad value for 'structured_output'"),
])
def test_bad_files_name_file_key_and_line(files, content, message):
    _, project = files
    write(project, content)
    with pytest.raises(ConfigError, match=message):
        load()


def test_bad_env_value_names_the_variable(files, monkeypatch):
    monkeypatch.setenv("BRIEFER_MAX_RETRIES", "lots")
    with pytest.raises(ConfigError, match="env BRIEFER_MAX_RETRIES: bad value for 'max_retries'"):
        load()


def test_keys_from_env_or_keys_file_only(files, monkeypatch):
    user, _ = files
    assert api_key("openai", "OPENAI_API_KEY") == (None, None)
    write(user.parent / "keys.toml", 'openai = "from-file"\n')
    secret, origin = api_key("openai", "OPENAI_API_KEY")
    assert secret.get_secret_value() == "from-file" and origin.startswith("keys file")
    monkeypatch.setenv("OPENAI_API_KEY", "from-env")
    secret, origin = api_key("openai", "OPENAI_API_KEY")
    assert (secret.get_secret_value(), origin) == ("from-env", "env OPENAI_API_KEY")


def test_config_show_cli(files, monkeypatch):
    _, project = files
    write(project, 'provider = "openai"\n')
    monkeypatch.setenv("OPENAI_API_KEY", "sk-hidden-value-123456")
    result = CliRunner().invoke(app, ["config", "show", "--model", "gpt-x"])
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split(None, 1)[1] for line in result.stdout.splitlines()
            if line.strip()}
    assert rows["provider"].split()[0] == "openai" and rows["provider"].endswith("briefer.toml:1")
    assert rows["model"].split() == ["gpt-x", "flag", "--model"]
    assert "set (from env OPENAI_API_KEY)" in rows["api"]
    assert "sk-hidden" not in result.stdout
    # every file it read or looked for is named, the keys file too
    user, _ = files
    assert f"{user}  " in result.stdout and f"{project}  " in result.stdout
    keys_line = next(line for line in result.stdout.splitlines() if "keys.toml" in line)
    assert "API keys" in keys_line and "not present" in keys_line
    data = json.loads(CliRunner().invoke(app, ["config", "show", "--json"]).stdout)
    assert {f["kind"] for f in data["files"]} == {"config", "API keys"}
    assert {"key": "provider", "value": "openai", "origin": f"{project}:1"} in data["settings"]


def test_bad_config_is_a_one_line_cli_error(files):
    _, project = files
    write(project, "nonsense = 1\n")
    result = CliRunner().invoke(app, ["brief", "x.txt"])
    assert result.exit_code == 2
    assert result.stderr.startswith("briefer: error: ") and result.stderr.count("\n") == 1


def test_settings_reject_unknown_fields():
    with pytest.raises(Exception, match="extra"):
        Settings(colour="red")
