"""Anthropic's Messages API at the HTTP boundary, SYNTHETIC responses."""

from __future__ import annotations

import json
from typing import Any

from briefer.config import Settings
from tests.fakeserver import Reply
from tests.provider_contract import ProviderContract


class TestAnthropic(ProviderContract):
    provider = "anthropic"
    model = "claude-3-5-haiku-latest"
    endpoint = "/v1/messages"

    def settings(self, url: str) -> Settings:
        return Settings(provider="anthropic", model=self.model, base_url=url, max_retries=0,
                        timeout=10)

    def answer(self, payload: dict[str, Any], *, truncated: bool = False) -> Reply:
        """A Message object with a tool_use block, as documented for tool use."""
        return Reply({
            "id": "msg_synthetic", "type": "message", "role": "assistant", "model": self.model,
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "Draft",
                         "input": payload}],
            "stop_reason": "max_tokens" if truncated else "tool_use", "stop_sequence": None,
            "usage": {"input_tokens": 1200, "output_tokens": 300},
        })

    def error(self, status: int, message: str) -> Reply:
        return Reply({"type": "error", "error": {"type": "invalid_request_error",
                                                 "message": message}}, status)

    def prompt_texts(self, request_json: dict[str, Any]) -> tuple[str, str]:
        system = request_json["system"]
        if isinstance(system, list):
            system = "".join(block["text"] for block in system)
        content = request_json["messages"][0]["content"]
        if isinstance(content, list):
            content = "".join(block.get("text", "") for block in content)
        return system, content

    def test_key_header_and_forced_tool(self, server, monkeypatch):
        from tests.provider_contract import SEED_DRAFT

        monkeypatch.setenv("ANTHROPIC_API_KEY", "test-anthropic-key")
        server.queue(self.answer(SEED_DRAFT))
        self.run(server)
        request = server.requests[0]
        sent = request.headers.get("x-api-key") or request.headers["authorization"]
        assert sent.endswith("test-anthropic-key")
        body = request.json()
        assert body["tools"][0]["name"] == "Draft"
        assert body["tool_choice"]["type"] in ("tool", "any")
        assert json.dumps(body).count("Blinken") >= 1
