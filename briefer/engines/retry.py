"""Retries for provider calls: bounded, with backoff, honouring Retry-After, and never for
errors that a retry cannot fix (bad key, no quota, a bad request).

briefer retries itself (the SDK clients are built with ``max_retries=0``) so that every
provider follows one policy; the OpenAI SDK, for one, would retry a 429 that says the
account has no quota left.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})
NO_RETRY_MARKERS = ("insufficient_quota", "quota exceeded", "exceeded your current quota",
                    "billing", "invalid_api_key", "invalid x-api-key", "permission")
TRANSPORT_ERRORS = ("Timeout", "Connection", "RemoteProtocol", "ReadError", "WriteError",
                    "JSONDecode", "ResponseValidation", "IncompleteRead")
# A 200 answer whose body is not a chat completion (a proxy's HTML page) surfaces from the
# SDK as one of these; it is as transient as a 502.
MALFORMED = ("'str' object has no attribute", "'NoneType' object is not subscriptable")
MAX_WAIT = 60.0
BASE_WAIT = 0.5


def _status(exc: BaseException) -> int | None:
    for source in (exc, getattr(exc, "response", None)):
        status = getattr(source, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after")
    except (AttributeError, ValueError, TypeError):
        return None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


def retryable(exc: BaseException) -> bool:
    message = f"{exc} {getattr(exc, 'body', '')}".lower()
    if any(marker in message for marker in NO_RETRY_MARKERS):
        return False
    if malformed(exc):
        return True
    status = _status(exc)
    if status is not None and status >= 400:  # (a 2xx here is the response the error rode on)
        return status in RETRY_STATUS
    return any(marker in type(exc).__name__ for marker in TRANSPORT_ERRORS)


def malformed(exc: BaseException) -> bool:
    return isinstance(exc, (AttributeError, TypeError)) and any(
        marker in str(exc) for marker in MALFORMED)


def call(fn: Callable[[], T], retries: int, *, sleep: Callable[[float], Any] = time.sleep,
         on_retry: Callable[[BaseException, float], Any] | None = None) -> T:
    """``fn()``, retried up to ``retries`` times on transient errors."""
    for attempt in range(retries + 1):
        try:
            return fn()
        except Exception as exc:
            if attempt >= retries or not retryable(exc):
                raise
            wait = retry_after(exc)
            if wait is None:
                wait = BASE_WAIT * 2**attempt * (0.5 + random.random() / 2)  # noqa: S311
            wait = min(wait, MAX_WAIT)
            if on_retry is not None:
                on_retry(exc, wait)
            sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
