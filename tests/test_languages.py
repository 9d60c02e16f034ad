"""Sources in any language: detection, the offline engine's honesty about what it reads,
the languages named in every format, stories across languages, right-to-left and CJK
output, and the translating prompt's choice. (The model path itself is replayed from real
recordings in test_cassettes_languages.py.)"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from briefer import language
from briefer.cli import app
from briefer.config import Settings
from briefer.daily import cluster, daily
from briefer.ingest import load
from briefer.model import Article, Brief, Evidence, KeyIssue, Meta
from briefer.pipeline import brief
from briefer.prompts import PromptStore
from briefer.render import render
from tests.conftest import EXAMPLE, FIXTURES

LANGUAGES = FIXTURES / "languages"
FOREIGN = {"es-mercosur.txt": "Spanish", "fr-budget.txt": "French", "ru-gas.txt": "Russian",
           "zh-trade.txt": "Chinese", "ar-talks.txt": "Arabic"}


# --- detection -------------------------------------------------------------------------------

def test_every_fixture_is_detected_as_its_language():
    files = sorted(LANGUAGES.glob("*.txt"))
    assert len(files) == 6
    for path in files:
        assert language.detect(path.read_text(encoding="utf-8")) == path.name[:2], path.name


@pytest.mark.parametrize("text", ["", "Brexit", "¡Hola!", "北京", "Reuters - 12 Dec 2026"])
def test_too_little_text_defaults_to_english(text):
    assert language.detect(text) == "en"


def test_the_language_is_recorded_on_the_article_and_its_source():
    loaded = load([LANGUAGES / "es-mercosur.txt", EXAMPLE])
    assert [a.language for a in loaded.articles] == ["es", "en"]
    assert loaded.articles[0].to_source().language == "es"


def test_english_does_not_load_the_model():
    code = ("import sys\nfrom briefer.pipeline import brief\n"
            f"brief([{str(EXAMPLE)!r}])\n"
            "print('LOADED' if 'py3langid' in sys.modules else 'NOT LOADED')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.strip() == "NOT LOADED"


def test_names():
    assert language.name("es") == "Spanish" and language.name(None) == "English"
    assert language.names(["en", "es", "en", None, "zh"]) == ["English", "Spanish", "Chinese"]


# --- the offline engine ---------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_offline_engine_gives_the_lead_and_a_notice_not_key_issues(name):
    path = LANGUAGES / name
    result = brief([path]).brief
    assert [list(getattr(result, s)) for s in
            ("key_issues", "positions", "red_lines", "next_steps")] == [[], [], [], []]
    (notice,) = [w for w in result.meta.warnings if w.kind == "language"]
    assert notice.message == f"not briefed in depth: {FOREIGN[name]}; use a model provider"
    assert notice.source_id == "s1"
    text = load([path]).articles[0].text
    assert 1 <= len(result.summary_evidence) <= 2
    for ev in result.summary_evidence:
        assert text[ev.start : ev.end] == ev.quote and ev.verified
        assert ev.quote in result.summary
    first = result.summary_evidence[0]
    assert first.start > text.index("\n")  # past the headline ...
    assert not first.quote.startswith(("MADRID", "PARIS", "МОСКВА", "القاهرة", "新华社"))


def test_the_notice_shows_in_every_format(tmp_path):
    result = brief([LANGUAGES / "es-mercosur.txt"]).brief
    message = "not briefed in depth: Spanish; use a model provider"
    md = render(result, "md")
    assert f"> ⚠ **language**: {message} (s1)" in md and "Languages: Spanish" in md
    html = render(result, "html")
    assert f"⚠ language: {message}" in html and "Languages: Spanish" in html
    assert json.loads(render(result, "json"))["meta"]["warnings"][0]["message"] == message
    docx = _document_xml(render(result, "docx"))
    assert f"language: {message}" in docx and "Languages: Spanish" in docx


def test_english_briefs_say_nothing_about_languages(seed_brief):
    assert seed_brief.sources[0].language == "en"
    assert not [w for w in seed_brief.meta.warnings if w.kind == "language"]
    assert "Languages" not in render(seed_brief) and "dir=\"auto\"" not in render(
        seed_brief, "html")
    assert seed_brief.key_issues  # the English engine still runs


# --- daily across languages -------------------------------------------------------------------

def test_daily_over_english_and_spanish_names_both_languages(tmp_path):
    runner = CliRunner()
    out = tmp_path / "daily.md"
    result = runner.invoke(app, ["daily", str(LANGUAGES / "en-tariffs.txt"),
                                 str(LANGUAGES / "es-mercosur.txt"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    memo = out.read_text(encoding="utf-8")
    assert "Languages: English, Spanish" in memo
    assert "not briefed in depth: Spanish" in memo
    html = render(daily([LANGUAGES / "en-tariffs.txt", LANGUAGES / "es-mercosur.txt"]).daily,
                  "html")
    assert "Languages: English, Spanish" in html and "⚠ language: not briefed" in html


def _brief_of(article: Article, summary: str, issue: str) -> Brief:
    quote = article.text.split("\n")[2][:80].rstrip()
    start = article.text.index(quote)
    ev = Evidence(source_id=article.id, quote=quote, start=start, end=start + len(quote))
    return Brief(title=summary[:40], summary=summary, sources=[article.to_source()],
                 key_issues=[KeyIssue(issue=issue, evidence=[ev])],
                 meta=Meta(engine_or_provider="openai", created_at=datetime.now(timezone.utc),
                           briefer_version="test"))


def test_a_story_in_two_languages_is_one_story_when_briefs_are_in_the_readers_language():
    articles = load([LANGUAGES / "en-tariffs.txt", LANGUAGES / "es-mercosur.txt",
                     LANGUAGES / "ru-gas.txt"]).articles
    assert len(cluster(articles)) == 3  # on the texts alone, languages keep them apart
    briefs = {
        "s1": _brief_of(articles[0], "EU ministers will vote on the Mercosur trade deal on "
                        "December 15; France opposes it.", "Vote on the Mercosur trade deal"),
        "s2": _brief_of(articles[1], "Spain's minister Planas calls farmers' protection a red "
                        "line in the Mercosur trade deal; the EU votes on December 15.",
                        "Mercosur trade deal vote"),
        "s3": _brief_of(articles[2], "Russia and Turkey will keep negotiating a gas supply "
                        "contract; next round on December 18 in Istanbul.", "Gas contract"),
    }
    groups = cluster(articles, briefs)
    assert [[a.id for a in g] for g in groups] == [["s1", "s2"], ["s3"]]


# --- right to left, CJK ------------------------------------------------------------------------

def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def test_word_marks_arabic_paragraphs_right_to_left_and_chinese_runs_east_asian():
    arabic = _document_xml(render(brief([LANGUAGES / "ar-talks.txt"]).brief, "docx"))
    assert "<w:bidi/>" in arabic and "<w:rtl/>" in arabic and 'w:bidi="ar-SA"' in arabic
    chinese = _document_xml(render(brief([LANGUAGES / "zh-trade.txt"]).brief, "docx"))
    assert 'w:eastAsia="SimSun"' in chinese and 'w:eastAsia="zh-CN"' in chinese
    assert "<w:bidi/>" not in chinese
    english = _document_xml(render(brief([EXAMPLE]).brief, "docx"))
    assert "<w:bidi/>" not in english and "eastAsia" not in english


def test_html_gives_direction_language_and_fonts():
    html = render(brief([LANGUAGES / "ar-talks.txt"]).brief, "html")
    assert '<p class="bluf" dir="auto">' in html
    assert '<span lang="ar" dir="auto">“' in html
    assert "Noto Naskh Arabic" in html and "Noto Serif CJK SC" in html


def test_a_translation_is_rendered_under_its_quote():
    result = brief([LANGUAGES / "es-mercosur.txt"]).brief
    result.summary_evidence[0].translation = "The Agriculture Minister said <b>it</b>"
    md = render(result)
    assert "  \n  _Translation: The Agriculture Minister said \\<b\\>it\\</b\\>_" in md
    html = render(result, "html")
    assert ('<span class="translation" dir="auto">Translation: The Agriculture Minister said '
            "&lt;b&gt;it&lt;/b&gt;</span>") in html
    assert "Translation: The Agriculture Minister said &lt;b&gt;it&lt;/b&gt;" in _document_xml(
        render(result, "docx"))
    assert json.loads(render(result, "json"))["summary_evidence"][0]["translation"]
    assert "translation" not in json.loads(render(result, "json"))["summary_evidence"][1]





# --- the reader's language and the prompt ------------------------------------------------------

def test_language_setting():
    assert Settings(language="ES").language == "es"
    with pytest.raises(ValueError, match="ISO 639-1"):
        Settings(language="Spanish")


def test_language_flag_reaches_the_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shown = CliRunner().invoke(app, ["config", "show"])
    assert "language" in shown.stdout
    from briefer.cli_shared import settings_from

    resolved = settings_from(language="fr")
    assert resolved.settings.language == "fr" and resolved.origins["language"] == "flag --language"


def test_brief3_is_used_for_articles_in_another_language_only():
    from briefer.engines.llm import LLMEngine
    from briefer.providers import provider_class

    settings = Settings(provider="openai", base_url="http://127.0.0.1:9/v1", api_key="k",
                        language="en")
    engine = LLMEngine(provider_class("openai")(settings), settings)
    es, en = load([LANGUAGES / "es-mercosur.txt", EXAMPLE]).articles
    assert engine.prompt_for(en).ref == "brief@4"  # the default (issue 12: cited prose)
    assert engine.prompt_for(es).ref == "brief@5"  # brief@3 with a cited bottom line
    spanish_reader = settings.model_copy(update={"language": "es"})
    engine = LLMEngine(provider_class("openai")(spanish_reader), spanish_reader)
    assert engine.prompt_for(es).ref == "brief@4" and engine.prompt_for(en).ref == "brief@5"
    pinned = settings.model_copy(update={"prompt": "brief@2"})
    assert LLMEngine(provider_class("openai")(pinned), pinned).prompt_for(es).ref == "brief@2"


def test_brief3_asks_for_translations_in_the_readers_language():
    from briefer.engines.llm import brief_prompt

    (es,) = load([LANGUAGES / "es-mercosur.txt"]).articles
    store = PromptStore()
    rendered = brief_prompt(store.get("brief@3"), es, language="fr")
    assert "written in Spanish" in rendered.system
    assert "in French for analysts" in rendered.system
    assert '"translation"' in rendered.user and "una línea roja" in rendered.user
    assert "una línea roja" not in rendered.system
    plain = brief_prompt(store.get("brief@2"), es)
    assert '"translation"' not in plain.user
