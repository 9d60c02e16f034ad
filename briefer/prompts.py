"""Versioned prompt templates: ``prompts/<task>/v<N>.md.j2``.

Each file starts with a YAML front-matter header (``id``, ``version``, ``description``,
``schema_version``, ``params``) followed by a Jinja template with two blocks, ``system`` and
``user``. Templates render in a sandbox with ``StrictUndefined``. ``brief`` means the newest
version of the task (the newest with ``translates: true`` for articles in another language
than the reader's); ``brief@1`` pins one. A user folder (``prompts_dir`` in config) is
searched first, so it can add tasks, add versions, or shadow shipped ones.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefer.errors import ConfigError, TemplateError
from briefer.frontmatter import split_front_matter
from briefer.resources import prompts_dir

_FILE = re.compile(r"^v(\d+)\.md\.j2$")
_SPEC = re.compile(r"^([a-z][a-z0-9_-]*)(?:@(\d+))?$")


@dataclass(frozen=True)
class Prompt:
    id: str
    version: int
    path: Path
    description: str
    schema_version: str | None
    params: dict[str, Any] = field(default_factory=dict)
    #: asks for the brief in the reader's language with a translation of each quote
    #: (front matter ``translates: true``); used for articles in another language
    translates: bool = False
    #: the answer's schema (:data:`briefer.engines.draft.ANSWERS`): front matter ``answer``;
    #: ``plain`` (or ``translated`` for a translating prompt) when not given
    answer: str = "plain"

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def body(self) -> str:
        return split_front_matter(self.source)[1]

    def render(self, **variables: Any) -> Rendered:
        """Both messages, rendered in a sandbox; a missing variable is an error."""
        import jinja2

        from briefer.sandbox import BoundedSandbox

        env = BoundedSandbox(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)
        try:
            template = env.from_string(self.body)
            context = template.new_context(variables)
            parts = {}
            for block in ("system", "user"):
                if block not in template.blocks:
                    raise TemplateError(str(self.path), f"has no {{% block {block} %}}")
                parts[block] = "".join(template.blocks[block](context)).strip()
        except jinja2.TemplateError as exc:
            raise TemplateError(str(self.path), str(exc)) from exc
        return Rendered(self, parts["system"], parts["user"])


@dataclass(frozen=True)
class Rendered:
    prompt: Prompt
    system: str
    user: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(f"{self.system}\n\n{self.user}".encode()).hexdigest()

    def stamp(self) -> dict[str, str]:
        return {"id": self.prompt.id, "version": str(self.prompt.version),
                "sha256": self.sha256}


def boundary(text: str) -> str:
    """A marker around untrusted text in a prompt: derived from the text (so requests replay)
    and never contained in it."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for size in (16, 32, 64):
        if digest[:size] not in text:
            return digest[:size]
    return digest + "x"  # pragma: no cover - a text containing its own hash


class PromptStore:
    """All prompts in the shipped folder and an optional user folder (searched first)."""

    def __init__(self, extra_dir: Path | None = None) -> None:
        self.dirs = [d for d in (extra_dir, prompts_dir()) if d is not None]
        if extra_dir is not None and not extra_dir.is_dir():
            raise ConfigError(f"prompts_dir {extra_dir} is not a folder")

    def all(self) -> list[Prompt]:
        found: dict[tuple[str, int], Prompt] = {}
        for folder in self.dirs:
            for path in sorted(folder.glob("*/v*.md.j2")):
                match = _FILE.match(path.name)
                if match and (path.parent.name, int(match.group(1))) not in found:
                    prompt = _load(path, path.parent.name, int(match.group(1)))
                    found[(prompt.id, prompt.version)] = prompt
        return sorted(found.values(), key=lambda p: (p.id, p.version))

    def get(self, spec: str) -> Prompt:
        match = _SPEC.match(spec.strip())
        if not match:
            raise ConfigError(f"bad prompt {spec!r}: use TASK or TASK@VERSION, e.g. brief@2")
        task, version = match.group(1), match.group(2)
        versions = [p for p in self.all() if p.id == task]
        if not versions:
            tasks = sorted({p.id for p in self.all()})
            raise ConfigError(f"unknown prompt {task!r}; available: {', '.join(tasks)}")
        if version is None:  # the newest, leaving translating prompts to translating()
            plain = [p for p in versions if not p.translates]
            return (plain or versions)[-1]
        for prompt in versions:
            if prompt.version == int(version):
                return prompt
        known = ", ".join(p.ref for p in versions)
        raise ConfigError(f"unknown prompt version {spec!r}; available: {known}")

    def translating(self, spec: str) -> Prompt | None:
        """The prompt for articles in another language than the reader's: ``spec`` itself
        when it pins a translating version, the newest translating version of an unpinned
        task, else None (a pinned plain version is used as it is)."""
        chosen = self.get(spec)
        if chosen.translates:
            return chosen
        if "@" in spec:
            return None
        found = [p for p in self.all() if p.id == chosen.id and p.translates]
        return found[-1] if found else None

    def diff(self, a: str, b: str) -> str:
        import difflib

        left, right = self.get(a), self.get(b)
        return "".join(difflib.unified_diff(
            left.source.splitlines(keepends=True), right.source.splitlines(keepends=True),
            fromfile=left.ref, tofile=right.ref))


def _load(path: Path, task: str, version: int) -> Prompt:
    meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
    if not meta:
        raise ConfigError(f"{path}: prompt file needs a front-matter header (id, version...)")
    if str(meta.get("id", task)) != task or int(meta.get("version", version)) != version:
        raise ConfigError(f"{path}: header says {meta.get('id')}@{meta.get('version')}, "
                          f"the file name says {task}@{version}")
    params = meta.get("params") or {}
    if not isinstance(params, dict):
        raise ConfigError(f"{path}: params must be a mapping")
    translates = bool(meta.get("translates", False))
    answer = str(meta.get("answer") or ("translated" if translates else "plain"))
    return Prompt(task, version, path, str(meta.get("description", "")).strip(),
                  str(meta["schema_version"]) if "schema_version" in meta else None, params,
                  translates, answer)
