"""A content-addressed cache of per-article briefs, in SQLite (WAL mode).

Key: sha256 of the normalised article text + the engine's identity (provider, model,
parameters, prompt template hashes; or the extractive engine's version and a digest of its
code and weights). A re-run over the
same inputs makes no provider call. Several processes may use one cache at once: SQLite's
WAL journal and a busy timeout serialise the writers. A cache file that is not a database
any more is moved aside and rebuilt, with a warning.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from briefer.errors import ConfigError

_SCHEMA = """CREATE TABLE IF NOT EXISTS briefs (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    created REAL NOT NULL,
    value TEXT NOT NULL
)"""


_OPEN_ATTEMPTS = 20


def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    message = str(exc).lower()
    return any(m in message for m in ("not a database", "malformed", "corrupt"))


def default_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefer" / "cache.sqlite3"


def cache_key(text_sha256: str, engine_id: str) -> str:
    return hashlib.sha256(f"{text_sha256}\0{engine_id}".encode()).hexdigest()


class Cache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cache folder {self.path.parent}: {exc.strerror}") from exc
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc):
                raise  # "database is locked" and friends: never a reason to move it aside
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.warnings.append(f"cache {self.path} was corrupt; moved to {aside.name} and "
                                 "started afresh")
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        for attempt in range(_OPEN_ATTEMPTS):
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                 check_same_thread=False)
            try:
                db.execute("PRAGMA busy_timeout = 30000")
                db.execute("PRAGMA journal_mode = WAL")
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM briefs").fetchone()
                return db
            except sqlite3.OperationalError as exc:
                db.close()
                if _corrupt(exc) or attempt == _OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))  # another process is creating it
            except sqlite3.DatabaseError:
                db.close()
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._connect().execute("SELECT value FROM briefs WHERE key = ?",
                                          (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, engine: str, value: str) -> None:
        with self._lock:
            self._connect().execute(
                "INSERT OR REPLACE INTO briefs (key, engine, created, value) VALUES (?, ?, ?, ?)",
                (key, engine, time.time(), value))

    def info(self) -> dict[str, Any]:
        with self._lock:
            db = self._connect()
            entries, engines = db.execute(
                "SELECT count(*), count(DISTINCT engine) FROM briefs").fetchone()
        size = sum(p.stat().st_size for p in self.path.parent.glob(f"{self.path.name}*")
                   if p.is_file() and "corrupt" not in p.name)
        return {"path": str(self.path), "entries": entries, "engines": engines, "bytes": size}

    def clear(self) -> int:
        with self._lock:
            db = self._connect()
            (count,) = db.execute("SELECT count(*) FROM briefs").fetchone()
            db.execute("DELETE FROM briefs")
            db.execute("VACUUM")
        return int(count)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
