"""Daily brief benchmarks: the corpus cold and warm, 10x the corpus, and concurrency
against a local OpenAI-compatible endpoint that answers after a fixed delay.

    python bench/daily.py [--corpus DIR] [--delay 0.5] [--articles 16] [--concurrency 4]

Targets (issue 4): corpus cold < 10 s and warm < 2 s whole process; cost about linear in
the input; with the delayed endpoint, wall time within 1.3x of ceil(N / concurrency) x delay.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, save, table

EXCLUDES = ["*.ref.txt", "*.src.txt", "*.dek.txt", "*.expected.txt", "SOURCES.txt",
            "README.md", "ref.txt", "*.json"]


def run_daily(folder: Path, cache: Path, out: Path) -> float:
    exe = str(Path(sys.executable).parent / "briefer")
    argv = [exe, "daily", str(folder), "-q", "-o", str(out)]
    for glob in EXCLUDES:
        argv += ["--exclude", glob]
    start = time.perf_counter()
    env = {"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin"}
    if os.environ.get("PYTHONPATH"):  # measure this checkout, not the installed one
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    proc = subprocess.run(argv, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise SystemExit(proc.stderr.decode()[-500:])
    return elapsed


def perturbed_copies(corpus: Path, target: Path, copies: int) -> int:
    """``copies`` variants of every article: words swapped so no two are near-duplicates."""
    rng = random.Random(7)
    files = [p for p in corpus.rglob("*.txt") if not any(p.match(g) for g in EXCLUDES)]
    for n in range(copies):
        for path in files:
            words = path.read_text(encoding="utf-8", errors="replace").split(" ")
            for i in range(0, len(words), 4):
                words[i] = words[i] + rng.choice(["", "s", "ed", "ly"])
            dest = target / f"copy{n}" / path.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(" ".join(words), encoding="utf-8")
    return len(files) * copies


class _Delayed(BaseHTTPRequestHandler):
    delay = 0.5
    answer = b""

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(self.answer)))
        self.end_headers()
        self.wfile.write(self.answer)


def delayed_endpoint(articles: int, concurrency: int, delay: float) -> dict[str, float]:
    from briefer.cache import Cache
    from briefer.config import Settings
    from briefer.daily import daily

    draft = {"title": "t", "summary": "s", "key_issues": [], "positions": [], "red_lines": [],
             "next_steps": []}
    _Delayed.delay = delay
    _Delayed.answer = json.dumps({
        "id": "x", "object": "chat.completion", "created": 0, "model": "bench",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": json.dumps(draft)}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Delayed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in range(articles):
            (folder / f"a{n:03d}.txt").write_text(
                f"Story {n}: the council of town {n} voted on measure {n * 7} on Monday. "
                f"Officials in town {n} said the measure {n * 7} will take effect next year.")
        settings = Settings(provider="openai", model="bench", structured_output="json_mode",
                            base_url=f"http://127.0.0.1:{server.server_address[1]}/v1",
                            concurrency=concurrency, max_retries=0)
        import langchain_openai  # noqa: F401 - import cost (~2 s) is not what is measured

        start = time.perf_counter()
        daily([folder], settings, cache=Cache(folder / "cache.sqlite3"))
        elapsed = time.perf_counter() - start
    server.shutdown()
    ideal = math.ceil(articles / concurrency) * delay
    return {"articles": articles, "concurrency": concurrency, "delay": delay,
            "seconds": elapsed, "ideal": ideal, "ratio": elapsed / ideal}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--articles", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    results: dict[str, object] = {}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        cold = run_daily(args.corpus, cache, tmp_path / "a.md")
        warm = run_daily(args.corpus, cache, tmp_path / "b.md")
        n = sum(1 for p in args.corpus.rglob("*") if p.suffix in (".txt", ".html", ".md")
                and not any(p.match(g) for g in EXCLUDES))
        rows += [["corpus, cold cache", str(n), f"{cold:.2f}"],
                 ["corpus, warm cache", str(n), f"{warm:.2f}"]]
        big = tmp_path / "big"
        copies = perturbed_copies(args.corpus, big, 10)
        shutil.rmtree(cache)
        ten = run_daily(big, cache, tmp_path / "c.md")
        rows.append(["10x corpus (perturbed), cold", str(copies), f"{ten:.2f}"])
        results.update(corpus_cold=cold, corpus_warm=warm, articles=n, ten_x=ten,
                       ten_x_articles=copies, ten_x_per_article=ten / copies,
                       corpus_per_article=cold / n)
    delayed = delayed_endpoint(args.articles, args.concurrency, args.delay)
    results["delayed_endpoint"] = delayed
    rows.append([f"delayed endpoint ({args.articles} x {args.delay}s, concurrency "
                 f"{args.concurrency})", str(args.articles),
                 f"{delayed['seconds']:.2f} (ideal {delayed['ideal']:.2f}, "
                 f"x{delayed['ratio']:.2f})"])
    print(table(rows, ["run", "articles", "seconds"]))
    print(f"per article: corpus {results['corpus_per_article'] * 1000:.0f} ms, "
          f"10x {results['ten_x_per_article'] * 1000:.0f} ms")
    print("saved", save("daily", results))


if __name__ == "__main__":
    main()
