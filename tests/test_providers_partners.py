"""Partner providers built by ``init_chat_model`` at their HTTP boundary, through the shared
provider contract. The responses are SYNTHETIC, written from each provider's documented
chat-completion format (Mistral's /v1/chat/completions, Groq's OpenAI-compatible
/openai/v1/chat/completions), served by tests/fakeserver.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from briefer.config import Settings
from tests.fakeserver import Reply, completion
from tests.provider_contract import SEED_DRAFT, ProviderContract

pytest.importorskip("langchain")


class OpenAIShaped(ProviderContract):
    def prompt_texts(self, request_json: dict[str, Any]) -> tuple[str, str]:
        messages = request_json["messages"]
        return messages[0]["content"], messages[1]["content"]


class TestMistral(OpenAIShaped):
    provider = "mistralai"
    model = "mistral-small-latest"
    endpoint = "/v1/chat/completions"

    @pytest.fixture(autouse=True)
    def _installed(self):
        pytest.importorskip("langchain_mistralai")

    def settings(self, url: str) -> Settings:
        return Settings(provider="mistralai", model=self.model, base_url=f"{url}/v1",
                        api_key="test-mistral-key", max_retries=0, timeout=10)

    def answer(self, payload: dict[str, Any], *, truncated: bool = False) -> Reply:
        """Mistral's chat completion object (docs.mistral.ai, "Chat Completion")."""
        text = json.dumps(payload)
        return Reply({
            "id": "cmpl-synthetic", "object": "chat.completion", "created": 1767225600,
            "model": self.model,
            "choices": [{"index": 0, "message": {
                "role": "assistant", "content": text[: len(text) // 2] if truncated else text,
                "tool_calls": None}, "finish_reason": "length" if truncated else "stop"}],
            "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500}})

    def error(self, status: int, message: str) -> Reply:
        return Reply({"object": "error", "message": message, "type": "invalid_request_error",
                      "code": None}, status)

    def test_request_asks_for_the_json_schema(self, server):
        server.queue(self.answer(SEED_DRAFT))
        result = self.run(server).brief
        request = server.requests[0]
        assert request.headers["authorization"] == "Bearer test-mistral-key"
        body = request.json()
        assert body["response_format"]["type"] == "json_schema"
        assert "positions" in json.dumps(body["response_format"])
        assert body["max_tokens"] == 2048 and body["temperature"] == 0
        assert result.meta.params["structured_output"] == "json_schema"


class TestGroq(OpenAIShaped):
    provider = "groq"
    model = "llama-3.3-70b-versatile"
    endpoint = "/openai/v1/chat/completions"

    @pytest.fixture(autouse=True)
    def _installed(self):
        pytest.importorskip("langchain_groq")

    def settings(self, url: str) -> Settings:
        return Settings(provider="groq", model=self.model, base_url=url,
                        api_key="test-groq-key", max_retries=0, timeout=10)

    def answer(self, payload: dict[str, Any], *, truncated: bool = False) -> Reply:
        """A tool call, as Groq's OpenAI-compatible API documents it."""
        args = json.dumps(payload)
        return completion({"content": None, "tool_calls": [{
            "id": "call_synthetic", "type": "function",
            "function": {"name": "Draft",
                         "arguments": args[: len(args) // 2] if truncated else args}}]},
            "length" if truncated else "tool_calls")

    def test_request_forces_the_draft_tool(self, server):
        server.queue(self.answer(SEED_DRAFT))
        result = self.run(server).brief
        request = server.requests[0]
        assert request.headers["authorization"] == "Bearer test-groq-key"
        body = request.json()
        assert body["tools"][0]["function"]["name"] == "Draft"
        assert body["tool_choice"]["function"]["name"] == "Draft"
        assert result.meta.params["structured_output"] == "tool_calling"
