"""Markdown and YAML front matter (web clippers, static-site generators) to plain text."""

from __future__ import annotations

from typing import Any

from briefer.frontmatter import meta_str, split_front_matter

__all__ = ["markdown_to_text", "meta_str", "split_front_matter"]

# A line whose visible text is mostly link text is navigation, not prose.
_NAV_LINK_SHARE = 0.6
_NAV_MAX_WORDS = 20


def markdown_to_text(body: str) -> tuple[str, int, str | None]:
    """Render Markdown to plain text, one line per source line, links reduced to their text,
    images, raw HTML and navigation lines dropped. Returns ``(text, dropped_lines, heading)``
    where ``heading`` is the first heading, a title candidate.
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(body)
    lines: list[str] = []
    dropped = 0
    heading: str | None = None
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type in ("fence", "code_block"):
            lines.extend(token.content.splitlines())
            lines.append("")
        elif token.type == "inline":
            for text, link_chars in _inline_lines(token.children or []):
                visible = len(text.replace(" ", ""))
                if not text.strip():
                    dropped += 1 if link_chars else 0
                    continue
                if (
                    link_chars >= _NAV_LINK_SHARE * visible
                    and len(text.split()) <= _NAV_MAX_WORDS
                ):
                    dropped += 1
                    continue
                if in_heading and heading is None:
                    heading = text.strip()
                lines.append(text)
            lines.append("")
    return "\n".join(lines), dropped, heading


def _inline_lines(children: list[Any]) -> list[tuple[str, int]]:
    """Split an inline token's children into visual lines: ``(text, chars inside links)``.

    A line made only of two or more bold spans and no link (a scraped page's headline and
    standfirst, ``**Headline** **"Quote," he said.**``) is one line per span: they are not
    one sentence."""
    out: list[tuple[str, int]] = []
    parts: list[str] = []
    #: the line's text outside bold spans, and its bold spans
    loose: list[str] = []
    spans: list[list[str]] = []
    link_chars = 0
    link_depth = strong_depth = 0

    def end_line() -> None:
        nonlocal parts, loose, spans, link_chars
        bold = [t for t in ("".join(span).strip() for span in spans) if t]
        if len(bold) >= 2 and not "".join(loose).strip() and not link_chars:
            out.extend((text, 0) for text in bold)
        else:
            out.append(("".join(parts), link_chars))
        parts, loose, spans, link_chars = [], [], [], 0

    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            end_line()
        elif kind == "link_open":
            link_depth += 1
        elif kind == "link_close":
            link_depth = max(0, link_depth - 1)
        elif kind == "strong_open":
            strong_depth += 1
            if strong_depth == 1:
                spans.append([])
        elif kind == "strong_close":
            strong_depth = max(0, strong_depth - 1)
        elif kind in ("text", "code_inline"):
            parts.append(child.content)
            (spans[-1] if strong_depth and spans else loose).append(child.content)
            if link_depth:
                link_chars += len(child.content.replace(" ", ""))
        # image, html_inline: dropped (alt text and raw HTML are not article prose)
    end_line()
    return out
