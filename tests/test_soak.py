"""Soak and crash tests: a few hundred faulty provider calls at concurrency 8 end with every
source briefed or reported and nothing leaked; a write killed half-way leaves no half file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import tracemalloc

import pytest

from briefer.config import Settings
from briefer.daily import daily
from briefer.providers import retry
from tests.conftest import write
from tests.fakeserver import FakeServer, Reply, answer

ARTICLES = 120


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _faults(rng: random.Random, n: int) -> list[Reply]:
    replies = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.08:
            replies.append(Reply({"error": {"message": "boom", "type": "server_error"}}, 500))
        elif roll < 0.14:
            replies.append(Reply({"error": {"message": "slow", "type": "rate_limit"}}, 429,
                                 headers={"retry-after": "0"}))
        elif roll < 0.17:
            replies.append(Reply(raw=b"{}", delay=1.0))  # past the 0.4 s timeout
        elif roll < 0.20:
            replies.append(Reply(reset=True))
        elif roll < 0.23:
            replies.append(Reply({"error": {"message": "Incorrect API key",
                                            "type": "invalid_api_key"}}, 401))
        else:
            replies.append(answer())
    return replies


@pytest.mark.slow
def test_soak_every_source_briefed_or_reported_nothing_leaked(tmp_path, monkeypatch):
    monkeypatch.setattr(retry, "BASE_WAIT", 0.01)
    folder = tmp_path / "in"
    for n in range(ARTICLES):
        write(folder / f"a{n:03d}.txt", f"Town {n} council approved budget number {n * 13} "
                                        f"on Monday. Officials in town {n} said work begins.")
    settings_kw = {"provider": "openai", "model": "m", "structured_output": "json_mode",
                   "max_retries": 2, "timeout": 0.4, "concurrency": 8}

    def run_once(server: FakeServer) -> tuple[int, int]:
        before = len(server.requests)
        server.queue(*_faults(random.Random(11), 3 * ARTICLES))
        result = daily([folder], Settings(base_url=f"{server.url}/v1", **settings_kw),
                       cache=None)
        server.replies.clear()
        briefed = {s.path_or_url for s in result.daily.sources}
        reported = {m.input for m in result.daily.not_included}
        assert len(briefed) + len(reported) == ARTICLES
        assert not briefed & reported
        return len(server.requests) - before, len(reported)

    def ours() -> int:  # threads of briefer (and the test), not of the fake server
        return sum(1 for t in threading.enumerate() if not t.name.startswith("fakeserver"))

    with FakeServer() as server:
        run_once(server)  # warm-up: imports, the cached HTTP client
        threads, fds = ours(), _fds()
        tracemalloc.start()
        requests, failed = run_once(server)
        first = tracemalloc.get_traced_memory()[0]
        run_once(server)
        second = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        time.sleep(0.2)
        assert ours() <= threads
        assert _fds() <= fds + 8
    assert 150 <= requests <= 3 * ARTICLES  # a few hundred calls, retries bounded
    assert failed < ARTICLES // 4
    assert second - first < 5_000_000  # memory flat from one run to the next


WRITER = """
import sys
from briefer.atomic import write_atomic
size = int(sys.argv[2])
n = 0
while True:
    write_atomic(sys.argv[1], (b"AB"[n % 2:n % 2 + 1]) * size)
    n += 1
"""


@pytest.mark.parametrize("seed", range(6))
def test_a_write_killed_half_way_leaves_the_old_file_or_the_new_one(tmp_path, seed):
    target = tmp_path / "memo.md"
    size = 4_000_000
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(size)])
    time.sleep(0.4 + random.Random(seed).random() * 0.6)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    if target.exists():
        data = target.read_bytes()
        assert len(data) == size and data in (b"A" * size, b"B" * size)
    leftovers = list(tmp_path.glob(".memo.md.*.part"))
    assert len(leftovers) <= 1  # a temp file may stay behind; never the target half-written
