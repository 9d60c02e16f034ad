"""The offline extractive engine: deterministic, no model call, every word from the source.

Pipeline per article: segment -> keep prose sentences -> rank (centroid + lead prior) ->
attribute speakers -> section of each sentence from the learned classifier
(engines/learned.py) and the guide's rules (:func:`apply_rules`) -> parties -> summary.
Item texts are verbatim spans of their evidence sentence; a section may stay empty.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from briefer import quarantine, safety
from briefer._version import __version__
from briefer.engines import bottom_line, lead, ranking
from briefer.engines.attribution import (
    Attribution,
    People,
    attribute,
    party_of,
    subject_before,
)
from briefer.engines.cues import (
    ASIDE,
    DATELINE,
    LIMIT_SHAPE,
    NEWSROOM,
    NEXT_STEP_STRONG,
    NEXT_STEP_WEAK,
    NOT_PROSE,
    PAST_ONLY,
    WHEN,
)
from briefer.engines.parties import party_for, spelled_out, valid_party, with_state
from briefer.engines.quotes import quote_holders
from briefer.engines.sanitize import safe_title
from briefer.model import (
    SECTION_TABLE,
    Article,
    Brief,
    Evidence,
    KeyIssue,
    Meta,
    NextStep,
    Notice,
    Position,
    RedLine,
)
from briefer.text import Segment, segment

LIMITS = {spec.name: spec.limit for spec in SECTION_TABLE}
# the bottom line's limits (engines/bottom_line.py; chosen by bench/bottomline.py)
SUMMARY_SENTENCES = bottom_line.DEFAULT.sentences
SUMMARY_WORDS = bottom_line.DEFAULT.budget
MIN_WORDS, MAX_WORDS = 5, 100
NEAR_DUPLICATE = 0.8  # cosine of two sentences' TF-IDF vectors: the same fact said twice
UNNAMED = "Unattributed"

# Where a long sentence may be cut into "issue — detail": before a trailing modifier.
_CLAUSE_CUT = re.compile(
    r"(?:\s[–—]\s|;\s|,\s(?=(?:one|the|a|an|which|who|including|as|while|even|after|before|"
    r"despite|amid|adding|saying|according|with|where|when|but)\b))"
)
_CLAUSE_MIN_WORDS = 6


@dataclass
class _Sentence:
    seg: Segment
    score: float
    attribution: Attribution | None = None
    section: str | None = None
    party: str | None = None


@dataclass
class _Parties:
    """Who is who in one article: titled names, and the speakers met so far."""

    people: People
    known: list[str]

    def subject(self, text: str, at: int, cue: re.Pattern[str]) -> str | None:
        match = cue.search(text)
        phrase = subject_before(text, match.start()) if match else None
        return party_of(phrase, self.people, at, self.known) if phrase else None


def _is_prose(seg: Segment) -> bool:
    if seg.kind != "sentence" or not MIN_WORDS <= seg.words <= MAX_WORDS:
        return False
    letters = sum(ch.isalpha() for ch in seg.text)
    return letters >= 0.6 * len(seg.text) and not NOT_PROSE.search(seg.text)


#: the package folder, whose code and data the cache identity digests
PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_digest(root: Path = PACKAGE) -> str:
    """sha256 (12 hex digits) of the package's Python files and shipped data (``root``:
    the package folder): read once per process, only when a cache is used (~6 ms)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()
                       and (p.suffix == ".py" or p.parent.name == "data")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


