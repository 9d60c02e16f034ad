"""A compatible server that rejects ``json_schema``, replayed from cassettes recorded against
a REAL llama.cpp-style server (llama-cpp-python + SmolLM2-135M, scripts/record-cassettes):
it answers ``response_format: json_schema`` with HTTP 500 "Input should be 'text' or
'json_object'". briefer must switch to json_mode with one notice, or, when json_schema was
asked for by name, fail with one line naming the setting to change.
"""

from __future__ import annotations

import json

import pytest

from briefer.config import Settings
from briefer.errors import ConfigError
from briefer.pipeline import brief
from tests.conftest import FIXTURES, recording_target

TARGET = recording_target("test_providers_compat")
SHORT = FIXTURES / "short.txt"


def settings(**overrides) -> Settings:
    values = {"provider": "openai", "model": TARGET["model"], "base_url": TARGET["base_url"],
              "max_retries": 2, "timeout": 600, "max_tokens": 700,
              "prompt": "brief@2"}  # as recorded
    return Settings(**{**values, **overrides})


def test_json_schema_rejected_falls_back_to_json_mode_once(cassette):
    result = brief([SHORT], settings()).brief
    bodies = [json.loads(r.body) for r in cassette.requests]
    assert bodies[0]["response_format"]["type"] == "json_schema"  # the default, tried first
    assert cassette.responses[0]["status"]["code"] == 500  # not retried: a retry cannot help
    assert bodies[1]["response_format"]["type"] == "json_object"
    assert "positions" in bodies[1]["response_format"]["schema"]["properties"]
    assert result.meta.params["structured_output"] == "json_mode"
    notices = [w for w in result.meta.warnings if w.kind == "structured_output"]
    assert len(notices) == 1 and "rejected structured_output json_schema" in notices[0].message
    assert result.summary


def test_json_schema_by_name_is_an_error_naming_the_setting(cassette):
    with pytest.raises(ConfigError) as info:
        brief([SHORT], settings(structured_output="json_schema"))
    assert len(cassette.requests) == 1
    message = str(info.value)
    assert 'set structured_output = "json_mode"' in message
    assert "validation" not in message.lower() and "\n" not in message
