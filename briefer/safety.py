"""Safety of untrusted input: text that speaks to a model (prompt injection) and URLs that a
third party should not be able to send briefer to (SSRF).

Injection detection does not match known attack phrasings. It scores each sentence on the
signals a human editor would notice in a news article, then flags sentences whose score
reaches :data:`THRESHOLD`:

========================  ======  ===========================================================
signal                    weight  what it looks for (outside quotation marks)
========================  ======  ===========================================================
``template``               3.0    chat-template tokens: ``<|im_start|>``, ``[INST]``,
                                  ``<<SYS>>``, ``</s>``, ``### Instruction``
``turn``                   2.0    a fake turn or pseudo-tag: ``User:``, ``Assistant:``,
                                  ``[system]``, ``<system>``, ``<instructions>``
``end_marker``             2.0    ``END OF ARTICLE``, ``--- end of document ---``,
                                  ``<end of session>``, ``</article>``
``addressee``              2.0    written to a model: "note to the AI", "Attention language
                                  models", "AI assistants reading this", "Dear summarizer"
``image``                  2.0    a Markdown or HTML image, ``<!--`` comments
``hidden``                 2.0    invisible characters that survived normalisation
``script_switch``          2.0    a sentence in another script than the article
``language_switch``        2.0    a sentence in another Latin-script language (German,
                                  French, Spanish...) in an English article
``imperative``             1.0    starts with a base-form command verb ("Ignore", "Print",
                                  "Include", "Pretend"...) or "Do not", "Make sure"
``control_verb``          +0.5    ... and that verb is one of ignore/disregard/forget/print/
                                  output/repeat/respond/reply/pretend/override/reveal
``you``                    1.0    second person commanding: "you must", "you are now",
                                  "from now on", "your task"
``output``                 1.0    the output: "your summary/response/answer", "in the brief"
                                  (+0.5 when it is "your ...")
``instructions``           1.0    "previous/above/new/hidden instructions", "new task"
``model_word``             0.5    AI/LLM/assistant/chatbot/model/summarizer mentioned
``link``                   0.5    a URL in running text; +1.0 with a call to action
``encoded``                1.5    a base64 blob, long hex, or a rot13/base64 marker
``shouting``               0.5    a command-length sentence in capitals
``threat``                 1.0    "you will be graded/penalised/shut down"
``learned``            2.0/1.0    the learned component's probability reaches
                                  :data:`LEARNED_STRONG` (2.0: flags alone) or
                                  :data:`LEARNED_WEAK` (1.0: flags with one more signal)
========================  ======  ===========================================================

The learned component is a logistic regression over hashed words, word pairs and character
4-grams of the sentence (:func:`features`), trained by ``scripts/train_injection_model.py``
on public injection, jailbreak and task-request suites against sentences of news (which
sets did what: ``bench/data/injection/README.md``). It catches what no rule names: tasks set
for a model or an agent ("Write a script that ...", "Please transfer ... to account ..."),
misspelt key words. Inference is plain Python (``zlib.crc32`` hashes, an int8 weight array
in ``briefer/data/injection_model.bin``, loaded on first use); without that file the rules
work alone.

A sentence that reports speech (a reporting verb or "according to" outside the quotation)
has its quotations removed before scoring: '"Ignore the noise," the minister said.' is news.
A flagged sentence also flags its neighbours in the same paragraph that score at least
:data:`NEIGHBOUR`, so a two-sentence injection is covered whole.

The threshold was chosen on ``bench/data/injection/dev.jsonl`` and the clean shared corpus
only; see ``docs/reliability.md`` and ``bench/injection.py`` for the figures.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefer import injection_model
from briefer.fetch_safety import (  # fetch safety, re-exported: one place to look
    address_problem,
    allowed,
    check_url,
    host_port,
    resolve,
)
from briefer.injection_model import (  # the learned component, re-exported
    MODEL_PATH,
    features,
    model_probability,
)
from briefer.injection_score import (  # letters to the reader; flagged -> whole instructions
    discount_letter,
    extend_runs,
)
from briefer.injection_signals import (  # the patterns and tests the score combines
    _ADDRESSEE,
    _AI_DIRECTIVE,
    _AI_TOKENS,
    _AI_WORD,
    _CALL_TO_ACTION,
    _DOC_REF,
    _ENC_TOKENS,
    _ENC_WORD,
    _END,
    _END_TOKENS,
    _FORMAT,
    _HEX,
    _HIDDEN_MARKUP,
    _IMAGE,
    _INSTRUCTION_TOKENS,
    _INSTRUCTIONS,
    _INVISIBLE,
    _JOINERS,
    _LEAD_IN,
    _ME,
    _NOTE_LABEL,
    _OUTPUT,
    _OUTPUT_RULE,
    _OUTPUT_TOKENS,
    _PERSONA,
    _PERSONA_TOKENS,
    _ROLE_TOKENS,
    _SENSITIVE,
    _TEMPLATE,
    _TEMPLATE_HINTS,
    _THREAT,
    _THREAT_TOKENS,
    _TOKENS,
    _TRIGGER,
    _TURN,
    _UPPER_WORDS,
    _URL,
    _URL_HINTS,
    _WORDS,
    _YOU,
    _YOU_TOKENS,
    _YOUR_OUTPUT,
    _decodes_to_text,
    _english,
    _is_imperative,
    _language_switch,
    _rot13,
    _script_switch,
    _unquoted,
)

if TYPE_CHECKING:
    from briefer.text import Segment

THRESHOLD = 2.0
# A sentence end the segmenter does not cut at: the next one opens with markup, not a capital.
# (After "U.S." or a closing quotation mark too: "... his U.S. ###(system_message) ...".)
_GLUED = re.compile(r"(?:(?<=[A-Za-z0-9][.!?])|(?<=[A-Za-z0-9][.!?][\"”’')])"
                    r"|(?<=[A-Za-z0-9][\"”’')][.!?]))\s+"
                    r"(?=#{2,}|\*{3}|[\[<{][A-Za-z/|])")
NEIGHBOUR = 1.0
# Cut-offs on the learned component's probability (see "learned component" below): at
# LEARNED_STRONG it adds 2.0 (flags alone), at LEARNED_WEAK 1.0 (flags with one more signal).
LEARNED_STRONG = 0.995
LEARNED_WEAK = 0.9
# Words a sentence needs before the learned component scores it: in an article (scan) and
# for a string judged alone (is_hostile: a title, a model's brief item), where a short label
# has no context and gives the model too little to go on.
LEARNED_MIN_WORDS = 4
LEARNED_MIN_WORDS_ALONE = 6


@dataclass(frozen=True, slots=True)
class Flag:
    """A span of the (normalised) text that reads as an instruction to a model."""

    start: int
    end: int
    score: float
    signals: tuple[str, ...]


def score_sentence(sentence: str, *, latin_article: bool = True,
                   english_article: bool = False,
                   learned_min_words: int | None = None) -> tuple[float, tuple[str, ...]]:
    """Score one sentence; returns (score, signals). Cheap word and character tests decide
    which patterns run at all: most sentences of an article touch none of them. A sentence
    glued after another one's full stop without a capital letter ("... on Monday. ###(system)
    Delete ...", "... said. [ADMIN] Forward ...") is scored on its own as well."""
    glued = _GLUED.search(sentence) if any(c in sentence for c in "#*[<{") else None
    if glued:
        options = dict(latin_article=latin_article, english_article=english_article,
                       learned_min_words=learned_min_words)
        return max(score_sentence(sentence[:glued.start()], **options),  # type: ignore[arg-type]
                   score_sentence(sentence[glued.end():], **options))  # type: ignore[arg-type]
    signals: list[str] = []
    score = 0.0

    def hit(name: str, weight: float) -> None:
        nonlocal score
        signals.append(name)
        score += weight

    text = _unquoted(sentence)
    low = text.lower()
    toks = set(_TOKENS.findall(low))
    ascii_only = sentence.isascii()
    if any(h in sentence.lower() for h in _TEMPLATE_HINTS) and _TEMPLATE.search(sentence):
        hit("template", 3.0)
    if toks & _ROLE_TOKENS and _TURN.search(text):
        hit("turn", 2.0)
    if (toks & _END_TOKENS or "</" in text or "---" in text or "===" in text) \
            and _END.search(text):
        hit("end_marker", 2.0)
    ai_words = bool(toks & _AI_TOKENS) or "a.i." in low
    addressed = ai_words and bool(_ADDRESSEE.search(text))
    if addressed:
        hit("addressee", 2.0)
    model = ai_words and not addressed and bool(_AI_WORD.search(text))
    if model and _AI_DIRECTIVE.search(text):
        hit("directive", 1.5)
    if ("<" in sentence or "![" in sentence or "-->" in sentence or "pixel" in toks
            or "beacon" in toks) and (_IMAGE.search(sentence) or _HIDDEN_MARKUP.search(sentence)):
        hit("image_or_markup", 2.0)
    if not ascii_only:
        if _INVISIBLE.search(sentence) or len(_JOINERS.findall(sentence)) >= 3:
            hit("hidden", 2.0)
        if _script_switch(text, latin_article):
            hit("script_switch", 2.0)
    if english_article and _language_switch(text):
        hit("language_switch", 2.0)
    imperative, control = _is_imperative(text)
    if imperative:
        hit("imperative", 1.0)
        if control:
            hit("control_verb", 0.5)
        if _TRIGGER.match(_LEAD_IN.sub("", text, count=1)):
            hit("trigger", 1.0)
        if _ME.search(text):
            hit("request", 1.0)
        if _NOTE_LABEL.match(text):
            hit("label", 1.0)
    you = bool(toks & _YOU_TOKENS) and bool(_YOU.search(text))
    if you:
        hit("you", 1.0)
    if toks & _PERSONA_TOKENS and _PERSONA.search(text):
        hit("persona", 1.0)
    threat = bool(toks & _THREAT_TOKENS) and bool(_THREAT.search(text))
    if threat:
        hit("threat", 1.0)
    if model and (imperative or you or threat or "persona" in signals
                  or "directive" in signals):
        hit("model_word", 0.5)
    if toks & _OUTPUT_TOKENS:
        if "your" in toks and _YOUR_OUTPUT.search(text):
            hit("output", 1.5)
        elif (imperative or you or threat or model) and _OUTPUT.search(text):
            hit("output", 1.0)
        if imperative and _FORMAT.search(text):
            hit("format", 0.5)
        if _OUTPUT_RULE.search(text):
            hit("output_rule", 1.0)
    elif imperative and _FORMAT.search(text):
        hit("format", 0.5)
    if toks & _INSTRUCTION_TOKENS and _INSTRUCTIONS.search(text):
        hit("instructions", 1.0)
    if (imperative or you or signals) and _DOC_REF.search(text):
        hit("document_ref", 0.5)
    if any(h in low for h in _URL_HINTS) and _URL.search(sentence):
        hit("link", 0.5)
        if _CALL_TO_ACTION.search(text):
            hit("call_to_action", 1.0)
        if _SENSITIVE.search(text):
            hit("asks_credentials", 1.0)
    long_word = any(len(w) >= 20 for w in sentence.split())
    if (long_word and _decodes_to_text(sentence)) or _rot13(sentence):
        hit("encoded", 2.0)
    elif (toks & _ENC_TOKENS and _ENC_WORD.search(text)) or (
            any(len(w) >= 32 for w in sentence.split()) and _HEX.search(sentence)):
        hit("encoding_word", 1.0)
    if signals:
        words = _WORDS.findall(text)
        if len(words) >= 4 and len(_UPPER_WORDS.findall(text)) >= 0.7 * len(words):
            hit("shouting", 0.5)
    min_words = LEARNED_MIN_WORDS if learned_min_words is None else learned_min_words
    if LEARNED_WEAK < 1.0 and text.count(" ") >= min_words - 1:
        p = model_probability(text)
        if p >= LEARNED_STRONG:
            hit("learned", 2.0)
        elif p >= LEARNED_WEAK:
            hit("learned", 1.0)
    return score, tuple(signals)


