"""Batch mode (``--batch``): the condense calls of a run go through the provider's batch API
(:mod:`briefer.providers.batch`) at batch prices, instead of one live call each.

1. Each article not in the cache becomes its request bodies (one per chunk), rendered by the
   same chat model and structured-output method as a live call (``LLMEngine.batch_bodies``),
   written as JSONL parts that respect the provider's limits (requests and bytes per batch).
2. A part is named by the sha256 of its requests. Its job id is saved in the cache folder
   (``batches/<sha256>.json``) the moment it is submitted, so a run that is interrupted and
   started again polls the same batch instead of submitting it twice.
3. Results are streamed to a file and read line by line, mapped back by ``custom_id``
   (``r<article>-<chunk>``), and each answer goes through the live path's parsing,
   validation, one repair, grounding and verification; every brief is cached.
4. Articles the batch did not answer (an errored, expired or missing request) fall back to
   live calls, each marked with a notice.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer.cache import Cache, cache_key, default_path
from briefer.config import Settings
from briefer.errors import BrieferError, ConfigError, ProviderError, SourceFailed
from briefer.model import Article, Brief, Notice

if TYPE_CHECKING:
    from briefer.condensed import Condensed, Progress
    from briefer.engines import Engine
    from briefer.providers.batch import BatchAPI


def check(settings: Settings) -> None:
    """``--batch`` on a provider without a batch API: a one-line :class:`ConfigError`."""
    from briefer.providers import provider_class, resolve
    from briefer.providers.batch import APIS

    settings = resolve(settings)
    cls = provider_class(settings.provider)
    if cls.batch_api not in APIS:
        raise ConfigError(f"provider {settings.provider!r} has no batch API: --batch works "
                          f"with {', '.join(sorted(APIS))}")


def jobs_folder(cache: Cache | None) -> Path:
    """Where job ids and request files live: beside the cache."""
    return (cache.path.parent if cache is not None else default_path().parent) / "batches"


def cost(settings: Settings, model: str | None, usage: dict[str, int]) -> float | None:
    """USD for ``usage`` at ``[prices.MODEL]``: batch calls at the batch price
    (``batch_input``/``batch_output``, else ``batch_discount`` of the live price)."""
    price = settings.prices.get(model or "") if settings.prices else None
    if price is None:
        return 0.0 if not usage.get("calls") else None
    batch_in, batch_out = usage.get("batch_input_tokens", 0), usage.get("batch_output_tokens", 0)
    live_in = usage.get("input_tokens", 0) - batch_in
    live_out = usage.get("output_tokens", 0) - batch_out
    share = settings.batch_discount
    return (live_in * price.get("input", 0.0) + live_out * price.get("output", 0.0)
            + batch_in * price.get("batch_input", price.get("input", 0.0) * share)
            + batch_out * price.get("batch_output", price.get("output", 0.0) * share)
            ) / 1_000_000


def summary(settings: Settings, model: str | None, usage: dict[str, int]) -> str:
    """One line for the end of a batch run: calls by batch and live, and the cost."""
    batch_calls = usage.get("batch_calls", 0)
    live = usage.get("calls", 0) - batch_calls
    price = cost(settings, model, usage)
    priced = (f"${price:.4f} at batch prices" if price is not None
              else f"no [prices.\"{model}\"] in the config to price it")
    return f"batch: {batch_calls} calls answered by the batch API, {live} live; {priced}"


@dataclass
class Part:
    """One batch: a JSONL request file named by its sha256, and its job once submitted."""

    path: Path
    digest: str
    requests: int
    batch_id: str | None = None
    resumed: bool = False

    @property
    def job(self) -> Path:
        return self.path.with_suffix(".json")


def condense_batch(articles: Sequence[Article], engine: Engine, settings: Settings, *,
                   cache: Cache | None = None, progress: Progress | None = None,
                   on_brief: Callable[[Article, Brief], None] | None = None,
                   sleep: Callable[[float], Any] = time.sleep) -> Condensed:
    """``condense_all`` through the provider's batch API. With ``on_brief`` each verified
    brief is handed over as it is made and not kept (memory flat in the number of
    articles); otherwise they are collected in ``Condensed.briefs``."""
    from briefer.condensed import Condensed, cached_brief, rehome, store_brief
    from briefer.engines.llm import LLMEngine
    from briefer.providers.batch import api_for
    from briefer.verify import verify

    if not isinstance(engine, LLMEngine):
        raise ConfigError(f"--batch needs a model provider; {engine.name!r} makes no calls")
    api = api_for(engine.provider)
    done = Condensed()
    folder = jobs_folder(cache)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"batch folder {folder}: {exc.strerror}") from exc

    def deliver(article: Article, result: Brief, outcome: str) -> None:
        start = time.perf_counter()
        verify(result, {article.id: article}, fuzzy=settings.fuzzy_threshold,
               drop_unverified=settings.drop_unverified)
        done.verify_s += time.perf_counter() - start
        done.cache_hits += outcome == "cached"
        if on_brief is not None:
            on_brief(article, result)
        else:
            done.briefs[article.id] = result
        if progress is not None:
            progress(article, outcome)

    def failed(article: Article, exc: BrieferError) -> None:
        done.failures.append(SourceFailed(article.path_or_url, exc))
        if progress is not None:
            progress(article, "failed")

    def store(article: Article, result: Brief) -> None:
        if cache is not None:
            store_brief(cache, cache_key(article.sha256, engine.cache_id), engine.cache_id, result)

    # article index -> (requests (chunks) to map back, sha256 of its rendered prompt)
    expected: dict[int, tuple[int, str]] = {}
    parts: list[Part] = []
    writer = _Writer(api, folder, parts)
    try:
        for i, article in enumerate(articles):
            cached = (cached_brief(cache, cache_key(article.sha256, engine.cache_id))
                      if cache else None)
            if cached is not None:
                deliver(article, rehome(cached, article), "cached")
                continue
            try:
                bodies, prompt_sha256 = engine.batch_bodies(article)
            except BrieferError as exc:
                failed(article, exc)
                continue
            expected[i] = (len(bodies), prompt_sha256)
            for j, body in enumerate(bodies):
                writer.add(api.line(f"r{i}-{j}", body))
        writer.close()
        for part in parts:
            _submit_or_resume(api, part, engine)
        _wait(api, parts, settings, folder, sleep)
        answers: dict[int, dict[int, dict[str, Any]]] = {}  # an article's chunks may span parts
        broken: set[int] = set()
        for part in parts:
            assert part.batch_id is not None
            for outcome in api.results(part.batch_id, folder):
                i, j = _ids(outcome.custom_id)
                if i not in expected or i in broken:
                    continue
                if outcome.body is None:
                    broken.add(i)
                    continue
                try:
                    answers.setdefault(i, {})[j] = engine.batch_answer(api, articles[i],
                                                                       outcome.body)
                except Exception:  # an answer the SDK cannot read: that article goes live
                    broken.add(i)
                    continue
                if len(answers[i]) < expected[i][0]:
                    continue
                got = answers.pop(i)
                prompt_sha256 = expected.pop(i)[1]
                article = articles[i]
                try:
                    result = engine.finish(article, [got[n] for n in range(len(got))],
                                           prompt_sha256)
                except BrieferError as exc:
                    failed(article, exc)
                    continue
                store(article, result)
                deliver(article, result, "done")
        live = sorted(expected)  # not answered by the batch: live calls
        done.batch = {"batches": len(parts), "resumed": sum(p.resumed for p in parts),
                      "requests": sum(p.requests for p in parts), "live_fallback": len(live)}
        _live(live, articles, engine, settings, store, deliver, failed)
        for part in parts:  # every answer is delivered (and cached): the jobs are done
            part.job.unlink(missing_ok=True)
            part.path.unlink(missing_ok=True)
    finally:
        writer.discard()
        api.close()
        engine.close()
    order = {a.path_or_url: n for n, a in enumerate(articles)} if len(done.failures) > 1 else {}
    done.failures.sort(key=lambda e: order.get(getattr(e, "source", ""), 0))
    return done


class _Writer:
    """Request lines into parts of at most ``max_requests`` lines and ``max_bytes`` bytes,
    each named by the sha256 of its content."""

    def __init__(self, api: BatchAPI, folder: Path, parts: list[Part]) -> None:
        self.api, self.folder, self.parts = api, folder, parts
        self.handle: Any = None

    def _open(self) -> None:
        self.tmp = self.folder / f"writing-{time.time_ns()}.jsonl"
        self.handle = self.tmp.open("wb")
        self.hash = hashlib.sha256(f"{self.api.name}\0{self.api.provider.base_url}\0".encode())
        self.count = self.size = 0

    def add(self, line: bytes) -> None:
        if len(line) > self.api.max_bytes:
            raise ConfigError(f"one request is {len(line)} bytes, over the batch limit of "
                              f"{self.api.max_bytes}")
        if self.handle is not None and (self.count + 1 > self.api.max_requests
                                        or self.size + len(line) > self.api.max_bytes):
            self.close()
        if self.handle is None:
            self._open()
        self.handle.write(line)
        self.hash.update(line)
        self.count += 1
        self.size += len(line)

    def discard(self) -> None:
        """A part still being written when the run stopped: never submitted, removed."""
        if self.handle is not None:
            self.handle.close()
            self.tmp.unlink(missing_ok=True)
            self.handle = None

    def close(self) -> None:
        if self.handle is None:
            return
        self.handle.close()
        digest = self.hash.hexdigest()
        path = self.folder / f"{digest}.jsonl"
        self.tmp.replace(path)
        self.parts.append(Part(path, digest, self.count))
        self.handle = None


def _submit_or_resume(api: BatchAPI, part: Part, engine: Any) -> None:
    """The part's job id from an earlier run, else a new submission, saved at once."""
    from briefer.atomic import write_atomic

    if part.job.is_file():
        try:
            part.batch_id = str(json.loads(part.job.read_text(encoding="utf-8"))["batch_id"])
            part.resumed = True
            return
        except (OSError, ValueError, KeyError):
            pass  # unreadable: submit again
    part.batch_id = api.submit(part.path)
    write_atomic(part.job, json.dumps({
        "batch_id": part.batch_id, "provider": engine.provider.name, "model": engine.model,
        "requests": part.requests, "submitted": time.time()}))


