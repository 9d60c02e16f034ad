"""briefer: condense articles into structured, evidence-backed briefs.

    >>> from briefer import brief
    >>> from briefer.render import render
    >>> result = brief(["examples/blinken-wang.txt"])          # doctest: +SKIP
    >>> result.brief.red_lines[0].party                        # doctest: +SKIP
    'Wang Yi'
    >>> print(render(result.brief, "md"))                      # doctest: +SKIP

The package imports nothing heavy at start-up; names below load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefer._version import __version__

_LAZY = {
    "brief": "briefer.pipeline",
    "BriefResult": "briefer.pipeline",
    "Article": "briefer.model",
    "Brief": "briefer.model",
    "Evidence": "briefer.model",
    "BrieferError": "briefer.errors",
    "InputError": "briefer.errors",
    "OutputError": "briefer.errors",
    "ProviderError": "briefer.errors",
    "UnknownProviderError": "briefer.errors",
}

__all__ = [
    "Article",
    "Brief",
    "BriefResult",
    "BrieferError",
    "Evidence",
    "InputError",
    "OutputError",
    "ProviderError",
    "UnknownProviderError",
    "__version__",
    "brief",
]

if TYPE_CHECKING:
    from briefer.errors import (
        BrieferError,
        InputError,
        OutputError,
        ProviderError,
        UnknownProviderError,
    )
    from briefer.model import Article, Brief, Evidence
    from briefer.pipeline import BriefResult, brief


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'briefer' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
