"""A simulated day of 10,000 articles through batch mode and through live calls.

Both run against a LOCAL fake server (tests/fakebatch.py, in its own process so only
briefer's memory is measured): OpenAI Batch (upload, submit, poll, download) for
``--batch``, ``/v1/chat/completions`` with ``concurrency`` calls in flight for live. Each
measurement runs in a fresh process and reports wall time, model calls, HTTP requests and
peak memory (``ru_maxrss``). Articles are small synthetic texts made on demand, and batch
results are handed over one by one (``on_brief``), so memory stays flat in the number of
articles; the live path keeps every brief (``Condensed.briefs``), as ``briefer daily`` does.

    python bench/batch.py [--articles 10000] [--small 1000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, save, table

PLACES = ["Lisbon", "Oslo", "Nairobi", "Lima", "Hanoi", "Quito", "Accra", "Riga"]
TOPICS = ["budget", "strike", "flood", "merger", "election", "treaty", "vaccine", "port"]


class SyntheticDay(Sequence[Any]):
    """Article ``i`` of a day, made when asked for (nothing held)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: Any) -> Any:
        from briefer.model import Article

        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        if not 0 <= i < self.n:
            raise IndexError(i)
        place, topic = PLACES[i % 8], TOPICS[(i // 8) % 8]
        text = (f"Officials in {place} announced a new {topic} plan on day {i}. "
                f"Critics said the {topic} plan was rushed and asked for a vote. "
                f"A decision is expected next week, the office of item {i} said.")
        return Article(id=f"s{i + 1}", text=text, path_or_url=f"day/{i}.txt")


def child(mode: str, n: int, url: str, concurrency: int) -> dict[str, Any]:
    from briefer.batch import condense_batch
    from briefer.config import Settings
    from briefer.engines import get_engine
    from briefer.pipeline import condense_all

    settings = Settings(provider="openai", model="gpt-4o-mini", base_url=f"{url}/v1",
                        max_retries=0, timeout=60, concurrency=concurrency,
                        batch=mode == "batch", batch_poll_interval=0.5)
    engine = get_engine("openai", settings)
    day = SyntheticDay(n)
    got = {"briefs": 0, "calls": 0, "grounded": 0}

    def take(article: Any, brief: Any) -> None:
        got["briefs"] += 1
        got["calls"] += brief.meta.usage.get("calls", 0)
        got["grounded"] += bool(brief.meta.grounding and brief.meta.grounding.verified)

    start = time.perf_counter()
    if mode == "batch":
        done = condense_batch(day, engine, settings, on_brief=take)
    else:
        done = condense_all(day, engine, settings)
        for brief in done.briefs.values():
            take(None, brief)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB
    return {"mode": mode, "articles": n, "wall_s": round(wall, 1), "briefs": got["briefs"],
            "grounded": got["grounded"], "model_calls": got["calls"],
            "failures": len(done.failures), "peak_rss_mb": round(peak, 1),
            "batch": done.batch}


def measure(mode: str, n: int, url: str, concurrency: int) -> dict[str, Any]:
    import urllib.request

    def stats() -> dict[str, int]:
        with urllib.request.urlopen(f"{url}/stats") as answer:
            return dict(json.loads(answer.read()))

    before = stats()
    env = {**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="bench-batch-cache-")}
    proc = subprocess.run([sys.executable, __file__, "--child", mode, str(n), url,
                           str(concurrency)], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} {n} failed: {proc.stderr[-800:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    after = stats()
    result["http_requests"] = sum(after.values()) - sum(before.values())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, n, url, concurrency = args.child
        print(json.dumps(child(mode, int(n), url, int(concurrency))))
        return
    folder = tempfile.mkdtemp(prefix="bench-batch-server-")
    server = subprocess.Popen([sys.executable, "-m", "tests.fakebatch", folder], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        rows = [measure(mode, n, url, args.concurrency)
                for n in (args.small, args.articles) for mode in ("batch", "live")]
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
    print(table([[r["mode"], r["articles"], r["wall_s"], r["briefs"], r["model_calls"],
                  r["http_requests"], r["peak_rss_mb"]] for r in rows],
                ["mode", "articles", "wall s", "briefs", "model calls", "HTTP requests",
                 "peak RSS MB"]))
    save("batch", {"concurrency": args.concurrency, "rows": rows})


if __name__ == "__main__":
    main()