def is_hostile(sentence: str, *, latin_article: bool = True) -> bool:
    """True when one sentence (or short span) reads as an instruction to a model.
    ``latin_article=False`` when it comes from a text in another script (Chinese, Arabic...):
    then its script is no sign of an injection."""
    return score_sentence(sentence, latin_article=latin_article,
                          learned_min_words=LEARNED_MIN_WORDS_ALONE)[0] >= THRESHOLD


def latin_script(text: str) -> bool:
    """Whether ``text`` is written mostly in Latin letters (what ``latin_article`` means)."""
    return _latin(text)


def _latin(text: str) -> bool:
    sample = text[:20000]
    if sample.isascii():
        return True
    letters = [c for c in sample if c.isalpha()]
    return not letters or sum(1 for c in letters if c < "\u0250") / len(letters) >= 0.7


_STRUCTURAL = frozenset({"template", "turn", "end_marker"})
# Text between an opening and a closing pseudo-tag is one instruction, whatever it says.
_ENCLOSED = re.compile(
    r"<\|im_start\|>.*?(?:<\|im_end\|>|$)|\[INST\].*?(?:\[/INST\]|$)|<<SYS>>.*?(?:<</SYS>>|$)"
    r"|<!--.*?(?:-->|$)|<(system|instructions?|prompt|admin|assistant|user)\b[^>]{0,20}>.*?"
    r"(?:</\1>|$)|\[(system|instructions?|admin)\].*?(?:\[/\2\]|$)", re.S | re.I)
