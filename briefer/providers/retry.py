"""One retry policy for every provider, through tenacity: bounded attempts, jittered
exponential backoff, the server's Retry-After honoured, and no retry for what a retry cannot
fix. What counts as transient is the provider's call (:meth:`Provider.retryable`): transport
errors, timeouts and HTTP 408/409/429/5xx, never a bad key, an exhausted quota, a bad
request, or an exception raised by briefer's own code.

The SDK clients are built with ``max_retries=0``: briefer retries itself, so every provider
follows this one policy (the OpenAI SDK, for one, would retry a 429 that says the account
has no quota left).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

RETRY_STATUS = frozenset({408, 409, 425, 429, 529}) | frozenset(range(500, 600))
NO_RETRY_MARKERS = ("insufficient_quota", "quota exceeded", "exceeded your current quota",
                    "billing", "invalid_api_key", "invalid x-api-key", "permission")
MAX_WAIT = 60.0
BASE_WAIT = 0.5


def status_of(exc: BaseException) -> int | None:
    """The HTTP status an SDK exception carries, if any."""
    for source in (exc, getattr(exc, "response", None)):
        status = getattr(source, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def hopeless(exc: BaseException) -> bool:
    """An answer that says retrying cannot help (no quota, bad key, no permission)."""
    message = f"{exc} {getattr(exc, 'body', '')}".lower()
    return any(marker in message for marker in NO_RETRY_MARKERS)


def retry_after_header(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    value = (headers or {}).get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


def headers_of(exc: BaseException) -> Mapping[str, str] | None:
    headers = getattr(getattr(exc, "response", None), "headers", None)
    return headers if hasattr(headers, "get") else None


def call(fn: Callable[[], T], retries: int, *, retryable: Callable[[BaseException], bool],
         retry_after: Callable[[BaseException], float | None],
         sleep: Callable[[float], Any] = time.sleep) -> T:
    """``fn()``, retried up to ``retries`` times while ``retryable(error)`` says so."""
    import tenacity

    backoff = tenacity.wait_random_exponential(multiplier=BASE_WAIT, max=MAX_WAIT)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        told = retry_after(exc) if exc is not None else None
        return min(told, MAX_WAIT) if told is not None else backoff(state)

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(retries + 1),
        retry=tenacity.retry_if_exception(retryable),
        wait=wait, sleep=sleep, reraise=True)
    return retrying(fn)