class ExtractiveEngine:
    """Condense one article into a Brief without a model."""

    name = "extractive"
    model: str | None = None
    parallel = False  # CPU-bound: threads would only contend for the GIL

    @property
    def cache_id(self) -> str:
        """The version and a digest of the code and data that make the brief: a brief cached
        by an earlier engine (retrained weights, a changed rule) is never served again."""
        return f"extractive/{__version__}+{code_digest()}"

    def condense(self, article: Article) -> Brief:
        from datetime import datetime, timezone

        if not lead.reads(article.language):  # English cues: other languages get the lead
            return lead.lead_brief(article, self.name)
        segments = segment(article.text)
        warnings: list[Notice] = []
        prose: list[Segment] = []
        flags = safety.scan(article.text)
        held = quarantine.guard(article.text)  # what the verify stage keeps out (same scan)
        for seg in map(_without_dateline, _before_credits(segments)):
            if safety.covers(flags, seg.start, seg.end):  # prose or not: it is reported
                warnings.append(Notice(
                    kind="injection",
                    message="sentence addressed to an AI model left out of the brief",
                    source_id=article.id, start=seg.start, end=seg.end))
                continue
            if _is_prose(seg) and not held.overlaps(seg.start, seg.end):
                prose.append(seg)
        vecs = ranking.vectors(prose)
        sentences = [_Sentence(s, sc) for s, sc in zip(prose, ranking.scores(prose, vecs),
                                                       strict=True)]
        brief = Brief(
            title=safe_title(article),
            summary="",
            sources=[article.to_source()],
            meta=Meta(
                engine_or_provider=self.name,
                created_at=datetime.now(timezone.utc),
                briefer_version=__version__,
                warnings=warnings,
            ),
        )
        parties = self._classify(article, sentences)
        self._fill_sections(article, sentences, vecs, brief, parties)
        self._summarise(article, sentences, vecs, brief)
        return brief

    # -- stages ------------------------------------------------------------------------------

    def _classify(self, article: Article, sentences: list[_Sentence]) -> _Parties:
        """Each sentence's section from the learned classifier (engines/learned.py, trained
        on analysts' annotations), and who holds it (engines/parties.py)."""
        from briefer.engines import learned

        people = People(article.text)
        known: list[str] = []
        plain: list[Attribution | None] = []  # as the classifier was trained: no carry-over
        for sent in sentences:
            found = attribute(sent.seg.text, people, sent.seg.start, known)
            plain.append(found)
            if found:
                known.append(found.party)
        held = quote_holders([s.seg.text for s in sentences], [s.seg.para for s in sentences],
                             plain)
        for sent, found, holder in zip(sentences, plain, held, strict=True):
            sent.attribution = found or holder
        texts = [s.seg.text for s in sentences]
        scores = learned.section_scores([s.seg for s in sentences], article.text, plain)
        labels = apply_rules(texts, learned.choose(scores), scores, plain,
                             learned.model().get("rules"))
        seen: list[str] = []
        for n, (sent, label) in enumerate(zip(sentences, labels, strict=True)):
            sent.section = label
            if label is not None:
                # a quotation continuing the previous speaker's carries that speaker
                continued = sent.attribution.party if plain[n] is None and sent.attribution \
                    else None
                sent.party = clean_party(party_for(
                    sent.seg.text, plain[n], people, sent.seg.start, seen, continued), people,
                    article.text)
            if plain[n] is not None:
                seen.append(plain[n].party)  # type: ignore[union-attr]
        return _Parties(people, known)

    def _fill_sections(self, article: Article, sentences: list[_Sentence],
                       vecs: list[dict[str, float]], brief: Brief, parties: _Parties) -> None:
        kept: list[int] = []
        for i, sent in enumerate(sentences):
            if sent.section is None:
                continue
            if any(ranking.cosine(vecs[i], vecs[j]) > NEAR_DUPLICATE for j in kept):
                continue  # one item per fact: a near-repeat of a kept sentence is left out
            kept.append(i)
            if sent.section == "key_issues":
                issue, detail = _split_clause(sent.seg.text)
                brief.key_issues.append(KeyIssue(
                    issue=issue, detail=detail, evidence=[_evidence(article, sent.seg)]))
            else:
                getattr(brief, sent.section).append(
                    self._item(sent.section, article, sent, parties))
        # Positions read best grouped by party, parties in order of first appearance.
        first_seen: dict[str, int] = {}
        for n, pos in enumerate(brief.positions):
            first_seen.setdefault(pos.party, n)
        brief.positions.sort(key=lambda p: first_seen[p.party])

    def _summarise(self, article: Article, sentences: list[_Sentence],
                   vecs: list[dict[str, float]], brief: Brief) -> None:
        """The lead without dateline and captions, a later sentence in place of a weak early
        one, at most SUMMARY_SENTENCES sentences and SUMMARY_WORDS words
        (engines/bottom_line.py)."""
        if not sentences:
            return
        limit = bottom_line.lead_words(article.text) if bottom_line.DEFAULT.cap_at_lead \
            else None
        chosen = bottom_line.choose([s.seg for s in sentences], vecs, limit_words=limit)
        brief.summary = " ".join(sentences[i].seg.text for i in chosen)
        brief.summary_evidence = [_evidence(article, sentences[i].seg) for i in chosen]

    # -- items -------------------------------------------------------------------------------

    def _item(self, section: str, article: Article, sent: _Sentence, parties: _Parties
              ) -> Position | RedLine | NextStep:
        seg, att = sent.seg, sent.attribution
        evidence = [_evidence(article, seg)]
        text = seg.text
        claim = text[att.stance[0] : att.stance[1]] if att else _trimmed(text)
        if _fragment(claim):
            claim = _trimmed(text)  # "Ukraine: any such land concessions" tells nothing
        if section == "positions":
            return Position(party=sent.party or UNNAMED, role=att.role if att else None,
                            stance=claim, evidence=evidence)
        if section == "red_lines":
            return RedLine(party=sent.party, line=claim, evidence=evidence)
        # Who acts is the subject of the claim ("Lawmakers are expected to vote"); the
        # holder of the statement only when the claim names nobody.
        at = seg.start + text.find(claim)
        actor = (parties.subject(claim, at, NEXT_STEP_STRONG)
                 or parties.subject(claim, at, NEXT_STEP_WEAK))
        if not valid_party(actor):
            actor = sent.party
        when = WHEN.search(claim)
        return NextStep(actor=actor, action=claim, when=when.group(0) if when else None,
                        evidence=evidence)


