"""LLM-path overhead: everything briefer does around a provider call (prompt rendering,
client set-up, validation, grounding, rendering), against a local OpenAI-compatible
endpoint that answers the seed brief after a fixed delay.

    python bench/llm_overhead.py [--delay 0.5] [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, save, table
from daily import _Delayed

from briefer.config import Settings
from briefer.pipeline import brief
from briefer.render import render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    draft = json.loads((ROOT / "tests" / "fixtures" / "providers" / "seed_draft.json")
                       .read_text(encoding="utf-8"))
    _Delayed.delay = args.delay
    _Delayed.answer = json.dumps({
        "id": "x", "object": "chat.completion", "created": 0, "model": "bench",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": json.dumps(draft)}}],
        "usage": {"prompt_tokens": 1500, "completion_tokens": 400, "total_tokens": 1900}},
    ).encode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Delayed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = Settings(provider="openai", model="bench", structured_output="json_mode",
                        base_url=f"http://127.0.0.1:{server.server_address[1]}/v1",
                        max_retries=0)
    example = ROOT / "examples" / "blinken-wang.txt"
    start = time.perf_counter()
    render(brief([example], settings).brief, "md")  # first run: imports, client
    first = time.perf_counter() - start - args.delay
    overheads = []
    for _ in range(args.runs):
        start = time.perf_counter()
        render(brief([example], settings).brief, "md")
        overheads.append(time.perf_counter() - start - args.delay)
    server.shutdown()
    median = statistics.median(overheads)
    print(table([["first run (imports langchain_openai, builds the client)", f"{first:.3f}"],
                 [f"median of {args.runs} warm runs", f"{median:.3f}"],
                 ["max of warm runs", f"{max(overheads):.3f}"]],
                ["overhead beyond the provider's delay", "seconds"]))
    print("saved", save("llm_overhead", {"delay": args.delay, "first": first,
                                         "median": median, "runs": overheads}))


if __name__ == "__main__":
    main()
