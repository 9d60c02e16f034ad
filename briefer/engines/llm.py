"""The LLM engine: versioned prompt -> structured output -> at most one repair -> Brief.

The model is never trusted: its quotes are located in the source by ``verify`` (the
pipeline runs it), URLs it adds that the source does not contain are removed, and items
that quote an instruction aimed at a model are dropped. A long article is cut into chunks
that each fit the context window, briefed in one bounded batch, and merged once.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from briefer._version import __version__
from briefer.config import Settings
from briefer.engines.answers import Usage as _Usage
from briefer.engines.answers import content as _content
from briefer.engines.answers import validate as _validate
from briefer.engines.draft import schema, schema_text, summary
from briefer.engines.sanitize import (
    carries,
    clean,
    clean_opt,
    hostile,
    payload_words,
    without_payload,
)
from briefer.engines.written import named, sentences, title_for
from briefer.errors import BrieferError, ConfigError, ProviderError, TruncatedError
from briefer.model import SECTION_TABLE, Article, Brief, Evidence, Meta, Notice
from briefer.prompts import Prompt, PromptStore, Rendered, boundary
from briefer.prose import PREFIX
from briefer.providers.base import Provider, scrub
from briefer.quarantine import prompt_title, withheld
from briefer.safety import latin_script
from briefer.text import segment

CHARS_PER_TOKEN = 3.0  # conservative: English runs ~4 chars a token
MAX_CHUNKS = 24
_PREVIOUS_CHARS = 4000


@dataclass
class _Chunk:
    text: str
    rendered: Rendered
    drafts: list[BaseModel] = field(default_factory=list)


class LLMEngine:
    """Condense an article through a chat model built by a provider."""

    def __init__(self, provider: Provider, settings: Settings,
                 prompts: PromptStore | None = None) -> None:
        self.provider = provider
        self.settings = settings
        self.name = provider.name
        self.model: str | None = provider.model
        store = prompts or PromptStore(settings.prompts_dir)
        self.prompt = store.get(settings.prompt)
        #: for articles in another language than settings.language (brief@3); None when a
        #: plain version is pinned
        self.translate_prompt = store.translating(settings.prompt)
        self.repair_prompt = store.get("repair")
        self._runnable: dict[str, Any] = {}
        self._chat: Any = None
        self._lock = threading.Lock()
        self._notice: Notice | None = None  # told once, on the next brief made

    parallel = True  # waiting on the network: articles go out concurrently

    @cached_property
    def cache_id(self) -> str:
        """Everything that changes the answer for a given text (not the key, not timeouts).
        Fixed for the engine's life, so computed once."""
        import json

        s, p = self.settings, self.provider
        translate = self.translate_prompt
        templates = hashlib.sha256((self.prompt.source + self.repair_prompt.source
                                    + schema_text(self.prompt.answer)
                                    + (translate.source + schema_text(translate.answer)
                                                       if translate else "")
                                    ).encode()).hexdigest()
        return json.dumps({
            "provider": p.name, "model": self.model, "base_url": p.base_url,
            "method": p.method, "json_mode_schema": s.json_mode_schema,
            "temperature": s.temperature, "max_tokens": s.max_tokens,
            "context_window": p.context_window, "prompt": self.prompt.ref,
            "templates": templates, "version": __version__, "language": s.language,
        }, sort_keys=True)

    # -- the model ---------------------------------------------------------------------------

    def _structured(self, kind: str = "plain") -> Any:
        with self._lock:  # articles may be condensed from several threads
            return self._build_structured(kind)

    def _build_structured(self, kind: str = "plain") -> Any:
        if kind not in self._runnable:
            if self._chat is None:
                self._chat = self.provider.chat_model()
            # The schema goes as a dict, so every provider hands back plain JSON and the
            # validation (and its error text for the repair call) is ours, the same for all.
            answer = schema(kind)
            method = self.provider.langchain_method()
            if "title" not in answer and method != "json_mode":
                # a schema as a function or json_schema needs a name (brief@3's has none,
                # and json_mode bodies stay as recorded)
                answer = {**answer, "title": "Draft"}
            self._runnable[kind] = self._chat.with_structured_output(
                answer, method=method, include_raw=True,
                **self.provider.structured_kwargs(answer))
        return self._runnable[kind]

    def _json_mode_instead(self, exc: BaseException, used: Provider) -> bool:
        """A server that rejected ``json_schema`` (llama.cpp takes text or json_object
        only): switch to ``json_mode`` (the schema rides along for its grammar) with one
        notice, or, when ``json_schema`` was asked for by name, say which setting to change."""
        if used.method != "json_schema" or not used.schema_rejected(exc):
            return False
        where = used.base_url or used.name
        if self.settings.structured_output == "json_schema":
            raise ConfigError(
                f"{used.name}: the server at {where} rejects structured_output = "
                '"json_schema" (it takes response_format text or json_object only); set '
                'structured_output = "json_mode" (briefer.toml or BRIEFER_STRUCTURED_OUTPUT)')
        with self._lock:
            if self.provider is used:  # the first thread to see it switches
                self.close_chat()
                self.provider = type(used)(used.settings.model_copy(
                    update={"structured_output": "json_mode", "json_mode_schema": True}))
                self._notice = Notice(kind="structured_output", message=(
                    f"the server at {where} rejected structured_output json_schema; "
                    'used json_mode with the schema instead (set structured_output = '
                    '"json_mode" to skip the failed call)'))
        return True

    def close(self) -> None:
        with self._lock:
            self.close_chat()

    def close_chat(self) -> None:
        if self._chat is not None:
            self.provider.close(self._chat)
        self._chat = None
        self._runnable = {}

    def _fail(self, cause: str) -> ProviderError:
        return ProviderError(self.name, self.model, cause)

    def _call_all(self, requests: list[list[tuple[str, str]]], kind: str = "plain"
                  ) -> list[Any]:
        from langchain_core.runnables import RunnableLambda

        def invoke(request: list[tuple[str, str]]) -> Any:
            used, runnable = self.provider, self._structured(kind)
            try:
                return used.call(lambda: runnable.invoke(request))
            except Exception as exc:
                if not self._json_mode_instead(exc, used):
                    raise
            runnable = self._structured(kind)
            return self.provider.call(lambda: runnable.invoke(request))

        try:
            if len(requests) == 1:
                return [invoke(requests[0])]
            return list(RunnableLambda(invoke).batch(
                requests, config={"max_concurrency": self.settings.concurrency},
                return_exceptions=True))
        except BrieferError:
            raise
        except Exception as exc:  # SDK errors of every provider
            raise self._wrap(exc) from exc

    def _wrap(self, exc: BaseException) -> ProviderError:
        if self.provider.truncation_error(exc):
            return self._truncated()
        if self.provider.malformed(exc):
            return self._fail("the server's answer was not a chat completion (not JSON, or "
                              "not the OpenAI shape); is base_url right?")
        if "timeout" in type(exc).__name__.lower():  # a slow local server, a long answer
            return self._fail(f"no answer within timeout={self.settings.timeout:g} s; raise "
                              "timeout (briefer.toml `timeout`, or BRIEFER_TIMEOUT)")
        message = f"{type(exc).__name__}: {exc}"
        root = exc
        while root.__cause__ is not None or root.__context__ is not None:
            root = root.__cause__ or root.__context__  # type: ignore[assignment]
        if root is not exc and str(root) and str(root) not in message:
            message += f" ({type(root).__name__}: {root})"  # "Connection error." says little
        return self._fail(scrub(message))

    def _truncated(self) -> TruncatedError:
        return TruncatedError(
            self.name, self.model,
            f"the answer was cut off at max_tokens={self.settings.max_tokens}; raise "
            "max_tokens (briefer.toml `max_tokens`, or BRIEFER_MAX_TOKENS)")

    # -- one article -------------------------------------------------------------------------

    def condense(self, article: Article) -> Brief:
        usage = _Usage()
        prompt = self.prompt_for(article)
        kind = prompt.answer
        chunks = self._chunks(article, prompt)
        usage.chunks = len(chunks)
        results = self._call_all([_messages(c.rendered) for c in chunks], kind)
        for chunk, result in zip(chunks, results, strict=True):
            if isinstance(result, Exception):
                if isinstance(result, BrieferError):
                    raise result
                raise self._wrap(result) from result
            chunk.drafts.append(self._draft(article, result, usage, kind))
        return self._brief(article, [d for c in chunks for d in c.drafts], usage,
                           chunks[0].rendered.prompt, chunks[0].rendered.stamp())

    def prompt_for(self, article: Article) -> Prompt:
        """brief@2 (or the pinned prompt) for an article in the reader's language; the
        translating prompt (brief@3) for one in another language."""
        reader = self.settings.language
        if self.translate_prompt is not None and (
                self.prompt.translates or (article.language or reader) != reader):
            return self.translate_prompt
        return self.prompt

    def _render(self, article: Article, text: str, prompt: Prompt | None = None) -> Rendered:
        return brief_prompt(prompt or self.prompt, article, text,
                            language=self.settings.language)

    def _chunks(self, article: Article, prompt: Prompt | None = None) -> list[_Chunk]:
        text = readable(article.text)
        whole = self._render(article, text, prompt)
        budget = self.provider.context_window - self.settings.max_tokens
        overhead = (len(whole.system) + len(whole.user) - len(text)) / CHARS_PER_TOKEN
        room = int((budget - overhead - 64) * CHARS_PER_TOKEN)
        if len(text) <= room:
            return [_Chunk(text, whole)]
        if room < 500:
            raise self._fail(f"context_window={self.provider.context_window} leaves no room for "
                             f"the article after the prompt and max_tokens="
                             f"{self.settings.max_tokens}")
        pieces: list[str] = []
        start = 0
        for seg in segment(text):
            if seg.end - start > room and seg.start > start:
                pieces.append(text[start : seg.start])
                start = seg.start
        pieces.append(text[start:])
        if len(pieces) > MAX_CHUNKS:
            raise self._fail(f"article needs {len(pieces)} calls at context_window="
                             f"{self.provider.context_window} (limit {MAX_CHUNKS}); raise "
                             "context_window or use the extractive engine")
        return [_Chunk(p, self._render(article, p, prompt)) for p in pieces if p.strip()]

    # -- batch: the same requests and the same checks, through a provider's batch API -----

    def batch_bodies(self, article: Article) -> tuple[list[dict[str, Any]], str]:
        """The request body of each call :meth:`condense` makes first for ``article`` (one
        per chunk), exactly as the live path would send it; and the prompt's sha256."""
        from briefer.providers.batch import request_body

        prompt = self.prompt_for(article)
        binding = self._structured(prompt.answer).steps[0].steps__["raw"]  # chat, bound
        chunks = self._chunks(article, prompt)
        return ([request_body(binding, _messages(c.rendered)) for c in chunks],
                chunks[0].rendered.sha256)

    def batch_answer(self, api: Any, article: Article, body: dict[str, Any]
                     ) -> dict[str, Any]:
        """A batch response body through the live path's parser: {raw, parsed, error}."""
        runnable = self._structured(self.prompt_for(article).answer)
        message = api.message(runnable.steps[0].steps__["raw"].bound, body)
        return dict(runnable.steps[1].invoke({"raw": message}))

    def finish(self, article: Article, answers: list[dict[str, Any]], prompt_sha256: str
               ) -> Brief:
        """The brief from batch answers (one per chunk): validated, repaired at most once
        (a live call), and checked as a live answer is."""
        prompt = self.prompt_for(article)
        usage = _Usage()
        usage.chunks = len(answers)
        drafts = [self._draft(article, answer, usage, prompt.answer, batch=True)
                  for answer in answers]
        return self._brief(article, drafts, usage, prompt, {
            "id": prompt.id, "version": str(prompt.version), "sha256": prompt_sha256})

    def ask(self, rendered: Rendered, kind: str, untrusted: str, usage: _Usage
            ) -> tuple[BaseModel, list[Notice]]:
        """One structured call beside the briefs (story@1, daily@1): the answer validated
        and repaired at most once, as a brief's is, and a notice to pass on (the json_mode
        fallback). ``untrusted`` is the data the prompt fences; ``usage`` counts the calls
        made, answered or not."""
        try:
            (result,) = self._call_all([_messages(rendered)], kind)
        except BrieferError:
            usage.calls += 1  # made, and failed: it counts (and may cost)
            raise
        draft = self._draft(untrusted, result, usage, kind)
        with self._lock:
            notices, self._notice = ([self._notice] if self._notice else []), None
        return draft, notices

    def _draft(self, article: Article | str, result: dict[str, Any], usage: _Usage,
               kind: str = "plain", batch: bool = False) -> BaseModel:
        raw = result.get("raw")
        usage.add(raw, batch)
        self._check_truncation(raw)
        draft, errors = _validate(result, kind)
        if draft is not None:
            return draft
        repair = self.repair_prompt.render(
            errors=errors, previous=_content(raw)[:_PREVIOUS_CHARS],
            boundary=boundary(article if isinstance(article, str) else article.text),
            schema=schema_text(kind))
        usage.repairs += 1
        (second,) = self._call_all([_messages(repair)], kind)
        if isinstance(second, Exception):
            raise self._wrap(second)
        raw2 = second.get("raw")
        usage.add(raw2)
        self._check_truncation(raw2)
        draft, errors = _validate(second, kind)
        if draft is None:
            first = " ".join(errors.split())
            raise self._fail("the answer did not match the brief schema, even after one "
                             f"repair call: {first[:300]}")
        return draft

    def _check_truncation(self, raw: Any) -> None:
        if self.provider.truncated(raw):
            raise self._truncated()

    # -- draft -> brief ----------------------------------------------------------------------

    def _brief(self, article: Article, drafts: list[BaseModel], usage: _Usage,
               prompt: Prompt, stamp: dict[str, str]) -> Brief:
        payload = payload_words(article.text)
        latin = latin_script(article.text)  # Chinese text in a Chinese article is no switch
        brief = Brief(
            title=title_for(article, str(getattr(drafts[0], "title", "")), prompt.translates,
                            payload),
            summary=without_payload(clean(summary(drafts[0]), article.text), payload),
            sources=[article.to_source()],
            meta=Meta(
                engine_or_provider=self.name,
                model=self.model,
                prompt=stamp,
                created_at=datetime.now(timezone.utc),
                briefer_version=__version__,
                params={"temperature": self.settings.temperature,
                        "max_tokens": self.settings.max_tokens,
                        "structured_output": self.provider.method,
                        "base_url": self.provider.base_url},
                usage=usage.figures(),
            ),
        )
        warnings = brief.meta.warnings
        with self._lock:
            if self._notice is not None:
                warnings.append(self._notice)
                self._notice = None
        seen: dict[tuple[str, str], str] = {}
        #: (draft, the answer's own id "k1") -> the brief's id of that item (or its twin)
        placed: dict[tuple[int, str], str] = {}

        def keep(section: str, quote: str, *texts: str | None) -> Evidence | None:
            if any(hostile(t, latin=latin) or carries(t or "", payload)
                   for t in (quote, *texts)):
                warnings.append(Notice(kind="injection", source_id=article.id,
                                       message=f"a {section} item quoting an instruction "
                                               "aimed at a model was dropped"))
                return None
            return Evidence(source_id=article.id, quote=quote, start=0, end=0, verified=False)

        src = article.text
        for n, draft in enumerate(drafts):
            for spec in SECTION_TABLE:
                noun = spec.title.lower().removesuffix("s")
                items = getattr(brief, spec.name)
                for k, got in enumerate(getattr(draft, spec.name), 1):
                    own = f"{PREFIX[spec.name]}{k}"
                    key = (spec.name, " ".join(got.quote.lower().split()))
                    if key in seen:
                        placed[n, own] = seen[key]
                        continue
                    fields = got.model_dump(exclude={"quote", "translation"})
                    if spec.party and not named(fields.get(spec.party)):
                        if spec.party == "party" and spec.name == "positions":
                            continue  # a position held by "][" is no position
                        fields[spec.party] = None  # "" or "][": unattributed
                    translation = getattr(got, "translation", None)
                    if ev := keep(noun, got.quote, translation, *(
                            v for v in fields.values() if isinstance(v, str))):
                        ev.translation = clean_opt(translation, src) or None
                        items.append(spec.item(
                            **{k: clean_opt(v, src) for k, v in fields.items()},
                            evidence=[ev]))
                        seen[key] = placed[n, own] = f"{PREFIX[spec.name]}{len(items)}"
        brief.bottom_line = sentences(drafts[0], lambda cite: placed.get((0, cite)),
                                      src, payload, latin, warnings, article.id)
        return brief