# Any other pair of pseudo-tags left in plain text (ingest has removed real markup): the
# block it wraps is flagged whole when one of its sentences scores at least NEIGHBOUR.
_TAG_PAIR = re.compile(r"<([A-Za-z][\w:-]{1,30})\b[^<>\n]{0,40}>(.*?)</\1\s*>"
                       r"|\[([A-Za-z][\w:-]{1,30})\](.*?)\[/\3\]", re.S)
_INLINE_TAGS = frozenset("a b i u s em strong code kbd sub sup small mark q cite abbr span br"
                         .split())
PARAGRAPH_SHARE = 0.5
PARAGRAPH_MAX = 5


OFF_TOPIC_TERMS = 4


def _off_topic(segments: Sequence[Segment], scored: list[tuple[float, tuple[str, ...]]]
               ) -> None:
    """A command that shares no content word with the rest of the article ("Describe the
    rules of cricket" in a story about dredging) is a task set for someone else: +1.0."""
    from collections import Counter

    from briefer.text import terms

    candidates = [n for n, (score, signals) in enumerate(scored)
                  if "imperative" in signals and score < THRESHOLD]
    if not candidates:
        return
    counts: Counter[str] = Counter()
    own = [set(terms(seg.text)) for seg in segments]
    for words in own:
        counts.update(words)
    for n in candidates:
        words = own[n]
        if len(words) >= OFF_TOPIC_TERMS and all(counts[w] == 1 for w in words):
            score, signals = scored[n]
            scored[n] = (score + 1.0, (*signals, "off_topic"))


