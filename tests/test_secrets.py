"""Secrets never reach cassettes, outputs, errors, logs or `config show`."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from tests.conftest import CASSETTES, EXAMPLE, SECRET_REQUEST_HEADERS, SECRET_RESPONSE_HEADERS

SECRET_LIKE = re.compile(
    r"sk-[A-Za-z0-9_\-]{8,}"                                # OpenAI-style keys
    r"|sk-ant-[A-Za-z0-9_\-]{8,}"                           # Anthropic keys
    r"|Bearer\s+[A-Za-z0-9_\-.=]{8,}"                       # bearer tokens
    r"|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"  # JWTs
)
FAKE_KEY = "sk-test-FAKEKEY1234567890abcdef"


def cassette_files():
    return sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_to_scan():
    assert cassette_files(), "no cassettes found: the scan below would prove nothing"


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: p.name)
def test_cassette_holds_no_secret(path):
    import yaml

    text = path.read_text(encoding="utf-8")
    assert not SECRET_LIKE.search(text), f"{path}: secret-like string"
    for interaction in yaml.safe_load(text)["interactions"]:
        request_headers = {k.lower() for k in interaction["request"]["headers"]}
        response_headers = {k.lower() for k in interaction["response"]["headers"]}
        assert not request_headers & set(SECRET_REQUEST_HEADERS), path
        assert not response_headers & SECRET_RESPONSE_HEADERS, path


def test_the_scanner_catches_what_it_should():
    for leak in (FAKE_KEY, "Authorization: Bearer abcdefghijkl",
                 "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"):
        assert SECRET_LIKE.search(leak)


def test_a_known_key_never_appears_in_any_output(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    runner = CliRunner()
    outputs = []
    for args in (["config", "show", "-p", "openai"], ["providers", "list"],
                 ["brief", str(EXAMPLE), "-f", "json"],
                 # a run that fails at the provider: the error line must not carry the key
                 ["brief", str(EXAMPLE), "-p", "openai", "--base-url",
                  "http://127.0.0.1:9/v1"]):
        result = runner.invoke(app, args)
        outputs.append(result.output)
    joined = "\n".join(outputs)
    assert FAKE_KEY not in joined and "FAKEKEY" not in joined
    assert "set (from env OPENAI_API_KEY)" in outputs[0]
    assert "briefer: error: openai/gpt-4o-mini:" in outputs[3]


def test_settings_repr_hides_the_key():
    from pydantic import SecretStr

    from briefer.config import Settings

    settings = Settings(api_key=SecretStr(FAKE_KEY))
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert FAKE_KEY not in text
    assert json.loads(settings.model_dump_json())["api_key"] == "**********"