# A stance that cannot stand alone: it opens on a preposition, a determiner that needs its
# verb ("any such land concessions", after "rejected") or a day ("Monday to impose ..."), or
# has no verb at all ("upon the difficult first day of negotiations").
_FRAGMENT_START = re.compile(
    r"^(?:on|upon|in|at|for|with|of|from|by|about|over|into|onto|against|during|amid|any|"
    r"such|than|as|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+to|"
    r"[a-z]{3,}ing|polled|quoted|cited|asked|interviewed|surveyed)\b")  # "speaking on condition"
_A_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|will|would|can|could|may|might|must|should|shall|has|have|"
    r"had|do|does|did|won't|can't|cannot|[a-z]{2,}(?:ed|n't)|said|says|told|made|makes|"
    r"wants?|needs?|sees?|gets?|goes|knows?|thinks?|keeps?|takes?|gives?|stands?|"
    r"[a-z]{3,}(?<![su])s)\b")


def _fragment(claim: str) -> bool:
    return bool(_FRAGMENT_START.match(claim)) or not _A_VERB.search(claim)


_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_POSSESSIVE_TAIL = re.compile(r"[’']s(?:\s+(?:office|government|spokesman|spokeswoman|"
                              r"spokesperson|camp|team|administration|ministry))?$")


NEXT_STEP_FROM: tuple[str | None, ...] = (None, "key_issues", "positions")


def apply_rules(texts: list[str], labels: list[str | None], scores: list[dict[str, float]],
                attributions: list[Attribution | None], gates: dict[str, float] | None
                ) -> list[str | None]:
    """The guide's shapes on top of the classifier: a stated condition, refusal or
    ultimatum of a named party is a red line ("will only release X if Y"); something dated
    ahead is a next step. Each rule fires only where the model gives that section at least
    the probability ``gates`` sets (chosen on cross-validation: the shapes alone over-fire;
    a gate above 1 turns a rule off)."""
    gates = gates or {"red_lines": 0.0, "next_steps": 0.0}
    out = list(labels)
    for n, text in enumerate(texts):
        if out[n] == "key_issues" and (ASIDE.search(text) or NEWSROOM.search(text)):
            # "The PRC is short for China's official name", "comments were embargoed until
            # Saturday": no matter at issue
            out[n] = None
        elif out[n] != "red_lines" and _stated_condition(text, attributions[n]):
            out[n] = "red_lines"  # always: the guide's own example of a red line
        elif out[n] != "red_lines" and scores[n]["red_lines"] >= gates["red_lines"] \
                and LIMIT_SHAPE.search(_outside_quotes(text)) \
                and (attributions[n] is not None or _subject_named(text)):
            out[n] = "red_lines"
        elif out[n] in NEXT_STEP_FROM and scores[n]["next_steps"] >= gates["next_steps"] \
                and _scheduled(text):
            out[n] = "next_steps"
    return out


