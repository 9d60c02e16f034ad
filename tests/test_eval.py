"""`briefer eval`: ROUGE against references beside LEAD-3 and published systems, grounding,
cost, comparison of two configurations, a report with charts, CI gates."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.config import Settings
from briefer.errors import InputError
from briefer.evaluate import corpus_files, evaluate, gates, lead3, wins
from briefer.ingest import read_article
from tests.conftest import FIXTURES, write
from tests.fakeserver import FakeServer, answer

CORPUS = FIXTURES / "eval"


def test_corpus_layout_skips_references_and_system_outputs():
    assert [p.name for p in corpus_files(CORPUS)] == ["001-harbour.txt", "002-election.txt",
                                                      "003-bridge.txt"]
    with pytest.raises(InputError, match="must be a folder"):
        corpus_files(CORPUS / "001-harbour.txt")


def test_lead3_is_the_first_three_sentences():
    article = read_article((CORPUS / "003-bridge.txt").read_bytes(), "x.txt")
    assert lead3(article).count(".") == 3 and lead3(article).startswith("The city council")


def test_extractive_run_scores_rouge_grounding_and_the_baselines():
    result = evaluate(CORPUS, Settings())
    (run,) = result.runs
    assert (result.articles, result.with_reference) == (3, 2)
    summary = run.summary()
    assert summary["rouge1"]["n"] == 2  # only articles with a reference get ROUGE
    assert 0.2 < summary["rouge1"]["mean"] <= 1
    assert summary["grounding"]["mean"] == 1.0
    assert summary["cost_usd"]["mean"] == 0.0 and summary["calls"]["mean"] == 0.0
    assert "seconds" in summary and "duplication" in summary
    lead = result.baselines["LEAD-3"].summary()
    assert lead["rouge1"]["n"] == 2
    systems = {k: v.summary()["rouge1"]["mean"] for k, v in result.baselines.items()
               if k != "LEAD-3"}
    assert systems["echo"] > systems["off-topic"]  # the published-system columns are scored
    per_article = {a.article.split("/")[-1]: a for a in run.articles}
    assert per_article["003-bridge.txt"].metrics["rouge1"] is None
    assert sum(per_article["001-harbour.txt"].sections.values()) >= 3


def test_compare_two_configurations_with_wins(tmp_path):
    with FakeServer() as server:
        server.queue(*[answer(summary="Something else entirely happened elsewhere.")] * 3)
        llm = Settings(provider="openai", model="m", base_url=f"{server.url}/v1",
                       structured_output="json_mode", max_retries=0,
                       prices={"m": {"input": 1.0, "output": 2.0}})
        result = evaluate(CORPUS, Settings(), llm, labels=("extractive", "llm"))
    extractive, model = result.runs
    assert model.summary()["calls"]["mean"] == 1.0
    assert model.summary()["cost_usd"]["mean"] > 0  # priced from the config's table
    assert result.wins["rouge1"]["a"] == 2  # the extractive summary wins both references
    assert wins(extractive, model) == result.wins


def test_gates():
    result = evaluate(CORPUS, Settings())
    assert gates(result, 0.1, 0.9) == []
    failed = gates(result, 0.99, 1.01)
    assert len(failed) == 2 and failed[0].startswith("mean rouge1")


def test_cli_eval_report_json_and_gate(tmp_path):
    runner = CliRunner()
    report, data = tmp_path / "r.md", tmp_path / "r.json"
    other = write(tmp_path / "b.toml", 'prompt = "brief@1"\n')
    result = runner.invoke(app, ["eval", str(CORPUS), "--compare", str(other), "--report",
                                 str(report), "--json", str(data)])
    assert result.exit_code == 0, result.output
    assert "LEAD-3" in result.stdout and "wins rouge1:" in result.stdout
    text = report.read_text()
    assert "| run | engine |" in text and "![rouge1](r-rouge1.png)" in text
    assert (tmp_path / "r-rouge1.png").read_bytes()[:4] == b"\x89PNG"
    payload = json.loads(data.read_text())
    assert payload["summaries"]["A"]["rouge1"]["n"] == 2
    html_report = tmp_path / "r.html"
    runner.invoke(app, ["eval", str(CORPUS), "--report", str(html_report)])
    page = html_report.read_text()
    assert "data:image/png;base64," in page and "<table>" in page
    gated = runner.invoke(app, ["eval", str(CORPUS), "--min-rouge1", "0.99"])
    assert gated.exit_code == 4 and "gate failed: mean rouge1" in gated.stderr


def test_cli_eval_bad_corpus(tmp_path):
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2 and "no articles in the corpus folder" in result.stderr


def _gold_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (FIXTURES / "eval" / "001-harbour.txt").read_text(encoding="utf-8")
    write(corpus / "001-harbour.txt", text)
    gold = {"article": "corpus/001-harbour.txt", "items": [
        {"section": "red_lines", "party": "Ana Berg", "essential": True,
         "quote": "Norland's fisheries minister Ana Berg said her government would not accept "
                  "any cut to the cod quota."},
        {"section": "next_steps", "party": None, "essential": True,
         "quote": "Both delegations will meet again next week"},
        {"section": "positions", "party": "Paul Okafor", "essential": False,
         "quote": "the quotas must reflect the collapse of cod stocks"},
        {"section": "key_issues", "party": None, "essential": True,
         "quote": "The talks in Geneva broke down after nine hours."}]}
    return corpus, gold


def test_gold_sections_are_scored_beside_the_article_and_from_a_gold_folder(tmp_path):
    import json

    from briefer.config import Settings
    from briefer.evaluate import evaluate

    corpus, gold = _gold_corpus(tmp_path)
    write(corpus / "001-harbour.gold.json", json.dumps(gold))
    result = evaluate(corpus, Settings())
    assert result.with_gold == 1 and result.articles == 1  # the gold file is not an article
    figures = result.runs[0].gold_figures()
    assert figures["red_lines"]["gold"] == 1 and figures["next_steps"]["gold"] == 1
    assert figures["red_lines"]["recall_essential"] == 1.0  # the engine finds the limit
    assert figures["red_lines"]["party_agreement"] == 1.0  # and names Ana Berg
    data = json.loads(result.to_json())
    assert data["gold_sections"]["A"]["red_lines"]["found"] == 1

    (corpus / "001-harbour.gold.json").unlink()
    folder = tmp_path / "gold"
    write(folder / "harbour-annotated.gold.json", json.dumps(gold))  # matched by "article"
    again = evaluate(corpus, Settings(), gold_dir=folder)
    assert again.runs[0].gold_figures() == figures


def test_cli_eval_prints_and_reports_gold_sections(tmp_path):
    import json

    from typer.testing import CliRunner

    from briefer.cli import app

    corpus, gold = _gold_corpus(tmp_path)
    write(corpus / "001-harbour.gold.json", json.dumps(gold))
    report = tmp_path / "r.md"
    result = CliRunner().invoke(app, ["eval", str(corpus), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "sections against 1 gold annotation " in result.stdout
    assert "red_lines" in result.stdout
    text = report.read_text()
    assert "## Sections against 1 gold annotations" in text
    assert (tmp_path / "r-gold-red_lines.png").is_file()
    bad = CliRunner().invoke(app, ["eval", str(corpus), "--gold", str(tmp_path / "nope")])
    assert bad.exit_code == 2 and "--gold must be a folder" in bad.output
