"""Ollama's native chat API at the HTTP boundary, SYNTHETIC responses."""

from __future__ import annotations

import json
from typing import Any

from briefer.config import Settings
from tests.fakeserver import Reply
from tests.provider_contract import SEED_DRAFT, ProviderContract


class TestOllama(ProviderContract):
    provider = "ollama"
    model = "llama3.2"
    endpoint = "/api/chat"

    def settings(self, url: str) -> Settings:
        return Settings(provider="ollama", model=self.model, base_url=url, max_retries=0,
                        timeout=10)

    def answer(self, payload: dict[str, Any], *, truncated: bool = False) -> Reply:
        """One line of /api/chat's NDJSON stream with done=true, as documented."""
        text = json.dumps(payload)
        line = {
            "model": self.model, "created_at": "2026-11-28T00:00:00Z",
            "message": {"role": "assistant",
                        "content": text[: len(text) // 2] if truncated else text},
            "done": True, "done_reason": "length" if truncated else "stop",
            "total_duration": 1_000_000, "prompt_eval_count": 1200, "eval_count": 300,
        }
        return Reply(raw=(json.dumps(line) + "\n").encode(),
                     headers={"content-type": "application/x-ndjson"})

    def error(self, status: int, message: str) -> Reply:
        return Reply({"error": message}, status)

    def prompt_texts(self, request_json: dict[str, Any]) -> tuple[str, str]:
        messages = request_json["messages"]
        return messages[0]["content"], messages[1]["content"]

    def test_schema_goes_in_format(self, server):
        server.queue(self.answer(SEED_DRAFT))
        self.run(server)
        body = server.requests[0].json()
        assert body["format"]["properties"]["red_lines"]["type"] == "array"
        assert body["options"]["num_predict"] == 2048
