"""`briefer --help` and `--version` must not pay for heavy imports (timed in bench/, not here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("langchain", "openai", "anthropic", "httpx", "jinja2", "trafilatura", "lxml", "yaml",
         "markdown_it", "rich")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        # a command's own help goes through typer's parameter adapters, which import
        # pydantic themselves; our modules do not
        ["brief", "--help"],
    ],
)
def test_cli_start_up_imports_nothing_heavy(args):
    heavy = set(HEAVY) if args[0] == "brief" else {*HEAVY, "pydantic"}
    code = (
        "import sys\n"
        "from briefer.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    modules = proc.stdout.split("MODULES", 1)[1].split()
    loaded = sorted({m.split(".")[0] for m in modules} & heavy)
    assert loaded == [], f"{args} imported {loaded}"


def test_plain_text_brief_does_not_load_the_html_extractor():
    from tests.conftest import EXAMPLE

    code = (
        "import sys\nfrom briefer.pipeline import brief\nfrom briefer.render import render\n"
        f"render(brief([{str(EXAMPLE)!r}]).brief)\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    modules = {m.split(".")[0] for m in proc.stdout.split("MODULES", 1)[1].split()}
    assert not modules & {"trafilatura", "lxml", "langchain", "openai", "yaml"}
