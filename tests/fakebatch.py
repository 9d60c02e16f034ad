"""A local fake of two providers' batch APIs and live chat endpoints, SYNTHETIC: OpenAI Batch
(``/v1/files``, ``/v1/batches``, file content) and Anthropic Message Batches
(``/v1/messages/batches``, results), plus ``/v1/chat/completions`` and ``/v1/messages`` for
live calls. Shapes follow the providers' documented examples. The "model" answers every
request with a draft quoting the article's first sentence. Files live on disk and are
processed line by line, so a 10,000-request batch costs the server little memory.

Used by tests/test_batch.py (in a thread) and bench/batch.py (``python -m tests.fakebatch``
in its own process, so the benchmark measures briefer's memory, not the server's).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_ARTICLE = re.compile(r"<<<ARTICLE (\w+)>>>\n?(.*?)\n?<<<END ARTICLE \1>>>", re.S)
_SENTENCE = re.compile(r"\S.*?[.!?](?=\s|$)", re.S)


def draft_for(user: str) -> dict[str, Any]:
    """The fake model's answer: a draft quoting the article's first sentence."""
    match = _ARTICLE.search(user)
    text = match.group(2).strip() if match else user
    first = _SENTENCE.search(text)
    quote = first.group(0) if first else text[:80]
    return {"title": quote[:60], "summary": quote,
            "key_issues": [{"issue": quote[:80], "detail": None, "quote": quote}],
            "positions": [], "red_lines": [], "next_steps": []}


def _user_text(body: dict[str, Any]) -> str:
    for message in body.get("messages", []):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return "".join(b.get("text", "") for b in content if isinstance(b, dict))
            return str(content)
    return ""


def openai_answer(body: dict[str, Any]) -> dict[str, Any]:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 1767225600,
            "model": body.get("model", "gpt-4o-mini"),
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "refusal": None,
                                     "content": json.dumps(draft_for(_user_text(body)))}}],
            "usage": {"prompt_tokens": 900, "completion_tokens": 120, "total_tokens": 1020}}


def anthropic_answer(body: dict[str, Any]) -> dict[str, Any]:
    return {"id": "msg_fake", "type": "message", "role": "assistant",
            "model": body.get("model", "claude-3-5-haiku-latest"),
            "content": [{"type": "tool_use", "id": "toolu_fake",
                         "name": (body.get("tools") or [{}])[0].get("name", "Draft"),
                         "input": draft_for(_user_text(body))}],
            "stop_reason": "tool_use", "stop_sequence": None,
            "usage": {"input_tokens": 900, "output_tokens": 120}}


class FakeBatchServer:
    """``fail``: custom ids answered with an error; ``lose``: custom ids left out of the
    results (as an expired batch does); ``polls``: polls before a batch has ended."""

    def __init__(self, folder: Path | None = None, polls: int = 1,
                 fail: frozenset[str] = frozenset(), lose: frozenset[str] = frozenset()) -> None:
        self.folder = Path(folder or tempfile.mkdtemp(prefix="fakebatch-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.polls, self.fail, self.lose = polls, fail, lose
        self.batches: dict[str, dict[str, Any]] = {}
        self.counts = {"uploads": 0, "submissions": 0, "polls": 0, "live": 0, "downloads": 0}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _body_to(self, path: Path) -> None:
                left = int(self.headers.get("content-length") or 0)
                with path.open("wb") as out:
                    while left > 0:
                        block = self.rfile.read(min(left, 1 << 16))
                        if not block:
                            break
                        out.write(block)
                        left -= len(block)

            def _json_body(self) -> Any:
                length = int(self.headers.get("content-length") or 0)
                return json.loads(self.rfile.read(length) or b"null")

            def _send(self, data: Any, status: int = 200) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _send_file(self, path: Path) -> None:
                self.send_response(200)
                self.send_header("content-type", "application/jsonl")
                self.send_header("content-length", str(path.stat().st_size))
                self.end_headers()
                with path.open("rb") as handle:
                    shutil.copyfileobj(handle, self.wfile, 1 << 16)

            def do_POST(self) -> None:
                path = self.path.split("?")[0]
                if path.endswith("/chat/completions"):
                    server._count("live")
                    return self._send(openai_answer(self._json_body()))
                if path.endswith("/v1/messages"):
                    server._count("live")
                    return self._send(anthropic_answer(self._json_body()))
                if path.endswith("/v1/files"):
                    return self._send(server._upload(self))
                if path.endswith("/v1/batches"):
                    return self._send(server._create(self._json_body(), "openai"))
                if path.endswith("/v1/messages/batches"):
                    upload = server.folder / f"anthropic-{len(server.batches)}.json"
                    self._body_to(upload)
                    return self._send(server._create_anthropic(upload))
                return self._send({"error": {"message": f"no route {path}"}}, 404)

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path == "/stats":
                    return self._send(server.counts)
                if m := re.fullmatch(r".*/v1/files/([\w-]+)/content", path):
                    server._count("downloads")
                    return self._send_file(server.folder / m.group(1))
                if m := re.fullmatch(r".*/v1/messages/batches/([\w-]+)/results", path):
                    server._count("downloads")
                    return self._send_file(server.folder / f"{m.group(1)}.results")
                if m := re.fullmatch(r".*/v1/(?:messages/)?batches/([\w-]+)", path):
                    return self._send(server._poll(m.group(1), self.headers.get("host")))
                return self._send({"error": {"message": f"no route {path}"}}, 404)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def _count(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    # -- OpenAI ------------------------------------------------------------------------------

    def _upload(self, handler: Any) -> dict[str, Any]:
        """multipart/form-data with ``purpose`` and ``file``: the file part saved as is."""
        self._count("uploads")
        raw = self.folder / f"upload-{self.counts['uploads']}.multipart"
        handler._body_to(raw)
        boundary = handler.headers["content-type"].split("boundary=")[1].strip('"').encode()
        data = raw.read_bytes()
        raw.unlink()
        for part in data.split(b"--" + boundary):
            head, _, content = part.partition(b"\r\n\r\n")
            if b'name="file"' in head:
                file_id = f"file-{self.counts['uploads']}"
                (self.folder / file_id).write_bytes(content.removesuffix(b"\r\n"))
                return {"id": file_id, "object": "file", "purpose": "batch",
                        "bytes": len(content), "filename": "requests.jsonl"}
        return {"error": {"message": "no file part"}}

    def _create(self, body: dict[str, Any], kind: str) -> dict[str, Any]:
        self._count("submissions")
        with self.lock:
            batch_id = f"batch_{len(self.batches) + 1}"
            self.batches[batch_id] = {"kind": kind, "input": self.folder / body["input_file_id"],
                                      "polls": 0, "status": "validating"}
        return self._openai_view(batch_id)

    def _openai_view(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        return {"id": batch_id, "object": "batch", "endpoint": "/v1/chat/completions",
                "status": batch["status"], "output_file_id": batch.get("output"),
                "error_file_id": batch.get("errors"),
                "request_counts": batch.get("counts", {"total": 0, "completed": 0,
                                                       "failed": 0})}

    # -- Anthropic ---------------------------------------------------------------------------

    def _create_anthropic(self, upload: Path) -> dict[str, Any]:
        self._count("submissions")
        requests = json.loads(upload.read_bytes())["requests"]
        with self.lock:
            batch_id = f"msgbatch_{len(self.batches) + 1}"
            path = self.folder / f"{batch_id}.input"
            with path.open("w", encoding="utf-8") as out:
                for request in requests:
                    out.write(json.dumps(request) + "\n")
            self.batches[batch_id] = {"kind": "anthropic", "input": path, "polls": 0,
                                      "status": "in_progress"}
        upload.unlink()
        return self._anthropic_view(batch_id, None)

    def _anthropic_view(self, batch_id: str, host: str | None) -> dict[str, Any]:
        batch = self.batches[batch_id]
        ended = batch["status"] == "ended"
        return {"id": batch_id, "type": "message_batch", "processing_status": batch["status"],
                "request_counts": batch.get("counts", {"processing": 1}),
                "results_url": f"http://{host}/v1/messages/batches/{batch_id}/results"
                if ended and host else None}

    # -- both --------------------------------------------------------------------------------

    def _poll(self, batch_id: str, host: str | None) -> dict[str, Any]:
        self._count("polls")
        with self.lock:
            batch = self.batches[batch_id]
            batch["polls"] += 1
            if batch["polls"] >= self.polls and batch["status"] in ("validating",
                                                                      "in_progress"):
                self._process(batch_id, batch)
        if batch["kind"] == "anthropic":
            return self._anthropic_view(batch_id, host)
        return self._openai_view(batch_id)

    def _process(self, batch_id: str, batch: dict[str, Any]) -> None:
        anthropic = batch["kind"] == "anthropic"
        out_path = self.folder / (f"{batch_id}.results" if anthropic else f"{batch_id}-out")
        err_path = self.folder / f"{batch_id}-err"
        ok = failed = 0
        with batch["input"].open("rb") as lines, out_path.open("w") as out, \
                err_path.open("w") as err:
            for raw in lines:
                if not raw.strip():
                    continue
                request = json.loads(raw)
                custom_id = request["custom_id"]
                if custom_id in self.lose:
                    continue
                if custom_id in self.fail:
                    failed += 1
                    if anthropic:
                        out.write(json.dumps({"custom_id": custom_id, "result": {
                            "type": "errored", "error": {"type": "error", "error": {
                                "type": "api_error", "message": "Internal server error"}}}})
                            + "\n")
                    else:
                        err.write(json.dumps({"id": f"req_{custom_id}", "custom_id": custom_id,
                                              "response": None, "error": {
                                                  "code": "server_error",
                                                  "message": "The server had an error"}})
                                  + "\n")
                    continue
                ok += 1
                if anthropic:
                    out.write(json.dumps({"custom_id": custom_id, "result": {
                        "type": "succeeded", "message": anthropic_answer(request["params"])}})
                        + "\n")
                else:
                    out.write(json.dumps({"id": f"req_{custom_id}", "custom_id": custom_id,
                                          "response": {"status_code": 200,
                                                       "request_id": "fake",
                                                       "body": openai_answer(request["body"])},
                                          "error": None}) + "\n")
        if anthropic:
            batch.update(status="ended", counts={"succeeded": ok, "errored": failed})
        else:
            batch.update(status="completed", output=out_path.name,
                         errors=err_path.name if failed else None,
                         counts={"total": ok + failed, "completed": ok, "failed": failed})

    def __enter__(self) -> FakeBatchServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str]) -> None:
    """``python -m tests.fakebatch``: serve until stdin closes; prints the URL first."""
    server = FakeBatchServer(Path(argv[0]) if argv else None)
    with server:
        print(server.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1:])
