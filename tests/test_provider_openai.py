"""OpenAI (and OpenAI-compatible servers) at the HTTP boundary, SYNTHETIC responses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from briefer.config import Settings
from tests.fakeserver import Reply, completion
from tests.provider_contract import SEED_DRAFT, ProviderContract


class OpenAIContract(ProviderContract):
    provider = "openai"
    model = "gpt-4o-mini"
    endpoint = "/v1/chat/completions"
    method = "json_schema"

    def settings(self, url: str) -> Settings:
        return Settings(provider="openai", model=self.model, base_url=f"{url}/v1",
                        structured_output=self.method, max_retries=0, timeout=10)

    def answer(self, payload: dict[str, Any], *, truncated: bool = False) -> Reply:
        text = json.dumps(payload)
        return completion({"content": text[: len(text) // 2] if truncated else text},
                          "length" if truncated else "stop")

    def prompt_texts(self, request_json: dict[str, Any]) -> tuple[str, str]:
        messages = request_json["messages"]
        return messages[0]["content"], messages[1]["content"]


class TestOpenAIJsonSchema(OpenAIContract):
    def test_request_asks_for_the_json_schema(self, server):
        server.queue(self.answer(SEED_DRAFT))
        self.run(server)
        body = server.requests[0].json()
        assert body["response_format"]["type"] == "json_schema"
        assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0
        assert body["max_tokens"] == 2048 and "max_completion_tokens" not in body


class TestOpenAIJsonMode(OpenAIContract):
    method = "json_mode"

    def test_request_uses_json_object(self, server):
        server.queue(self.answer(SEED_DRAFT))
        self.run(server)
        assert server.requests[0].json()["response_format"] == {"type": "json_object"}

    def test_schema_rides_along_for_llama_cpp(self, server):
        server.queue(self.answer(SEED_DRAFT))
        self.run(server, json_mode_schema=True)
        fmt = server.requests[0].json()["response_format"]
        assert fmt["type"] == "json_object" and "positions" in fmt["schema"]["properties"]


class TestOpenAIToolCalling(OpenAIContract):
    method = "tool_calling"

    def answer(self, payload: dict[str, Any], *, truncated: bool = False) -> Reply:
        call = {"id": "call_1", "type": "function",
                "function": {"name": "Draft", "arguments": json.dumps(payload)}}
        return completion({"content": None, "tool_calls": [call]},
                          "length" if truncated else "tool_calls")


@pytest.mark.parametrize("key", ["sk-proj-abcdefghijklmnop1234", "sk-test-zzzzzzzzzzzz"])
def test_an_echoed_key_is_cut_from_errors(key, tmp_path):
    from briefer.providers.base import scrub

    message = f"Incorrect API key provided: {key}. Bearer {key}"
    assert key not in scrub(message) and "sk-" in scrub(message)