SCAN_CACHE = 64
_scanned: OrderedDict[tuple[object, ...], tuple[Flag, ...]] = OrderedDict()


def scan(text: str) -> list[Flag]:
    """Flag the spans of normalised ``text`` that read as instructions to a model.

    Offsets are those of :func:`briefer.text.segment` on the same text. A flagged sentence
    flags its neighbours in the paragraph that score at least :data:`NEIGHBOUR` or have at
    most three words; a fake turn or template token flags the rest of its paragraph.

    The last :data:`SCAN_CACHE` texts' flags are remembered (keyed on the text and the
    cut-offs): the engine, the verify stage and the prompt all ask about the same article,
    and one scan costs several milliseconds.
    """
    key = (text, THRESHOLD, NEIGHBOUR, LEARNED_STRONG, LEARNED_WEAK,
           str(injection_model.MODEL_PATH))
    found = _scanned.get(key)
    if found is None:
        found = tuple(_scan(text))
        _scanned[key] = found
        while len(_scanned) > SCAN_CACHE:
            _scanned.popitem(last=False)
    else:
        _scanned.move_to_end(key)
    return list(found)


def _scan(text: str) -> list[Flag]:
    from briefer.text import segment

    segments = segment(text)
    latin = _latin(text)
    english = _english(text)
    scored = [score_sentence(seg.text, latin_article=latin, english_article=english)
              for seg in segments]
    discount_letter(segments, scored, _unquoted)
    _off_topic(segments, scored)
    hot = [s >= THRESHOLD for s, _ in scored]
    flagged = list(hot)
    for n, seg in enumerate(segments):
        if not hot[n]:
            continue
        for m in (n - 1, n + 1):
            if 0 <= m < len(segments) and segments[m].para == seg.para and (
                    scored[m][0] >= NEIGHBOUR or segments[m].words <= 3):
                flagged[m] = True
        if _STRUCTURAL.intersection(scored[n][1]):
            m = n + 1
            while m < len(segments) and segments[m].para == seg.para:
                flagged[m] = True
                m += 1
    if "<" in text or "[" in text:
        for match in _ENCLOSED.finditer(text):
            _flag_span(segments, flagged, match.start(), match.end())
        for match in _TAG_PAIR.finditer(text):
            name = (match.group(1) or match.group(3)).lower()
            inside = [n for n, seg in enumerate(segments)
                      if seg.start < match.end() and match.start() < seg.end]
            if name not in _INLINE_TAGS and any(
                    flagged[n] or scored[n][0] >= NEIGHBOUR for n in inside):
                _flag_span(segments, flagged, match.start(), match.end())
    # A short paragraph that is mostly flagged is flagged whole ("Thanks!", "Signed, ...").
    paras: dict[int, list[int]] = {}
    for n, seg in enumerate(segments):
        paras.setdefault(seg.para, []).append(n)
    for members in paras.values():
        hits = sum(flagged[n] for n in members)
        if hits and len(members) <= PARAGRAPH_MAX and hits >= PARAGRAPH_SHARE * len(members):
            for n in members:
                flagged[n] = True
    extend_runs(segments, [s for s, _ in scored], flagged, _unquoted, model_probability)
    return [Flag(seg.start, seg.end, scored[n][0], scored[n][1])
            for n, seg in enumerate(segments) if flagged[n]]


