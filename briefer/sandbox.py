"""The Jinja environment every template renders in (prompts, Markdown, HTML, DOCX).

Jinja's immutable sandbox already refuses access to internals (``__class__``, ``__mro__``,
``__globals__``...) and ranges over 100,000 items. On top of that a template gets a time
and size budget: ``range`` checks the clock as it counts (nested loops cannot spin for
minutes), ``*`` and ``**`` refuse results beyond the size budget, and rendering stops when
the output grows past it. Any breach is a ``jinja2.sandbox.SecurityError``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

SECONDS = 5.0
MAX_CHARS = 20_000_000
MAX_RANGE = 100_000


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *, seconds: float | None = None, max_chars: int | None = None,
                 **options: Any) -> None:
        super().__init__(**options)
        self.seconds = seconds or SECONDS
        self.max_chars = max_chars or MAX_CHARS
        self._deadline = time.monotonic() + self.seconds
        self.globals["range"] = self._range

    def _check_time(self) -> None:
        if time.monotonic() > self._deadline:
            raise SecurityError(f"template ran longer than {self.seconds:g} s")

    def _range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise SecurityError(f"range of {len(numbers)} items is too big "
                                f"(limit {MAX_RANGE})")
        for n, value in enumerate(numbers):
            if n % 1000 == 0:
                self._check_time()
            yield value

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and right > 1000:
            raise SecurityError("exponent too large")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and \
                        len(seq) * count > self.max_chars:
                    raise SecurityError("repetition result too large")
        return super().call_binop(context, operator, left, right)

    def render_bounded(self, template: Any, context: dict[str, Any]) -> str:
        """Render with the clock and the size budget running."""
        self._deadline = time.monotonic() + self.seconds
        parts: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > self.max_chars:
                raise SecurityError(f"output larger than {self.max_chars:,} characters")
            self._check_time()
            parts.append(chunk)
        return "".join(parts)