def _wait(api: BatchAPI, parts: list[Part], settings: Settings, folder: Path,
          sleep: Callable[[float], Any]) -> None:
    deadline = time.monotonic() + settings.batch_timeout
    waiting = list(parts)
    while True:
        states = {}
        for part in waiting:
            assert part.batch_id is not None
            states[part.batch_id] = api.poll(part.batch_id)
        waiting = [p for p in waiting if not states[str(p.batch_id)].ended]
        if not waiting:
            return
        if time.monotonic() >= deadline:
            ids = ", ".join(f"{p.batch_id} ({states[str(p.batch_id)].state})" for p in waiting)
            raise ProviderError(api.provider.name, api.provider.settings.model,
                                f"batch {ids} not finished after {settings.batch_timeout:g}s; "
                                f"the job ids are kept in {folder}: run the same command "
                                "again to pick them up")
        sleep(settings.batch_poll_interval)


def _ids(custom_id: str) -> tuple[int, int]:
    try:
        article, chunk = custom_id.removeprefix("r").split("-")
        return int(article), int(chunk)
    except ValueError:
        return -1, -1


def _live(indices: list[int], articles: Sequence[Article], engine: Any, settings: Settings,
          store: Callable[[Article, Brief], None],
          deliver: Callable[[Article, Brief, str], None],
          failed: Callable[[Article, BrieferError], None]) -> None:
    """The articles the batch did not answer, by live calls (as ``condense_all``)."""
    def one(i: int) -> tuple[Article, Brief | BrieferError]:
        article = articles[i]
        try:
            result = engine.condense(article)
        except BrieferError as exc:
            return article, exc
        result.meta.warnings.append(Notice(
            kind="batch", source_id=article.id,
            message="the batch returned no usable answer for this article; it was briefed "
                    "by a live call"))
        return article, result

    with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
        for article, result in pool.map(one, indices):
            if isinstance(result, BrieferError):
                failed(article, result)
            else:
                store(article, result)
                deliver(article, result, "done")


__all__ = ["Part", "check", "condense_batch", "cost", "jobs_folder", "summary"]
