"""Ingest: paths, folders, stdin, URLs and feeds to normalised :class:`~briefer.model.Article`
objects. The logic is in :mod:`briefer.ingest.load`; the pieces it uses are siblings here
(decode, html, markdown, boilerplate, web, feeds)."""

from briefer.ingest.load import (
    ARTICLE_SUFFIXES,
    MAX_BYTES,
    Filters,
    Loaded,
    load,
    read_article,
    read_sources_file,
)

__all__ = ["ARTICLE_SUFFIXES", "MAX_BYTES", "Filters", "Loaded", "load", "read_article",
           "read_sources_file"]
