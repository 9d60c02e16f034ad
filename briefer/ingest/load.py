"""Loading inputs: paths, folders and stdin to normalised :class:`~briefer.model.Article` objects.

One bad input never sinks the batch: :func:`load` returns the articles it could read and an
:class:`~briefer.errors.InputError` for each input it could not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO

from briefer import titles
from briefer.errors import InputError
from briefer.ingest import feeds, html, web
from briefer.ingest.boilerplate import drop_boilerplate
from briefer.ingest.decode import decode
from briefer.ingest.markdown import markdown_to_text, meta_str, split_front_matter
from briefer.language import detect as detect_language
from briefer.model import Article
from briefer.text import normalize

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".html", ".htm",
                              ".xhtml", ".xml", ".rss", ".atom"})
MAX_BYTES = 25_000_000  # 25 MB
#: files a folder of clips holds beside the articles (references, gold annotations, source
#: notes, guides): never briefed when a folder is read; naming one as an input still works
NOT_ARTICLES = ("*.ref.txt", "*.src.txt", "*.dek.txt", "*.expected.txt", "*.gold.json",
                "*.systems.json", "ref.txt", "SOURCES.txt", "SOURCES.md", "GUIDE.md",
                "README", "README.*", "CHANGELOG*", "LICENSE*", "CONTRIBUTING*")
STDIN = "-"
STDIN_LABEL = "<stdin>"


@dataclass
class Loaded:
    articles: list[Article] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    """Which files of a folder and which feed entries to take."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    since: date | None = None
    on: date | None = None

    def wants_file(self, path: Path, root: Path) -> bool:
        rel = path.relative_to(root).as_posix()
        if self.include and not any(fnmatch(rel, g) or fnmatch(path.name, g)
                                    for g in self.include):
            return False
        return not any(fnmatch(rel, g) or fnmatch(path.name, g) for g in self.exclude)

    def wants_entry(self, published: date | None) -> bool:
        if published is None:
            return True
        if self.on is not None and published != self.on:
            return False
        return self.since is None or published >= self.since


Result = list[Article | InputError]


def load(inputs: Sequence[str | os.PathLike[str]], *, stdin: BinaryIO | None = None,
         max_bytes: int = MAX_BYTES, filters: Filters | None = None,
         fetch_workers: int = 8, allow_hosts: Sequence[str] = ()) -> Loaded:
    """Read every input: files, folders (recursively), ``-``, http(s) URLs, RSS/Atom feeds.

    URLs are fetched concurrently; the articles keep the order of the inputs.
    """
    filters = filters or Filters()
    jobs = _dedupe(_expand(inputs, filters))
    results: list[Result] = [[] for _ in jobs]
    urls = [n for n, (spec, path) in enumerate(jobs) if path is None and web.is_url(spec)]
    for n, (spec, path) in enumerate(jobs):
        if isinstance(path, InputError):
            results[n] = [path]
        elif n not in urls:
            results[n] = _local(spec, path, stdin, max_bytes, filters, tuple(allow_hosts))
    if urls:
        with ThreadPoolExecutor(max_workers=min(fetch_workers, len(urls))) as pool:
            for n, result in zip(urls, pool.map(
                    lambda i: _remote(jobs[i][0], max_bytes, filters, allow_hosts=tuple(
                        allow_hosts)), urls), strict=True):
                results[n] = result
    loaded = Loaded()
    for result in results:
        for item in result:
            if isinstance(item, InputError):
                loaded.failures.append(item)
            else:
                loaded.articles.append(item.model_copy(
                    update={"id": f"s{len(loaded.articles) + 1}"}))
    return loaded


Job = tuple[str, "Path | InputError | None"]


def _dedupe(jobs: Iterable[Job]) -> list[Job]:
    seen: set[str] = set()
    out = []
    for spec, path in jobs:
        key = str(path.resolve()) if isinstance(path, Path) else f"{spec}\0{path!s}"
        if key not in seen:
            seen.add(key)
            out.append((spec, path))
    return out


def _local(spec: str, path: Path | None, stdin: BinaryIO | None, max_bytes: int,
           filters: Filters, allow_hosts: tuple[str, ...] = ()) -> Result:
    try:
        if path is None:
            spec = STDIN_LABEL
            data = _read_stdin(stdin, max_bytes)
        else:
            data = _read_file(path, max_bytes)
        if feeds.looks_like_feed(data):
            return _feed(data, spec, max_bytes, filters, allow_hosts)
        return [read_article(data, spec)]
    except InputError as exc:
        return [exc]


