"""Helpers for the benchmark scripts: timing subprocesses, printing tables, saving JSON."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


def time_command(argv: list[str], runs: int, cwd: Path | None = None) -> list[float]:
    """Wall time of ``argv`` as a whole process, ``runs`` times after one warm-up."""
    subprocess.run(argv, capture_output=True, cwd=cwd, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, cwd=cwd, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{argv} failed: {proc.stderr.decode()[-300:]}")
    return times


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(values),
        "median": statistics.median(ordered),
        "mean": statistics.fmean(ordered),
        "min": ordered[0],
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "max": ordered[-1],
    }


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=False))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def save(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    payload = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        **payload,
    }
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2))
    return path


def git(git_dir: str | Path, *args: str) -> str:
    """``git --git-dir GIT_DIR ARGS...``'s output (a mirror made by the fetch tool)."""
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], check=True,
                          capture_output=True, text=True).stdout


def git_head(git_dir: str | Path) -> str:
    return git(git_dir, "rev-parse", "HEAD").strip()


def git_show(git_dir: str | Path, path: str) -> str:
    """``path`` as the mirror's HEAD holds it."""
    return git(git_dir, "show", f"HEAD:{path}")


def pinned_file(repo: str, commit: str, path: str, git_dir: Path | None,
                sha256: str | None = None) -> bytes:
    """``path`` of ``repo`` at ``commit``: from a local git directory (a clone made by the
    fetch tool) or downloaded from GitHub; with ``sha256``, exactly the file the benchmark
    was written for or a one-line exit."""
    if git_dir is not None:
        data = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
                              check=True, capture_output=True).stdout
    else:
        import httpx

        url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
        response = httpx.get(url, timeout=60, follow_redirects=True)
        response.raise_for_status()
        data = response.content
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise SystemExit(f"{path}: not the file this benchmark was written for")
    return data


def read_jsonl(path: Path, script: str) -> list[dict]:
    """The rows a data script wrote to ``path`` (one JSON object a line)."""
    if not path.exists():
        raise SystemExit(f"{path} is missing: run python bench/{script} first")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
