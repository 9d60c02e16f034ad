"""Batch mode end to end against a local fake of OpenAI's and Anthropic's batch APIs
(tests/fakebatch.py, SYNTHETIC responses in the documented shapes): the request bodies are
the live path's, results map back by custom_id, an interrupted run resumes its job, failed
items fall back to live calls, parts respect the provider's limits, everything is cached."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefer.batch import condense_batch, cost, jobs_folder
from briefer.cache import Cache
from briefer.cli import app
from briefer.config import Settings
from briefer.engines import get_engine
from briefer.errors import ConfigError, ProviderError
from briefer.model import Article
from briefer.pipeline import condense_all
from briefer.providers.batch import OpenAIBatch
from tests.fakebatch import FakeBatchServer

TEXTS = [
    "The council approved the budget on Monday. Critics said the plan cuts services.",
    "Ministers met in Lisbon to discuss fishing quotas. No deal was reached.",
    "The union called a strike for Friday. Talks with the rail operator failed.",
    "Flooding closed the main road overnight. Crews expect to reopen it by noon.",
    "The court delayed its ruling on the merger. A decision is due next month.",
]


def articles(n: int = 3) -> list[Article]:
    return [Article(id=f"s{i + 1}", text=TEXTS[i % len(TEXTS)] + f" Item {i}.",
                    path_or_url=f"a{i}.txt") for i in range(n)]


@pytest.fixture
def fake(tmp_path):
    with FakeBatchServer(tmp_path / "server") as server:
        yield server


def openai(server: FakeBatchServer, **more) -> Settings:
    return Settings(**{"provider": "openai", "model": "gpt-4o-mini",
                       "base_url": f"{server.url}/v1", "batch": True,
                       "batch_poll_interval": 0.01, "max_retries": 0, "timeout": 10, **more})


def anthropic(server: FakeBatchServer, **more) -> Settings:
    return Settings(**{"provider": "anthropic", "model": "claude-3-5-haiku-latest",
                       "base_url": server.url, "api_key": "test-key", "batch": True,
                       "batch_poll_interval": 0.01, "max_retries": 0, "timeout": 10, **more})


def run(settings: Settings, items: list[Article], cache: Cache | None = None):
    return condense_all(items, get_engine(settings.provider, settings), settings, cache=cache)


def _first_key_issue(brief) -> str:
    return brief.key_issues[0].evidence[0].quote


@pytest.mark.parametrize("make", [openai, anthropic], ids=["openai", "anthropic"])
def test_batch_end_to_end(fake, make, tmp_path):
    items = articles(3)
    done = run(make(fake), items, Cache(tmp_path / "c.sqlite3"))
    assert not done.failures and set(done.briefs) == {"s1", "s2", "s3"}
    assert fake.counts["submissions"] == 1 and fake.counts["live"] == 0
    assert done.batch == {"batches": 1, "resumed": 0, "requests": 3, "live_fallback": 0}
    for article in items:
        brief = done.briefs[article.id]
        quote = _first_key_issue(brief)
        assert brief.key_issues[0].evidence[0].verified  # grounded like a live answer
        assert article.text[brief.key_issues[0].evidence[0].start:].startswith(quote)
        assert brief.meta.usage["batch_calls"] == 1 and brief.meta.usage["calls"] == 1
        assert brief.meta.usage["batch_input_tokens"] == 900
    assert not list(jobs_folder(Cache(tmp_path / "c.sqlite3")).glob("*.json"))  # cleaned up


@pytest.mark.parametrize("make", [openai, anthropic], ids=["openai", "anthropic"])
def test_batch_bodies_are_what_the_live_path_sends(fake, make, tmp_path):
    import copy

    item = articles(1)
    batch_done = run(make(fake), item)
    stored = sorted(p for p in fake.folder.iterdir()
                    if p.name.startswith("file-") or p.name.endswith(".input"))
    line = json.loads(stored[0].read_text().splitlines()[0])
    batch_body = line.get("body") or line.get("params")
    assert line["custom_id"] == "r0-0"
    live_bodies = []
    import tests.fakebatch as fb

    real = fb.openai_answer if make is openai else fb.anthropic_answer

    def spy(body):
        live_bodies.append(copy.deepcopy(body))
        return real(body)

    name = "openai_answer" if make is openai else "anthropic_answer"
    setattr(fb, name, spy)
    try:
        live_done = run(make(fake, batch=False), item)
    finally:
        setattr(fb, name, real)
    (live,) = live_bodies
    assert batch_body == live
    stamped = batch_done.briefs["s1"].meta.prompt
    assert stamped == live_done.briefs["s1"].meta.prompt and len(stamped["sha256"]) == 64
    assert batch_done.briefs["s1"].meta.params == live_done.briefs["s1"].meta.params
    if make is openai:
        assert batch_body["response_format"]["type"] == "json_schema"
        assert batch_body["max_tokens"] == 2048
    else:
        assert batch_body["tool_choice"] == {"type": "tool", "name": "Draft"}
        assert batch_body["temperature"] == 0


def test_an_interrupted_run_resumes_the_same_batch(fake, tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    fake.polls = 3
    settings = openai(fake)
    engine = get_engine("openai", settings)

    def killed(seconds):
        raise KeyboardInterrupt  # Ctrl-C while waiting for the batch

    with pytest.raises(KeyboardInterrupt):
        condense_batch(articles(3), engine, settings, cache=cache, sleep=killed)
    (job,) = jobs_folder(cache).glob("*.json")
    batch_id = json.loads(job.read_text())["batch_id"]
    assert fake.counts["submissions"] == 1
    done = run(settings, articles(3), cache)
    assert fake.counts["submissions"] == 1  # polled again, not resubmitted
    assert done.batch["resumed"] == 1 and len(done.briefs) == 3
    assert fake.batches[batch_id]["polls"] >= 3
    again = run(settings, articles(3), cache)  # every brief is cached now
    assert again.cache_hits == 3 and fake.counts["submissions"] == 1


def test_a_batch_still_running_is_an_error_that_keeps_the_job(fake, tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    fake.polls = 100
    with pytest.raises(ProviderError, match="run the same command again to pick them up"):
        run(openai(fake, batch_timeout=0.05), articles(2), cache)
    assert len(list(jobs_folder(cache).glob("*.json"))) == 1


@pytest.mark.parametrize("make", [openai, anthropic], ids=["openai", "anthropic"])
def test_failed_and_lost_items_fall_back_to_live_calls(tmp_path, make):
    with FakeBatchServer(tmp_path / "server", fail=frozenset({"r1-0"}),
                         lose=frozenset({"r3-0"})) as fake:
        done = run(make(fake), articles(4))
    assert len(done.briefs) == 4 and not done.failures
    assert fake.counts["live"] == 2 and done.batch["live_fallback"] == 2
    for sid in ("s2", "s4"):
        brief = done.briefs[sid]
        assert brief.meta.usage["calls"] == 1 and "batch_calls" not in brief.meta.usage
        assert [w.kind for w in brief.meta.warnings] == ["batch"]
    assert done.briefs["s1"].meta.usage["batch_calls"] == 1


def test_parts_respect_the_request_and_byte_limits(fake, monkeypatch):
    monkeypatch.setattr(OpenAIBatch, "max_requests", 2)
    done = run(openai(fake), articles(5))
    assert fake.counts["submissions"] == 3 and done.batch["batches"] == 3
    assert len(done.briefs) == 5
    monkeypatch.setattr(OpenAIBatch, "max_requests", 50_000)
    engine = get_engine("openai", openai(fake))
    api = OpenAIBatch(engine.provider)
    sizes = [len(api.line("r0-0", engine.batch_bodies(a)[0][0])) for a in articles(5)]
    monkeypatch.setattr(OpenAIBatch, "max_bytes", 2 * max(sizes) + 10)  # two lines a part
    before = fake.counts["submissions"]
    done = run(openai(fake, prompt="brief@1"), articles(5))  # new requests: not cached
    assert fake.counts["submissions"] - before == 3 and len(done.briefs) == 5


def test_batch_on_a_provider_without_a_batch_api_is_a_one_line_error(tmp_path):
    (tmp_path / "a.txt").write_text(TEXTS[0])
    runner = CliRunner()
    for name in ("ollama", "extractive"):
        result = runner.invoke(app, ["daily", str(tmp_path / "a.txt"), "--batch", "-p", name])
        assert result.exit_code == 2
        assert result.stderr == (f"briefer: error: provider {name!r} has no batch API: "
                                 "--batch works with anthropic, openai\n")
    with pytest.raises(ConfigError, match="has no batch API"):
        run(Settings(provider="ollama", batch=True), articles(1))


def test_daily_and_eval_offer_batch():
    runner = CliRunner()
    for command in ("daily", "eval"):
        assert "--batch" in runner.invoke(app, [command, "--help"]).stdout


def test_daily_batch_through_the_cli_reports_batch_prices(fake, tmp_path, monkeypatch):
    for n, text in enumerate(TEXTS[:3]):
        (tmp_path / f"a{n}.txt").write_text(text)
    (tmp_path / "briefer.toml").write_text(
        'batch_poll_interval = 0.01\n[prices."gpt-4o-mini"]\ninput = 0.15\noutput = 0.60\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["daily", "a0.txt", "a1.txt", "a2.txt", "--batch", "-p",
                                      "openai", "--base-url", f"{fake.url}/v1", "-f", "json",
                                      "-o", "out.json"])
    assert result.exit_code == 0, result.stderr
    # 3 calls x (900 in x 0.075 + 120 out x 0.30) / 1e6, + the day's bottom line (daily@1),
    # one live call at live prices: (900 x 0.15 + 120 x 0.60) / 1e6
    assert "batch: 3 calls answered by the batch API, 1 live; $0.0005 at batch prices" \
        in result.stderr
    daily = json.loads((tmp_path / "out.json").read_text())
    assert daily["meta"]["usage"]["batch_calls"] == 3


def test_eval_batch(fake, tmp_path):
    from briefer.evaluate import evaluate

    for n, text in enumerate(TEXTS[:2]):
        (tmp_path / "corpus").mkdir(exist_ok=True)
        (tmp_path / "corpus" / f"a{n}.txt").write_text(text)
    settings = openai(fake, prices={"gpt-4o-mini": {"input": 0.15, "output": 0.60}})
    result = evaluate(tmp_path / "corpus", settings)
    assert fake.counts["submissions"] == 1 and fake.counts["live"] == 0
    (run_,) = result.runs
    assert all(a.error is None for a in run_.articles)
    assert run_.articles[0].metrics["cost_usd"] == pytest.approx(
        (900 * 0.075 + 120 * 0.30) / 1e6)


def test_cost_at_batch_prices():
    settings = Settings(prices={"m": {"input": 1.0, "output": 2.0, "batch_output": 0.5}})
    usage = {"calls": 3, "input_tokens": 3000, "output_tokens": 300, "batch_calls": 2,
             "batch_input_tokens": 2000, "batch_output_tokens": 200}
    assert cost(settings, "m", usage) == pytest.approx(
        (1000 * 1.0 + 100 * 2.0 + 2000 * 0.5 + 200 * 0.5) / 1e6)
    assert cost(settings, "other", usage) is None


def test_a_killed_daily_run_resumes_its_batch_instead_of_resubmitting(fake, tmp_path):
    """A real kill: `briefer daily --batch` is killed while it waits for the batch; the same
    command again polls the same batch id and writes the memo."""
    import os
    import subprocess
    import sys
    import time

    fake.polls = 10**6  # the batch stays in progress while the first run waits
    files = []
    for n, text in enumerate(TEXTS[:3]):
        files.append(tmp_path / f"a{n}.txt")
        files[-1].write_text(text)
    out = tmp_path / "memo.md"
    env = {**os.environ, "BRIEFER_BATCH_POLL_INTERVAL": "0.05"}
    argv = [sys.executable, "-m", "briefer", "daily", *map(str, files), "--batch", "-p",
            "openai", "--base-url", f"{fake.url}/v1", "-o", str(out), "-q"]
    jobs = jobs_folder(Cache())
    first = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (list(jobs.glob("*.json")) and fake.counts["polls"] >= 2):
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first.kill()
    first.communicate()
    assert not out.exists() and fake.counts["submissions"] == 1
    (job,) = jobs.glob("*.json")
    batch_id = json.loads(job.read_text())["batch_id"]
    fake.polls = 0  # the batch has ended by now
    second = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert fake.counts["submissions"] == 1  # resumed, not resubmitted
    # the only live call: the day's bottom line (daily@1), after the batch
    assert fake.batches[batch_id]["status"] == "completed" and fake.counts["live"] == 1
    assert "batch: 3 calls answered by the batch API, 1 live" in second.stderr
    assert "The council approved the budget on Monday." in out.read_text()
    assert not list(jobs.glob("*.json"))
