"""The README's commands are the ones that work: set-up commands, CI, examples, Python."""

from __future__ import annotations

import re
import shlex
import shutil

from typer.testing import CliRunner

from briefer.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.DOTALL)


def test_ci_runs_the_readme_test_command():
    setup = [line for block in _blocks("sh") for line in block.splitlines()
             if "pip install" in line and "pytest" in line]
    assert len(setup) == 1, setup
    ci = (ROOT / ".ci" / "run").read_text()
    assert setup[0].strip() in ci.splitlines()


def test_readme_install_command_briefs_the_example():
    install = [line for block in _blocks("sh") for line in block.splitlines()
               if "pip install ." in line]
    assert install and install[0].endswith("briefer brief examples/blinken-wang.txt")
    assert (ROOT / "examples" / "blinken-wang.txt").is_file()


def test_readme_brief_examples_run(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    commands = [line.split("#")[0].strip() for block in _blocks("sh")
                for line in block.splitlines()
                if line.startswith("briefer brief examples/")]
    assert commands
    for command in commands:
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "brief.json").exists()


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    (code,) = _blocks("python")
    exec(compile(code, "README.md", "exec"), {})
    assert "Wang Yi | the US must not step on" in capsys.readouterr().out


def test_readme_documents_every_command():
    for command in ("briefer brief", "briefer --version", "--format", "-o FILE", "--provider"):
        assert command in README


def test_readme_config_examples_are_valid(tmp_path, monkeypatch):
    """Every TOML example (each provider's block on its own) loads without error."""
    from briefer.config import load

    monkeypatch.chdir(tmp_path)
    blocks = _blocks("toml")
    assert len(blocks) >= 3
    checked = 0
    for block in blocks:
        if "[project.entry-points" in block:
            continue
        for piece in re.split(r"\n(?=# )", block.strip()):
            (tmp_path / "briefer.toml").write_text(piece)
            profiles = re.findall(r"^\[profiles\.(\w+)\]", piece, re.MULTILINE)
            for profile in profiles or [None]:
                load(profile=profile)
                checked += 1
    assert checked >= 7


def test_readme_documents_every_subcommand():
    for command in ("briefer providers list", "briefer providers check", "briefer config show",
                    "briefer prompts list", "briefer prompts show", "briefer prompts diff",
                    "scripts/record-cassettes", "--profile", "--prompt", "--base-url"):
        assert command in README


def test_readme_documents_the_daily_brief():
    for text in ("briefer daily", "--sources FILE", "--since", "--previous", "--no-cache",
                 "briefer cache info", "not_included", "duplicates"):
        assert text in README


def test_readme_documents_the_memo_formats():
    for text in ("--format docx", "briefer render", "scripts/build-templates", "memo_to",
                 "classification", "--format html"):
        assert text in README


def test_reliability_doc_names_tests_that_exist():
    doc = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    named = set(re.findall(r"tests/(test_\w+|provider_contract)\.py", doc))
    assert len(named) >= 10
    for module in named:
        assert (ROOT / "tests" / f"{module}.py").is_file(), module
    for test in re.findall(r"::(test_\w+)", doc):
        assert any(test in p.read_text() for p in (ROOT / "tests").glob("*.py")), test


def test_readme_documents_eval():
    for text in ("briefer eval CORPUS", "--compare", "--min-rouge1", "--min-grounding",
                 "LEAD-3", "[prices.", "briefer[eval]"):
        assert text in README
