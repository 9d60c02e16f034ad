"""A scripted HTTP server on 127.0.0.1 for tests: SYNTHETIC responses, never a recording.

Each test queues the responses it wants (status, JSON body, headers, an optional delay);
the server answers requests in order and keeps what it received for assertions. Provider
tests use it at the HTTP boundary with bodies written from the providers' documented
formats (see tests/fixtures/providers/).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None  # send these bytes instead of JSON
    reset: bool = False  # drop the connection without answering
    close: bool = False  # close the connection after this reply (e.g. a short body)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class FakeServer:
    """``respond``: a function of the request that answers when no reply is queued (for
    tests whose calls run in an order they do not fix)."""

    def __init__(self, respond: Callable[[Request], Reply] | None = None) -> None:
        self.replies: deque[Reply] = deque()
        self.respond = respond
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(Request(self.command, self.path,
                                               {k.lower(): v for k, v in self.headers.items()},
                                               body))
                request = server.requests[-1]
                reply = (server.replies.popleft() if server.replies
                         else server.respond(request) if server.respond is not None
                         else Reply({"error": {"message": "no scripted reply left",
                                               "type": "test"}}, 599))
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    import socket
                    import struct

                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))  # RST, not FIN
                    self.close_connection = True
                    return
                data = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    headers = {"content-type": "application/json", **reply.headers}
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if "content-length" not in headers:
                        self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    if reply.close:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _handle

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hung up mid-reply is the point of some tests

            def process_request(self, request: Any, client_address: Any) -> None:
                thread = threading.Thread(target=self.process_request_thread,
                                          args=(request, client_address),
                                          name="fakeserver-handler", daemon=True)
                thread.start()

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True, name="fakeserver")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def completion(message: dict[str, Any], finish: str = "stop") -> Reply:
    """A chat.completion object as documented in OpenAI's API reference."""
    return Reply({
        "id": "chatcmpl-synthetic", "object": "chat.completion", "created": 1767225600,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "message": {"role": "assistant", "refusal": None, **message},
                     "logprobs": None, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500},
    })


def answer(**sections: Any) -> Reply:
    """An OpenAI-shaped answer carrying a draft brief with the given sections."""
    import json

    from briefer.model import SECTIONS

    draft = {"title": "t", "summary": "s", **{key: [] for key in SECTIONS}, **sections}
    return completion({"content": json.dumps(draft)})
