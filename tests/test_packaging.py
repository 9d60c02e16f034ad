"""The wheel carries prompts/ and templates/, and an installed copy works from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("briefer-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "briefer/templates/brief.md.j2" in names
    assert "briefer/prompts/README.md" in names
    assert "briefer/cli.py" in names and "briefer/engines/extractive.py" in names
    assert not any(n.startswith(("tests/", "cassettes/", "bench/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "briefer = briefer.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_installed_wheel_briefs_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import briefer.resources as r; print(r.templates_dir())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "briefer", "brief", str(EXAMPLE)],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "## Red lines" in proc.stdout and "Wang Yi" in proc.stdout