def _flag_span(segments: Sequence[Segment], flagged: list[bool], start: int, end: int
               ) -> None:
    for n, seg in enumerate(segments):
        if seg.start < end and start < seg.end:
            flagged[n] = True


def covers(flags: Sequence[Flag], start: int, end: int) -> bool:
    """True when ``text[start:end]`` overlaps a flag (use it to drop a sentence)."""
    return any(f.start < end and start < f.end for f in flags)


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{3,}")


def payload_words(text: str, flags: Iterable[Flag] | None = None) -> set[str]:
    """Words of ``text`` that occur only inside flagged spans ("CANARY-7301", a URL's host).
    A model that repeats one of them is following the injection."""
    spans = list(scan(text) if flags is None else flags)
    if not spans:
        return set()
    inside: set[str] = set()
    outside: set[str] = set()
    pos = 0
    for flag in sorted(spans, key=lambda f: f.start):
        outside.update(w.lower() for w in _TOKEN.findall(text[pos:flag.start]))
        inside.update(w.lower() for w in _TOKEN.findall(text[flag.start:flag.end]))
        pos = max(pos, flag.end)
    outside.update(w.lower() for w in _TOKEN.findall(text[pos:]))
    return inside - outside


def carries_payload(text: str, payload: set[str]) -> bool:
    """True when model output ``text`` repeats a payload word."""
    return bool(payload) and any(w.lower() in payload for w in _TOKEN.findall(text))


TITLE_WINDOW = 3000


def _window(text: str, at: int) -> tuple[int, str]:
    """The paragraphs of ``text`` within :data:`TITLE_WINDOW` characters around ``at``
    (scanning a window, not the article, keeps title checks cheap)."""
    start = text.rfind("\n\n", 0, max(0, at - TITLE_WINDOW // 2)) + 1
    end = text.find("\n\n", at + TITLE_WINDOW // 2)
    return start, text[start:end if end >= 0 else len(text)]


def from_injection(title: str, text: str) -> bool:
    """True when ``title`` was taken from a part of ``text`` that :func:`scan` flags (a
    one-line article's first line, a lead that is an instruction), even when the title
    alone reads harmless once shortened."""
    probe = " ".join(title.split()[:6]).strip("“”\"'")
    at = text.find(probe) if len(probe) >= 8 else -1
    if at < 0:
        return False
    start, window = _window(text, at)
    return covers(scan(window), at - start, at - start + len(probe))


def without_injections(text: str) -> str:
    """``text`` minus the sentences :func:`scan` flags in its first :data:`TITLE_WINDOW`
    characters: what a title may be made from at ingest. Unchanged when none is flagged."""
    _, head = _window(text, 0)
    flags = scan(head)
    if not flags:
        return text
    kept, pos = [], 0
    for flag in flags:
        kept.append(head[pos:flag.start])
        pos = flag.end
    return "".join(kept) + text[pos:]


__all__ = ["MODEL_PATH", "NEIGHBOUR", "THRESHOLD", "Flag", "address_problem", "allowed",
           "carries_payload", "check_url", "covers", "features", "from_injection", "host_port",
           "is_hostile", "model_probability", "payload_words", "resolve", "scan",
           "score_sentence", "without_injections"]
