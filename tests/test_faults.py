"""Provider faults against a fault-injecting local server (SYNTHETIC, OpenAI wire format):
bounded retries with backoff, Retry-After honoured, no retry for quota/auth errors, and a
daily batch that finishes everything else."""

from __future__ import annotations

import json
import time

import pytest

from briefer.config import Settings
from briefer.daily import daily
from briefer.errors import ProviderError
from briefer.pipeline import brief
from briefer.providers import retry
from tests.conftest import write
from tests.fakeserver import Reply, answer

OK = {"key_issues": [{"issue": "budget", "quote": "The council approved the budget."}]}


@pytest.fixture
def article(tmp_path):
    return write(tmp_path / "a.txt", "The council approved the budget. Roads come next.")


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr(retry, "BASE_WAIT", 0.01)


def settings(url: str, **overrides) -> Settings:
    values = {"provider": "openai", "model": "m", "base_url": f"{url}/v1",
              "structured_output": "json_mode", "max_retries": 2, "timeout": 1.5,
              "concurrency": 1}
    return Settings(**{**values, **overrides})


def error(status: int, message: str = "boom", kind: str = "server_error", **headers) -> Reply:
    return Reply({"error": {"message": message, "type": kind, "code": kind}}, status,
                 headers=headers)


@pytest.mark.parametrize("fault", [
    error(500), error(502), error(503), error(429, "slow down", "rate_limit_exceeded"),
    Reply(delay=3.0, raw=b"{}"),                              # hangs past the timeout
    Reply(reset=True),                                        # connection reset
    Reply(raw=b'{"id": "x", "choi', close=True,               # truncated body
          headers={"content-length": "400"}),
    Reply(raw=b"<html>Bad Gateway</html>", headers={"content-type": "text/html"}),
], ids=["500", "502", "503", "429", "hang", "reset", "truncated", "non-json"])
def test_transient_faults_are_retried_then_succeed(server, article, fault):
    server.queue(fault, answer(**OK))
    result = brief([article], settings(server.url)).brief
    assert result.key_issues[0].verified
    assert len(server.requests) == 2


def test_retries_are_bounded(server, article):
    server.queue(*[error(503)] * 5)
    with pytest.raises(ProviderError, match="503"):
        brief([article], settings(server.url, max_retries=2))
    assert len(server.requests) == 3  # one try + two retries


def test_a_server_that_never_answers_json_fails_clearly(server, article):
    page = Reply(raw=b"<html>Bad Gateway</html>", headers={"content-type": "text/html"})
    server.queue(page, page, page)
    with pytest.raises(ProviderError, match="not a chat completion"):
        brief([article], settings(server.url))
    assert len(server.requests) == 3


def test_retry_after_is_honoured(server, article):
    server.queue(error(429, "slow down", "rate_limit_exceeded", **{"retry-after": "1"}),
                 answer(**OK))
    start = time.perf_counter()
    brief([article], settings(server.url))
    assert time.perf_counter() - start >= 0.95


@pytest.mark.parametrize("fault", [
    error(401, "Incorrect API key provided", "invalid_api_key"),
    error(403, "not allowed", "permission_denied"),
    error(429, "You exceeded your current quota", "insufficient_quota"),
    error(400, "bad request", "invalid_request_error"),
], ids=["401", "403", "429-quota", "400"])
def test_errors_a_retry_cannot_fix_are_not_retried(server, article, fault):
    server.queue(fault, answer(**OK))
    with pytest.raises(ProviderError):
        brief([article], settings(server.url))
    assert len(server.requests) == 1


def test_a_daily_batch_finishes_the_rest_and_a_rerun_redoes_only_failures(server, tmp_path):
    from briefer.cache import Cache

    folder = tmp_path / "in"
    for n in range(6):
        write(folder / f"a{n}.txt", f"The council of town {n} approved the budget.")
    replies = []
    for n in range(6):
        ok = answer(key_issues=[{"issue": "b", "quote":
                                 f"The council of town {n} approved the budget."}])
        replies.append(ok if n % 3 else error(401, "Incorrect API key", "invalid_api_key"))
    server.queue(*replies)
    cache = Cache(tmp_path / "c.sqlite3")
    first = daily([folder], settings(server.url), cache=cache)
    assert len(first.daily.sources) == 4 and len(first.daily.not_included) == 2
    assert all("invalid_api_key" in m.reason or "401" in m.reason
               for m in first.daily.not_included)
    server.queue(*[answer(key_issues=[{"issue": "b", "quote":
                                       f"The council of town {n} approved the budget."}])
                   for n in (0, 3)])
    second = daily([folder], settings(server.url), cache=cache)
    assert len(second.daily.sources) == 6 and not second.failures
    briefs = [r for r in server.requests if b"<<<ARTICLE" in r.body]
    assert len(briefs) == 8  # 6, then only the 2 that failed (the rest: story and daily)


def test_retry_after_parsing():
    class Resp:
        def __init__(self, headers):
            self.headers = headers

    class Err(Exception):
        status_code = 429

        def __init__(self, headers):
            super().__init__("rate limited")
            self.response = Resp(headers)

    from briefer.config import Settings
    from briefer.providers.openai import OpenAIProvider

    provider = OpenAIProvider(Settings(provider="openai", base_url="http://x/v1"))
    assert provider.retry_after(Err({"retry-after": "3"})) == 3.0
    assert provider.retry_after(Err({"retry-after-ms": "250"})) == 0.25
    assert 0 <= provider.retry_after(Err({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) < 1
    assert provider.retry_after(Err({})) is None
    assert provider.retryable(Err({})) and not provider.retryable(Exception("insufficient_quota"))
    assert json.dumps(retry.MAX_WAIT)  # capped


def test_a_bug_in_briefer_is_never_retried():
    from briefer.config import Settings
    from briefer.providers.openai import OpenAIProvider

    provider = OpenAIProvider(Settings(provider="openai", base_url="http://x/v1",
                                       max_retries=3))
    calls = []

    def buggy():
        calls.append(1)
        raise AttributeError("'str' object has no attribute 'model_dump'")

    with pytest.raises(AttributeError):
        provider.call(buggy)
    assert len(calls) == 1
    for exc in (TypeError("x"), KeyError("k"), ValueError("v"), RuntimeError("r")):
        assert not provider.retryable(exc)


def test_only_transient_statuses_and_transport_errors_are_retried():
    import httpx

    from briefer.config import Settings
    from briefer.providers.openai import OpenAIProvider

    provider = OpenAIProvider(Settings(provider="openai", base_url="http://x/v1"))

    class Status(Exception):
        def __init__(self, code):
            super().__init__(f"HTTP {code}")
            self.status_code = code

    assert [c for c in (400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504)
            if provider.retryable(Status(c))] == [408, 409, 429, 500, 502, 503, 504]
    assert provider.retryable(httpx.ConnectError("refused"))
    assert provider.retryable(httpx.ReadTimeout("slow"))