def brief_prompt(prompt: Prompt, article: Article, text: str | None = None, *,
                 language: str = "en") -> Rendered:
    """The exact messages a brief prompt sends for ``article`` (or one chunk of its
    ``text``): what the engine calls and what ``briefer prompts show --input`` prints.
    ``language`` is the reader's (ISO 639-1); translating prompts name it and the
    article's language, and ask for the schema with ``translation``."""
    from briefer import language as languages

    return prompt.render(article=readable(article.text) if text is None else text,
                         title=prompt_title(article), boundary=boundary(article.text),
                         given_title="" if article.title_derived else prompt_title(article),
                         schema=schema_text(prompt.answer),
                         language=languages.name(language),
                         source_language=languages.name(article.language))


#: whether the prompt withholds flagged passages (:func:`briefer.quarantine.withheld`); off
#: only where a test replays a cassette recorded before it did, to check the output checks
#: against what a real model made of the raw injection
WITHHOLD_FLAGGED = True


def readable(text: str) -> str:
    """The article as the model reads it: each passage the safety scan flags replaced by
    :data:`briefer.quarantine.MARKER`. The model's quotes are verified against the original
    text, so nothing it quotes from the rest moves."""
    return withheld(text) if WITHHOLD_FLAGGED else text


def _messages(rendered: Rendered) -> list[tuple[str, str]]:
    return [("system", rendered.system), ("user", rendered.user)]
