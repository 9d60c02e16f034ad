"""Ingest: paths, folders and stdin to normalised :class:`~briefer.model.Article` objects.

One bad input never sinks the batch: :func:`load` returns the articles it could read and an
:class:`~briefer.errors.InputError` for each input it could not.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from briefer.errors import InputError
from briefer.ingest import html
from briefer.ingest.boilerplate import drop_boilerplate
from briefer.ingest.decode import decode
from briefer.ingest.markdown import markdown_to_text, meta_str, split_front_matter
from briefer.model import Article
from briefer.text import normalize

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".html", ".htm",
                              ".xhtml"})
MAX_BYTES = 25 * 1024 * 1024
STDIN = "-"
STDIN_LABEL = "<stdin>"
_TITLE_WORDS = 12


@dataclass
class Loaded:
    articles: list[Article] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)


def load(inputs: Sequence[str | os.PathLike[str]], *, stdin: BinaryIO | None = None,
         max_bytes: int = MAX_BYTES) -> Loaded:
    """Read every input; folders are searched recursively for article files."""
    loaded = Loaded()
    seen: set[str] = set()
    for spec, path in _expand(inputs, loaded.failures):
        key = str(path.resolve()) if path is not None else spec
        if key in seen:
            continue
        seen.add(key)
        try:
            if path is None:
                spec = STDIN_LABEL
                data = _read_stdin(stdin, max_bytes)
            else:
                data = _read_file(path, max_bytes)
            article = read_article(data, spec, id=f"s{len(loaded.articles) + 1}")
        except InputError as exc:
            loaded.failures.append(exc)
            continue
        loaded.articles.append(article)
    return loaded


def _expand(inputs: Iterable[str | os.PathLike[str]], failures: list[InputError]
            ) -> Iterable[tuple[str, Path | None]]:
    for raw in inputs:
        spec = os.fspath(raw)
        if spec == STDIN:
            yield spec, None
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(_article_files(path))
            if not files:
                failures.append(InputError(spec, "folder holds no article files "
                                                 "(.txt, .md, .html)"))
            for file in files:
                yield str(file), file
        elif path.exists():
            yield spec, path
        else:
            failures.append(InputError(spec, "no such file or folder"))


def _article_files(folder: Path) -> Iterable[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(root, name)
            if not name.startswith(".") and path.suffix.lower() in ARTICLE_SUFFIXES:
                yield path


def _read_file(path: Path, max_bytes: int) -> bytes:
    spec = str(path)
    if not path.is_file():
        raise InputError(spec, "not a regular file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(spec, f"file is {size / 1e6:.1f} MB; the limit is "
                                   f"{max_bytes / 1e6:.0f} MB")
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except PermissionError as exc:
        raise InputError(spec, "permission denied") from exc
    except OSError as exc:
        raise InputError(spec, exc.strerror or "cannot be read") from exc


def _read_stdin(stdin: BinaryIO | None, max_bytes: int) -> bytes:
    if stdin is None:
        raise InputError(STDIN_LABEL, "standard input is not available")
    data = stdin.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(STDIN_LABEL, f"input exceeds the limit of {max_bytes / 1e6:.0f} MB")
    return data


def read_article(data: bytes, source: str, *, id: str = "s1", url: str | None = None,
                 fmt: str | None = None) -> Article:
    """Turn the bytes of one input into an :class:`Article`.

    ``fmt`` (``text``, ``markdown``, ``html``) is guessed from the suffix and the content
    when not given.
    """
    raw, encoding = decode(data, source)
    fmt = fmt or _guess_format(source, raw)
    title = date = None
    dropped = 0
    if fmt == "html":
        page = html.extract(raw, source, url)
        body, title, url, date = page.text, page.title, page.url or url, page.date
    else:
        meta, body = split_front_matter(raw)
        if meta:
            fmt = "markdown"
            title = meta_str(meta, "title")
            url = meta_str(meta, "source", "url", "link", "canonical_url") or url
            date = meta_str(meta, "date", "published", "published_at", "created")
        if fmt == "markdown":
            body, dropped, heading = markdown_to_text(body)
            title = title or heading
    body, boiler = drop_boilerplate(normalize(body))
    text = normalize(body)
    if not text:
        raise InputError(source, "no text left after removing markup and page boilerplate"
                         if fmt != "text" else "empty or whitespace-only input")
    return Article(
        id=id,
        text=text,
        path_or_url=source,
        title=title or _title_from_text(text) or Path(source).stem,
        url=url,
        date=date,
        format=fmt,
        encoding=encoding,
        dropped_lines=dropped + boiler,
    )


def _guess_format(source: str, text: str) -> str:
    suffix = Path(source).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml") or html.looks_like_html(text):
        return "html"
    if suffix in (".md", ".markdown", ".mdown"):
        return "markdown"
    return "text"


def _title_from_text(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip().lstrip("#").strip()
    words = first.split()
    if not words:
        return None
    if len(words) <= _TITLE_WORDS + 3:
        return first
    return " ".join(words[:_TITLE_WORDS]).rstrip(",;:") + "…"


__all__ = ["ARTICLE_SUFFIXES", "MAX_BYTES", "Loaded", "load", "read_article"]
