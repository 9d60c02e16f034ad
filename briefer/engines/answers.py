"""A model's structured answer, as every call of the LLM engine reads it: the usage it
reports, its text (for the repair prompt), and validation against the answer's model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from briefer.engines.draft import answer_model

_ERROR_CHARS = 1500


@dataclass
class Usage:
    calls: int = 0
    repairs: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    chunks: int = 1
    #: calls answered through the provider's batch API (billed at batch prices)
    batch_calls: int = 0
    batch_input_tokens: int = 0
    batch_output_tokens: int = 0

    def add(self, raw: Any, batch: bool = False) -> None:
        self.calls += 1
        usage = getattr(raw, "usage_metadata", None) or {}
        tokens_in = int(usage.get("input_tokens") or 0)
        tokens_out = int(usage.get("output_tokens") or 0)
        self.input_tokens += tokens_in
        self.output_tokens += tokens_out
        if batch:
            self.batch_calls += 1
            self.batch_input_tokens += tokens_in
            self.batch_output_tokens += tokens_out

    def figures(self) -> dict[str, int]:
        out = {"calls": self.calls, "repairs": self.repairs, "chunks": self.chunks,
               "input_tokens": self.input_tokens, "output_tokens": self.output_tokens}
        if self.batch_calls:
            out.update(batch_calls=self.batch_calls, batch_input_tokens=self.batch_input_tokens,
                       batch_output_tokens=self.batch_output_tokens)
        return out


def content(raw: Any) -> str:
    content = getattr(raw, "content", "") or ""
    if isinstance(content, list):
        content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    if not content and getattr(raw, "tool_calls", None):
        import json

        content = json.dumps(raw.tool_calls[0].get("args", {}))
    return str(content)


def validate(result: dict[str, Any], kind: str = "plain"
              ) -> tuple[BaseModel | None, str]:
    """The draft in a structured-output result, or the errors to send back."""
    from pydantic import ValidationError

    parsed = result.get("parsed")
    if parsed is None:
        return None, _errors(result.get("parsing_error"))
    try:
        return answer_model(kind).model_validate(parsed), ""
    except ValidationError as exc:
        lines = [f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}"
                 for e in exc.errors()[:12]]
        return None, "\n".join(lines)


def _errors(error: Any) -> str:
    if error is None:
        return "no JSON object was returned"
    text = str(error).strip()
    lines = [line for line in text.splitlines() if line.strip()][:12]
    return "\n".join(lines)[:_ERROR_CHARS]


__all__ = ["Usage", "content", "validate"]
