"""The contract every model provider meets, tested at its HTTP boundary.

Each provider's test module subclasses :class:`ProviderContract` once and says how its API
wraps an answer (its documented response format). The responses are SYNTHETIC, served by
``tests/fakeserver.py`` on 127.0.0.1; recordings of a real server live in ``cassettes/``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest

from briefer.config import Settings
from briefer.errors import ProviderError, TruncatedError
from briefer.pipeline import brief
from tests.conftest import EXAMPLE, FIXTURES
from tests.fakeserver import FakeServer, Reply

SEED_DRAFT: dict[str, Any] = json.loads(
    (FIXTURES / "providers" / "seed_draft.json").read_text(encoding="utf-8"))
NOT_A_DRAFT: dict[str, Any] = {"headline": "missing every required key", "items": [1, 2]}


class ProviderContract:
    provider: ClassVar[str]
    model: ClassVar[str]
    endpoint: ClassVar[str]  # path the chat request goes to

    # -- what a subclass provides ------------------------------------------------------------

    def settings(self, url: str) -> Settings:
        raise NotImplementedError

    def answer(self, payload: dict[str, Any], *, truncated: bool = False) -> Reply:
        """The provider's response envelope around a JSON answer."""
        raise NotImplementedError

    def error(self, status: int, message: str) -> Reply:
        return Reply({"error": {"message": message, "type": "invalid_request_error"}}, status)

    def prompt_texts(self, request_json: dict[str, Any]) -> tuple[str, str]:
        """(system text, user text) as sent."""
        raise NotImplementedError

    # -- the contract ------------------------------------------------------------------------

    def run(self, server: FakeServer, **overrides: Any):
        settings = self.settings(server.url).model_copy(update=overrides)
        return brief([EXAMPLE], settings)

    def test_brief_is_grounded_and_stamped(self, server):
        server.queue(self.answer(SEED_DRAFT))
        result = self.run(server).brief
        assert len(server.requests) == 1
        assert server.requests[0].path.endswith(self.endpoint)
        assert [p.party for p in result.positions] == ["China"]
        assert result.red_lines[0].party == "Wang Yi"
        grounding = result.meta.grounding
        assert (grounding.items, grounding.verified) == (5, 4)
        invented = result.next_steps[1]
        assert not invented.verified and invented.evidence[0].start == 0
        loose = result.red_lines[0].evidence[0]  # straight quotes in the answer, curly in text
        assert loose.verified and "“red lines”" in loose.quote and loose.model_quote
        source = EXAMPLE.read_text(encoding="utf-8")
        for _, item in result.items():
            for ev in item.evidence:
                if ev.verified:
                    assert source[ev.start : ev.end] == ev.quote
        meta = result.meta
        assert (meta.engine_or_provider, meta.model) == (self.provider, self.model)
        assert meta.prompt["id"] == "brief" and meta.prompt["version"] == "4"  # the default
        assert len(meta.prompt["sha256"]) == 64
        assert meta.usage["calls"] == 1 and meta.usage["repairs"] == 0

    def test_article_is_untrusted_data_in_the_user_turn(self, server):
        server.queue(self.answer(SEED_DRAFT))
        self.run(server)
        system, user = self.prompt_texts(server.requests[0].json())
        assert "Blinken" not in system
        assert "Wang said the US must not step on" in user
        start = user.index("<<<ARTICLE ")
        boundary = user[start + len("<<<ARTICLE ") : user.index(">>>", start)]
        assert f"<<<END ARTICLE {boundary}>>>" in user and len(boundary) >= 16

    def test_invalid_answer_gets_one_repair_call(self, server):
        server.queue(self.answer(NOT_A_DRAFT), self.answer(SEED_DRAFT))
        result = self.run(server).brief
        assert len(server.requests) == 2
        _, repair_user = self.prompt_texts(server.requests[1].json())
        assert "did not match the schema" in repair_user
        assert result.meta.usage == {**result.meta.usage, "calls": 2, "repairs": 1}

    def test_invalid_twice_fails_with_provider_and_model(self, server):
        server.queue(self.answer(NOT_A_DRAFT), self.answer(NOT_A_DRAFT))
        with pytest.raises(ProviderError) as info:
            self.run(server)
        assert len(server.requests) == 2
        assert str(info.value).startswith(f"{self.provider}/{self.model}: ")
        assert "even after one repair" in str(info.value)

    def test_truncated_answer_is_an_error_not_a_reask(self, server):
        server.queue(self.answer(SEED_DRAFT, truncated=True))
        with pytest.raises(TruncatedError, match="max_tokens=2048"):
            self.run(server)
        assert len(server.requests) == 1

    def test_http_error_is_wrapped_and_not_retried_under_test(self, server):
        server.queue(self.error(400, "model is not available"))
        with pytest.raises(ProviderError) as info:
            self.run(server)
        assert len(server.requests) == 1
        assert self.provider in str(info.value)

    def test_drop_unverified(self, server):
        server.queue(self.answer(SEED_DRAFT))
        result = self.run(server, drop_unverified=True).brief
        assert all(item.verified for _, item in result.items())
        assert result.meta.grounding.items == 5  # counted before dropping
