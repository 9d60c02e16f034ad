"""Provider batch APIs, spoken over httpx: OpenAI Batch (a JSONL file uploaded to
``/v1/files``, ``POST /v1/batches``, polled, the output and error files downloaded) and
Anthropic Message Batches (``POST /v1/messages/batches``, polled, results JSONL).

A request body is what the live path would send: the chat model bound to the structured-
output method renders it (:func:`request_body`); an answer is turned back into the chat
model's own message type (:meth:`BatchAPI.message`), so the engine parses, validates,
repairs and grounds it exactly as a live answer. Results are streamed to a file and read
line by line: memory stays flat in the number of requests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from briefer.errors import ConfigError, ProviderError

if TYPE_CHECKING:
    import httpx

    from briefer.providers.base import Provider

#: keyword arguments of an SDK call that are not part of the request body
_NOT_BODY = ("extra_headers", "extra_query", "timeout")


def request_body(binding: Any, messages: list[tuple[str, str]]) -> dict[str, Any]:
    """The JSON body a live call of ``binding`` (a chat model bound to the structured-output
    method) sends for ``messages``: the chat model renders it itself."""
    kwargs = {k: v for k, v in binding.kwargs.items() if k != "ls_structured_output_format"}
    payload = dict(binding.bound._get_request_payload(messages, **kwargs))
    extra = payload.pop("extra_body", None) or {}
    for key in _NOT_BODY:
        payload.pop(key, None)
    return {**payload, **extra}


@dataclass
class Outcome:
    """One request's result: the provider's response body, or why there is none."""

    custom_id: str
    body: dict[str, Any] | None
    error: str | None = None


@dataclass
class Status:
    ended: bool
    state: str
    counts: dict[str, int]


class BatchAPI:
    name: ClassVar[str]
    #: the provider's limits per batch: requests and bytes of the request file
    max_requests: ClassVar[int]
    max_bytes: ClassVar[int]

    def __init__(self, provider: Provider, client: httpx.Client | None = None) -> None:
        import httpx

        self.provider = provider
        timeout = provider.settings.timeout
        self.client = client or httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0),
                                             headers=self.headers())

    def close(self) -> None:
        self.client.close()

    def headers(self) -> dict[str, str]:
        raise NotImplementedError

    def line(self, custom_id: str, body: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def submit(self, part: Path) -> str:
        raise NotImplementedError

    def poll(self, batch_id: str) -> Status:
        raise NotImplementedError

    def results(self, batch_id: str, folder: Path) -> Iterator[Outcome]:
        raise NotImplementedError

    def message(self, chat: Any, body: dict[str, Any]) -> Any:
        """The chat model's own message for a response body."""
        raise NotImplementedError

    # -- HTTP --------------------------------------------------------------------------------

    def _json(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        import httpx

        from briefer.providers.base import scrub

        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise self._fail(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            raise self._fail(f"HTTP {response.status_code} from {method} {url}: "
                             f"{scrub(response.text)[:300]}")
        try:
            data = response.json()
        except ValueError as exc:
            raise self._fail(f"{method} {url} did not answer JSON") from exc
        if not isinstance(data, dict):
            raise self._fail(f"{method} {url} did not answer a JSON object")
        return data

    def _download(self, url: str, target: Path) -> Path:
        import httpx

        try:
            with self.client.stream("GET", url) as response, target.open("wb") as out:
                if response.status_code >= 400:
                    raise self._fail(f"HTTP {response.status_code} from GET {url}")
                for block in response.iter_bytes(1 << 16):
                    out.write(block)
        except httpx.HTTPError as exc:
            raise self._fail(f"{type(exc).__name__}: {exc}") from exc
        return target

    def _fail(self, cause: str) -> ProviderError:
        return ProviderError(self.provider.name, self.provider.settings.model,
                             f"batch API: {cause}")


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                try:
                    yield json.loads(raw)
                except ValueError:
                    continue  # a torn line is a missing result: that request goes live


class OpenAIBatch(BatchAPI):
    """https://platform.openai.com/docs/guides/batch"""

    name = "openai"
    max_requests = 50_000
    max_bytes = 200 * 1024 * 1024
    endpoint = "/v1/chat/completions"
    done_states = frozenset({"completed", "failed", "expired", "cancelled"})

    @property
    def base(self) -> str:
        return (self.provider.base_url or "https://api.openai.com/v1").rstrip("/")

    def headers(self) -> dict[str, str]:
        key = self.provider.key()
        return {"authorization": f"Bearer {key.get_secret_value()}"} if key else {}

    def line(self, custom_id: str, body: dict[str, Any]) -> bytes:
        return json.dumps({"custom_id": custom_id, "method": "POST", "url": self.endpoint,
                           "body": body}, separators=(",", ":")).encode() + b"\n"

    def submit(self, part: Path) -> str:
        with part.open("rb") as handle:
            uploaded = self._json("POST", f"{self.base}/files", data={"purpose": "batch"},
                                  files={"file": (part.name, handle, "application/jsonl")})
        batch = self._json("POST", f"{self.base}/batches", json={
            "input_file_id": uploaded["id"], "endpoint": self.endpoint,
            "completion_window": "24h"})
        return str(batch["id"])

    def poll(self, batch_id: str) -> Status:
        data = self._json("GET", f"{self.base}/batches/{batch_id}")
        state = str(data.get("status"))
        counts = data.get("request_counts") or {}
        return Status(state in self.done_states, state, {k: int(v) for k, v in counts.items()})

    def results(self, batch_id: str, folder: Path) -> Iterator[Outcome]:
        data = self._json("GET", f"{self.base}/batches/{batch_id}")
        for key in ("output_file_id", "error_file_id"):
            file_id = data.get(key)
            if not file_id:
                continue
            path = self._download(f"{self.base}/files/{file_id}/content",
                                  folder / f"{batch_id}.{key}.jsonl")
            for row in _lines(path):
                response = row.get("response") or {}
                error = row.get("error")
                ok = response.get("status_code") == 200 and not error
                yield Outcome(str(row.get("custom_id")), response.get("body") if ok else None,
                              None if ok else json.dumps(error or response.get("body"))[:300])
            path.unlink(missing_ok=True)

    def message(self, chat: Any, body: dict[str, Any]) -> Any:
        return chat._create_chat_result(body).generations[0].message


class AnthropicBatch(BatchAPI):
    """https://docs.anthropic.com/en/docs/build-with-claude/batch-processing"""

    name = "anthropic"
    max_requests = 100_000
    max_bytes = 256 * 1024 * 1024
    version = "2023-06-01"

    @property
    def base(self) -> str:
        base = (self.provider.base_url or "https://api.anthropic.com").rstrip("/")
        return base.removesuffix("/v1")

    def headers(self) -> dict[str, str]:
        key = self.provider.key()
        headers = {"anthropic-version": self.version, "content-type": "application/json"}
        if key:
            headers["x-api-key"] = key.get_secret_value()
        return headers

    def line(self, custom_id: str, body: dict[str, Any]) -> bytes:
        return json.dumps({"custom_id": custom_id, "params": body},
                          separators=(",", ":")).encode() + b"\n"

    def submit(self, part: Path) -> str:
        def stream() -> Iterator[bytes]:  # {"requests": [line, line, ...]} from the file
            yield b'{"requests":['
            with part.open("rb") as handle:
                for n, raw in enumerate(handle):
                    yield (b"," if n else b"") + raw.rstrip(b"\n")
            yield b"]}"

        with part.open("rb") as handle:  # the length up front: no chunked upload
            lines = sum(1 for _ in handle)
        size = len(b'{"requests":[]}') + part.stat().st_size - lines + max(lines - 1, 0)
        batch = self._json("POST", f"{self.base}/v1/messages/batches", content=stream(),
                           headers={"content-length": str(size)})
        return str(batch["id"])

    def poll(self, batch_id: str) -> Status:
        data = self._json("GET", f"{self.base}/v1/messages/batches/{batch_id}")
        state = str(data.get("processing_status"))
        counts = data.get("request_counts") or {}
        return Status(state == "ended", state, {k: int(v) for k, v in counts.items()})

    def results(self, batch_id: str, folder: Path) -> Iterator[Outcome]:
        data = self._json("GET", f"{self.base}/v1/messages/batches/{batch_id}")
        url = data.get("results_url") or f"{self.base}/v1/messages/batches/{batch_id}/results"
        path = self._download(str(url), folder / f"{batch_id}.results.jsonl")
        for row in _lines(path):
            result = row.get("result") or {}
            ok = result.get("type") == "succeeded"
            yield Outcome(str(row.get("custom_id")), result.get("message") if ok else None,
                          None if ok else json.dumps(result)[:300])
        path.unlink(missing_ok=True)

    def message(self, chat: Any, body: dict[str, Any]) -> Any:
        from anthropic.types import Message

        return chat._format_output(Message.model_validate(body)).generations[0].message


APIS: dict[str, type[BatchAPI]] = {"openai": OpenAIBatch, "anthropic": AnthropicBatch}


def api_for(provider: Provider) -> BatchAPI:
    """The provider's batch API; a :class:`ConfigError` when it has none."""
    if provider.batch_api not in APIS:
        with_batch = sorted(APIS)
        raise ConfigError(f"provider {provider.name!r} has no batch API: --batch works with "
                          f"{', '.join(with_batch)}")
    return APIS[provider.batch_api](provider)