_CONDITION = re.compile(r"\bonly\b(?:\s+[\w'’-]+){0,8}?\s+(?:if|once|after)\b(?! all)"
                        r"|\bon (?:the )?condition that\b|\bunless\b|\bprovided that\b",
                        re.IGNORECASE)


def _stated_condition(text: str, attribution: Attribution | None) -> bool:
    """A speaker's condition in what they are reported to say: "Hamas said it will only
    release the hostage if Israel ..."."""
    if attribution is None:
        return False
    return bool(_CONDITION.search(text[attribution.stance[0] : attribution.stance[1]]))


def _scheduled(text: str) -> bool:
    """A future action with a time: "will vote next week", "is expected to meet on Monday"."""
    return bool(NEXT_STEP_STRONG.search(text)) and bool(WHEN.search(text)) and not bool(
        PAST_ONLY.search(text))


def _outside_quotes(text: str) -> str:
    """Quoted words keep their shape only when someone is quoted saying them: a red line
    in a headline-style quote fragment ("'red lines' debate") is not one."""
    return text if _QUOTED.search(text) is None or re.search(
        r"\b(?:said|says|told|warned)\b", text) else _QUOTED.sub(" ", text)


def _subject_named(text: str) -> bool:
    """The sentence opens with a capitalised name (a party that states the limit)."""
    words = text.split()
    return bool(words) and words[0][:1].isupper() and words[0].lower() not in (
        "it", "this", "that", "there", "the", "a", "an", "but", "and")


def clean_party(party: str | None, people: People, text: str = "") -> str | None:
    """"Israeli Prime Minister Benjamin Netanyahu's office" -> "Benjamin Netanyahu"; an
    acronym the article spells out -> its full form ("BOJ" -> "Bank of Japan"); a capital
    that speaks -> with its state ("Moscow" -> "Moscow (Russia)")."""
    if not party:
        return party
    party = with_state(spelled_out(party, text))
    stripped = _POSSESSIVE_TAIL.sub("", party).strip()
    if stripped != party:
        for person in people.people:
            if stripped.endswith(person.name):
                return person.name
        return stripped or party
    return party


_CREDITS = re.compile(r"^(?:Reporting|Writing|Editing|Additional reporting) by\b")


def _before_credits(segments: list[Segment]) -> list[Segment]:
    """Wire stories end with a credits line ("Reporting by ... Editing by ..."); what a scrape
    carries after it (author bios, related headlines) is not the story."""
    if not segments:
        return segments
    total = segments[-1].end
    for n, seg in enumerate(segments):
        if seg.start >= 0.6 * total and _CREDITS.match(seg.text):
            return segments[:n]
    return segments


def _without_dateline(seg: Segment) -> Segment:
    """``MOSCOW, Feb 10 (Reuters) - Russia's ...`` -> ``Russia's ...`` (still verbatim)."""
    match = DATELINE.match(seg.text)
    if not match or seg.kind != "sentence":
        return seg
    return replace(seg, start=seg.start + match.end(), text=seg.text[match.end() :])


def _evidence(article: Article, seg: Segment) -> Evidence:
    return Evidence(source_id=article.id, quote=seg.text, start=seg.start, end=seg.end)


def _trimmed(text: str) -> str:
    return text.rstrip(" .;:,")


def _split_clause(text: str) -> tuple[str, str | None]:
    body = _trimmed(text)
    for match in _CLAUSE_CUT.finditer(body):
        head, tail = body[: match.start()], body[match.end() :]
        if len(head.split()) >= _CLAUSE_MIN_WORDS and len(tail.split()) >= 4:
            return head.rstrip(" ,;"), tail.rstrip(" ,;")
    return body, None
