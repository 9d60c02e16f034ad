"""Fetch http(s) sources with httpx: finite timeouts, a size cap read as a stream, a
content-type check and a bounded number of redirects."""

from __future__ import annotations

from dataclasses import dataclass

from briefer._version import __version__
from briefer.errors import InputError

MAX_REDIRECTS = 5
TIMEOUT_S = 20.0
ACCEPTED = frozenset({
    "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json",
})


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    data: bytes


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def fetch(url: str, *, max_bytes: int, timeout: float | None = None) -> Fetched:
    """GET ``url``; :class:`InputError` for every way it can fail, never a hang."""
    import httpx

    timeout = timeout or TIMEOUT_S
    limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
    headers = {"user-agent": f"briefer/{__version__} (+briefing notes)",
               "accept": "text/html,application/xhtml+xml,application/rss+xml,"
                         "application/atom+xml,text/plain;q=0.9,*/*;q=0.1"}
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=limits,
                          headers=headers) as client, client.stream("GET", url) as response:
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
    except httpx.TooManyRedirects as exc:
        raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})") from exc
    except httpx.TimeoutException as exc:
        raise InputError(url, f"timed out after {timeout:.0f} s") from exc
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from exc