def _remote(url: str, max_bytes: int, filters: Filters, *, third_party: bool = False,
            allow_hosts: tuple[str, ...] = ()) -> Result:
    try:
        got = web.fetch(url, max_bytes=max_bytes, third_party=third_party,
                        allow_hosts=allow_hosts)
        if feeds.looks_like_feed(got.data, got.content_type):
            # the entries of a feed the user typed may point back to the feed's own host
            entries_allow = allow_hosts if third_party else (*allow_hosts, web.origin(url))
            return _feed(got.data, url, max_bytes, filters, entries_allow)
        fmt = "html" if "html" in got.content_type else None
        return [read_article(got.data, url, url=got.url, fmt=fmt)]
    except InputError as exc:
        return [exc]


def _feed(data: bytes, source: str, max_bytes: int, filters: Filters,
          allow_hosts: tuple[str, ...] = ()) -> Result:
    entries, left_out = feeds.parse(data, source)
    wanted = [e for e in entries if filters.wants_entry(e.published)]
    out: Result = []
    if left_out:
        out.append(InputError(source, f"{left_out} older entries left out (limit "
                                      f"{feeds.MAX_ENTRIES} per feed)"))

    def one(entry: feeds.Entry) -> Result:
        label = entry.link or f"{source}#{entry.title or 'entry'}"
        published = entry.published.isoformat() if entry.published else None
        try:
            if entry.content:
                page = f"<html><body><article>{entry.content}</article></body></html>"
                article = read_article(page.encode(), label, url=entry.link, fmt="html")
            elif entry.link and web.is_url(entry.link):
                result = _remote(entry.link, max_bytes, Filters(), third_party=True,
                                 allow_hosts=allow_hosts)
                if not result or isinstance(result[0], InputError):
                    return result
                article = result[0]
            else:
                raise InputError(label, "feed entry has neither full text nor a link")
        except InputError as exc:
            return [exc]
        update = {"title": entry.title or article.title, "date": published or article.date,
                  "title_derived": article.title_derived and not entry.title}
        return [article.model_copy(update=update)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        for result in pool.map(one, wanted):
            out.extend(result)
    return out


def _expand(inputs: Iterable[str | os.PathLike[str]], filters: Filters) -> Iterable[Job]:
    """(spec, path) per source in input order; path None for stdin and URLs, an
    InputError for an input that does not exist."""
    for raw in inputs:
        spec = os.fspath(raw)
        if spec == STDIN or web.is_url(spec):
            yield spec, None
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(f for f in _article_files(path) if filters.wants_file(f, path)
                           and not is_non_article(f))
            if not files:
                yield spec, InputError(spec, "folder holds no article files "
                                             "(.txt, .md, .html, .xml feeds)")
            for file in files:
                yield str(file), file
        elif path.exists():
            yield spec, path
        else:
            yield spec, InputError(spec, "no such file or folder")


def read_sources_file(path: str | os.PathLike[str]) -> list[str]:
    """A sources list: one path or URL a line; blank lines and ``#`` comments skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the sources list ({exc})") from exc
    out = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            out.append(line)
    if not out:
        raise InputError(str(path), "the sources list names no sources")
    return out


def is_non_article(path: Path) -> bool:
    """A reference, gold file, source note, guide or README rather than an article."""
    return any(fnmatch(path.name, pattern) for pattern in NOT_ARTICLES)


def non_articles(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files of folder inputs that reading the folder skips as non-articles (for the
    CLI to say so)."""
    out: list[Path] = []
    for raw in inputs:
        spec = os.fspath(raw)
        if spec == STDIN or web.is_url(spec) or not Path(spec).is_dir():
            continue
        out.extend(sorted(f for f in _article_files(Path(spec)) if is_non_article(f)))
    return out


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
            title = meta_str(meta, "title", "headline", "og:title", "og_title", "name")
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
    given = titles.clean(title)
    return Article(
        id=id,
        text=text,
        path_or_url=source,
        title=given or titles.headline(_titleable(text)) or Path(source).stem,
        title_derived=given is None,
        url=url,
        date=date,
        format=fmt,
        encoding=encoding,
        dropped_lines=dropped + boiler,
        language=detect_language(text),
    )


_MD_LINK = re.compile(r"\]\(https?://[^)\s]+\)")
_MD_LINKS_FOR_MARKDOWN = 3


def _titleable(text: str) -> str:
    """What a title may be made from: the text minus sentences addressed to a model."""
    from briefer.safety import without_injections

    return without_injections(text)


def _guess_format(source: str, text: str) -> str:
    suffix = Path(source).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml") or html.looks_like_html(text):
        return "html"
    if suffix in (".md", ".markdown", ".mdown"):
        return "markdown"
    if len(_MD_LINK.findall(text[:20000])) >= _MD_LINKS_FOR_MARKDOWN:
        return "markdown"  # a scrape saved as .txt: [text](url) links throughout
    return "text"


__all__ = ["ARTICLE_SUFFIXES", "MAX_BYTES", "NOT_ARTICLES", "Filters", "Loaded",
           "is_non_article", "load", "non_articles", "read_article", "read_sources_file"]
