"""The command line, through typer's runner and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from briefer._version import __version__
from briefer.cli import app
from tests.conftest import EXAMPLE, FIXTURES, write

runner = CliRunner()


def run(*args: str, input: bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def test_version_and_help():
    assert run("--version").stdout == f"briefer {__version__}\n"
    result = run("--help")
    assert result.exit_code == 0 and "brief" in result.stdout
    assert "INPUT" in run("brief", "--help").stdout


def test_no_arguments_shows_help():
    result = run()
    assert "Usage" in result.output


def test_brief_markdown_to_stdout():
    result = run("brief", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Antony Blinken raised concerns")
    assert "## Red lines" in result.stdout and result.stderr == ""


def test_brief_json_to_file(tmp_path):
    out = tmp_path / "brief.json"
    result = run("brief", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    data = json.loads(out.read_text())
    assert data["sources"][0]["path_or_url"] == str(EXAMPLE)
    assert [p.name for p in tmp_path.iterdir()] == ["brief.json"]  # no temp file left


def test_stdin_input():
    result = run("brief", "-", "-f", "json", input=EXAMPLE.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sources"][0]["path_or_url"] == "<stdin>"


def test_several_inputs_make_one_brief_citing_each(tmp_path):
    out = tmp_path / "b.json"
    result = run("brief", str(EXAMPLE), str(FIXTURES / "clip.md"), str(FIXTURES / "page.html"),
                 "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert [s["id"] for s in data["sources"]] == ["s1", "s2", "s3"]
    cited = {e["source_id"] for sec in ("positions", "red_lines", "next_steps")
             for item in data[sec] for e in item["evidence"]}
    assert cited == {"s1", "s2", "s3"}
    assert data["title"] == "Brief of 3 sources"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "missing.txt: no such file or folder"),
        (lambda d: write(d / "empty.txt", ""), "empty.txt: empty or whitespace-only input"),
        (lambda d: write(d / "blank.txt", " \n\t\n"), "empty or whitespace-only input"),
        (lambda d: write(d / "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
         "img.txt: binary file (PNG image), not text"),
        (lambda d: (d / "nothing").mkdir() or d / "nothing", "folder holds no article files"),
    ],
)
def test_bad_input_one_line_exit_2_no_output(tmp_path, make, message):
    target = make(tmp_path)
    out = tmp_path / "out.md"
    result = run("brief", str(target), "-o", str(out))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefer: error: ") and message in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_failed_run_leaves_an_existing_output_untouched(tmp_path):
    out = write(tmp_path / "out.md", "yesterday's brief")
    result = run("brief", str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == "yesterday's brief"


def test_partial_batch_writes_the_rest_and_exits_3(tmp_path):
    out = tmp_path / "out.md"
    result = run("brief", str(EXAMPLE), str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.exit_code == 3
    assert "Antony Blinken" in out.read_text()
    assert result.stderr.splitlines() == [
        f"briefer: skipped {tmp_path / 'missing.txt'}: no such file or folder",
        "briefer: 1 of 2 inputs failed; the brief covers the rest",
    ]


def test_all_inputs_bad_is_one_line(tmp_path):
    result = run("brief", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("briefer: error: 2 inputs: no readable articles: ")


def test_output_folder_missing(tmp_path):
    result = run("brief", str(EXAMPLE), "-o", str(tmp_path / "no" / "such" / "out.md"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_output_is_a_folder(tmp_path):
    result = run("brief", str(EXAMPLE), "-o", str(tmp_path))
    assert result.exit_code == 2


def test_unknown_provider_and_format():
    result = run("brief", str(EXAMPLE), "--provider", "gpt-9")
    assert result.exit_code == 2
    assert result.stderr == ("briefer: error: unknown provider 'gpt-9'; available: anthropic, "
                             "azure_openai, bedrock, deepseek, extractive, fireworks, "
                             "google_genai, google_vertexai, groq, mistralai, ollama, openai, "
                             "xai\n")
    assert run("brief", str(EXAMPLE), "--format", "pdf").exit_code == 2


def test_broken_template_is_a_clean_error(tmp_path):
    tpl = write(tmp_path / "t.md.j2", "{{ brief.nope }}")
    out = tmp_path / "o.md"
    result = run("brief", str(EXAMPLE), "--template", str(tpl), "-o", str(out))
    assert result.exit_code == 2 and "template t.md.j2" in result.stderr
    assert not out.exists()


def _subprocess(*args: str, cwd=None, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "briefer", *args], capture_output=True,
                          cwd=cwd, input=stdin, timeout=60)


def test_python_dash_m_as_a_real_process(tmp_path):
    proc = _subprocess("brief", str(EXAMPLE), "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["meta"]["grounding"]["rate"] == 1.0


def test_real_process_error_has_no_traceback(tmp_path):
    bad = write(tmp_path / "x.txt", b"\x00\x01\x02binary")
    proc = _subprocess("brief", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 1 and b"Traceback" not in proc.stderr


def test_console_script_is_installed():
    from pathlib import Path

    exe = Path(sys.executable).parent / "briefer"  # installed beside this interpreter
    assert exe.exists(), "the briefer console script is missing: reinstall the package"
    proc = subprocess.run([str(exe), "--version"], capture_output=True, timeout=60)
    assert proc.stdout.decode() == f"briefer {__version__}\n"


def test_source_date_epoch_pins_created_at(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = json.loads(run("brief", str(EXAMPLE), "-f", "json").stdout)
    assert data["meta"]["created_at"] == "2023-11-14T22:13:20Z"


def test_the_output_suffix_names_the_format_and_a_contradiction_is_refused(tmp_path):
    memo = tmp_path / "memo.docx"
    result = runner.invoke(app, ["brief", str(EXAMPLE), "-o", str(memo)])
    assert result.exit_code == 0, result.output
    assert memo.read_bytes()[:2] == b"PK"  # a Word file, not Markdown under a .docx name
    as_json = tmp_path / "brief.JSON"
    assert runner.invoke(app, ["brief", str(EXAMPLE), "-o", str(as_json)]).exit_code == 0
    assert json.loads(as_json.read_text())["title"]
    notes = tmp_path / "notes.txt"  # a suffix that names no format: md
    assert runner.invoke(app, ["brief", str(EXAMPLE), "-o", str(notes)]).exit_code == 0
    assert notes.read_text().startswith("# ")
    wrong = tmp_path / "wrong.docx"
    result = runner.invoke(app, ["brief", str(EXAMPLE), "-f", "md", "-o", str(wrong)])
    assert result.exit_code == 2 and not wrong.exists()
    assert "--format md but -o" in result.output and "names docx" in result.output
