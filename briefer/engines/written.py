"""What a model wrote besides its items, made safe before it reaches a brief: the title
(the model's only for an article whose title was derived, and only when it is about this
article) and the bottom line's sentences with their citations (brief@4). Whether a sentence
is grounded is decided later, by :mod:`briefer.verify`, on the verified items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefer.engines.sanitize import carries, clean, hostile, safe_title, title_fits
from briefer.model import Article, Notice, Prose
from briefer.prose import norm_id
from briefer.safety import latin_script


def title_for(article: Article, model_title: str, translated: bool, payload: set[str]
              ) -> str:
    """The source's own title (front matter, HTML, feed) wins; a title ingest derived from
    the first line or the lead gives way to the model's, unless the model's is an
    instruction, repeats an injected payload, or is about another article. A translating
    prompt's title is in the reader's language: it wins over the source's, and is checked
    by the names and numbers it shares with the article (they survive translation)."""
    latin = latin_script(article.text)
    given = bool(article.title) and not article.title_derived
    if (given and not translated) or hostile(model_title, latin=latin) or carries(
            model_title, payload):
        return safe_title(article)
    if not title_fits(model_title, article.text, translated=translated):
        return safe_title(article)
    return clean(model_title, article.text)


def named(party: str | None) -> bool:
    """Whether a model's party is a name at all (a grammar-bound small model writes "" or
    "]["): one with a letter or digit."""
    return bool(party) and any(ch.isalnum() for ch in party or "")


def sentences(draft: Any, place: Callable[[str], str | None], source: str,
              payload: set[str], latin: bool, warnings: list[Notice], source_id: str
              ) -> list[Prose]:
    """The draft's bottom line as :class:`Prose`, each citing the brief's item ids
    (``place`` maps the answer's own ids to the brief's: duplicates and dropped items
    move). A sentence repeating an injected payload or addressed to a model is dropped
    here, with a notice; one citing nothing is left for grounding to drop and count."""
    out: list[Prose] = []
    for got in getattr(draft, "bottom_line", None) or []:
        text = clean(got.text, source).strip()
        if not text:
            continue
        # judged as written: a payload link cut by clean() still shows whom it obeyed
        if hostile(text, latin=latin) or carries(got.text, payload):
            warnings.append(Notice(kind="injection", source_id=source_id, message=(
                "a bottom-line sentence repeating an instruction aimed at a model was "
                "dropped")))
            continue
        cites = [c for c in (place(norm_id(cite)) for cite in got.cites) if c]
        out.append(Prose(text=text, cites=list(dict.fromkeys(cites))))
    return out


__all__ = ["named", "sentences", "title_for"]
