"""Fetch http(s) sources with httpx: finite timeouts, a size cap read as a stream, a
content-type check and a bounded number of redirects, followed one by one.

A URL that a third party chose (a feed entry's link, any redirect that leaves the origin the
user typed) may not send briefer to an internal address: every such hop is checked with
:func:`briefer.safety.check_url` before the request, and the connection itself is made to
an address checked at connect time (see :class:`_GuardedBackend`), so a DNS answer that
changes between the check and the connect (rebinding) cannot slip through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from briefer._version import __version__
from briefer.errors import InputError

MAX_REDIRECTS = 5
TIMEOUT_S = 20.0
ACCEPTED = frozenset({
    "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json",
})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    data: bytes


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def origin(url: str) -> str:
    """``host:port`` of a URL, as :func:`briefer.safety.allowed` reads ``allow_hosts``."""
    from briefer.safety import host_port

    host, port = host_port(url)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def fetch(url: str, *, max_bytes: int, timeout: float | None = None,
          third_party: bool = False, allow_hosts: Iterable[str] = ()) -> Fetched:
    """GET ``url``; :class:`InputError` for every way it can fail, never a hang.

    ``third_party``: the URL came from a feed or a page, not from the user, so it is checked
    like a redirect. The user's own URL may point anywhere (their first hop and redirects
    that stay on its origin are not checked); every other hop may not resolve to a
    loopback, private, link-local, multicast, reserved or CGNAT address unless
    ``allow_hosts`` names its host or host:port.
    """
    import httpx

    timeout = timeout or TIMEOUT_S
    limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
    headers = {"user-agent": f"briefer/{__version__} (+briefing notes)",
               "accept": "text/html,application/xhtml+xml,application/rss+xml,"
                         "application/atom+xml,text/plain;q=0.9,*/*;q=0.1"}
    allow = tuple(allow_hosts)
    trusted = None if third_party else origin(url)
    guard = _GuardedBackend(allow)
    current = url
    try:
        with _client(guard, limits, headers) as client:
            for hop in range(MAX_REDIRECTS + 1):
                guard.checking = trusted is None or origin(current) != trusted
                if guard.checking:
                    _check(url, current, hop, allow)
                with client.stream("GET", current) as response:
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        current = urljoin(str(response.url), location.strip())
                        if urlsplit(current).scheme not in ("http", "https"):
                            raise InputError(url, f"refused: redirect to {current} (only "
                                                  "http and https are followed)")
                        continue
                    return _read(url, response, max_bytes)
    except httpx.TimeoutException as exc:
        raise InputError(url, f"timed out after {timeout:.0f} s") from exc
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from exc
    raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})")


def _check(url: str, current: str, hop: int, allow: tuple[str, ...]) -> None:
    from briefer.safety import check_url

    try:
        check_url(current, allow_hosts=allow)
    except InputError as exc:
        if hop == 0:
            raise
        raise InputError(url, f"redirect to {current}: {exc.reason}") from None


def _read(url: str, response: Any, max_bytes: int) -> Fetched:
    if response.status_code >= 400:
        raise InputError(url, f"HTTP {response.status_code} "
                              f"{response.reason_phrase or ''}".rstrip())
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type not in ACCEPTED:
        raise InputError(url, f"unsupported content type {content_type!r} (not an "
                              "article or feed)")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(url, f"{int(declared) / 1e6:.1f} MB exceeds the "
                              f"{max_bytes / 1e6:.0f} MB limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, f"larger than the {max_bytes / 1e6:.0f} MB limit")
        chunks.append(chunk)
    return Fetched(str(response.url), content_type, b"".join(chunks))


def _client(guard: _GuardedBackend, limits: Any, headers: dict[str, str]) -> Any:
    """An httpx client whose connections go through ``guard``; with a proxy configured in
    the environment (the proxy resolves names, not us) the pre-request check is all there
    is."""
    import urllib.request

    import httpx

    if any(k in ("http", "https", "all") for k in urllib.request.getproxies()):
        return httpx.Client(follow_redirects=False, timeout=limits, headers=headers)
    import httpcore

    transport = httpx.HTTPTransport()
    pool = transport._pool  # the pool httpx built (TLS settings, limits): swap its backend
    if isinstance(pool, httpcore.ConnectionPool):
        pool._network_backend = guard  # type: ignore[assignment]  # duck-typed backend
    return httpx.Client(follow_redirects=False, timeout=limits, headers=headers,
                        transport=transport)


class _GuardedBackend:
    """httpcore network backend that resolves the host itself, refuses internal addresses
    when :attr:`checking`, and connects to the very address it checked (no second DNS
    lookup that a rebinding server could answer differently)."""

    def __init__(self, allow_hosts: tuple[str, ...]) -> None:
        import httpcore

        self._inner = httpcore.SyncBackend()
        self.allow_hosts = allow_hosts
        self.checking = True

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> Any:
        from briefer.safety import address_problem, allowed, resolve

        url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
        if not self.checking or allowed(url, self.allow_hosts):
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        last: Exception | None = None
        for raw, ip in resolve(url):
            problem = address_problem(ip)
            if problem:
                raise InputError(url, f"refused: {host} resolves to {problem} {ip} at connect "
                                      "time (allow it with allow_hosts)")
            try:
                return self._inner.connect_tcp(raw, port, timeout, local_address,
                                               socket_options)
            except Exception as exc:  # httpcore.ConnectError: try the next address
                last = exc
        if last is not None:
            raise last
        raise InputError(url, f"cannot resolve {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> Any:
        raise InputError(path, "refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
