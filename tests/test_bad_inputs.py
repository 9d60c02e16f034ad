"""Every bad input: one line naming the input and the reason, the documented exit code, no
traceback, no partial output; in a batch, the other sources are still briefed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.ingest import web
from tests.conftest import EXAMPLE, write
from tests.fakeserver import FakeServer, Reply

GOOD = EXAMPLE


@dataclass
class Case:
    name: str
    make: Callable[[Path, FakeServer], list[str]]  # -> CLI args (after the command)
    code: int
    reason: str
    command: str = "brief"
    batch: bool = True  # also check it beside a good article


def f(name: str, data: bytes | str) -> Callable[[Path, FakeServer], list[str]]:
    return lambda tmp, srv: [str(write(tmp / name, data))]


def url(reply: Reply, times: int = 1) -> Callable[[Path, FakeServer], list[str]]:
    def make(tmp: Path, srv: FakeServer) -> list[str]:
        srv.queue(*[reply] * times)
        return [srv.url + "/x"]
    return make


def config(content: str, *args: str) -> Callable[[Path, FakeServer], list[str]]:
    def make(tmp: Path, srv: FakeServer) -> list[str]:
        write(tmp / "briefer.toml", content)
        return [str(GOOD), *args]
    return make


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
ITEMS = "".join(f"<item><title>t{n}</title><link>http://127.0.0.1:9/{n}</link></item>"
                for n in range(10_000))
CASES = [
    Case("missing file", lambda t, s: [str(t / "nope.txt")], 2, "no such file or folder"),
    Case("empty file", f("empty.txt", b""), 2, "empty or whitespace-only input"),
    Case("whitespace only", f("blank.txt", " \n\t\r\n  "), 2, "empty or whitespace-only"),
    Case("folder without articles", lambda t, s: [str((t / "d").mkdir() or t / "d")], 2,
         "folder holds no article files"),
    Case("png renamed .txt", f("photo.txt", PNG), 2, "binary file (PNG image), not text"),
    Case("jpeg renamed .txt", f("photo2.txt", b"\xff\xd8\xff\xe0" + bytes(64)), 2,
         "binary file (JPEG image)"),
    Case("pdf renamed .txt", f("doc.txt", b"%PDF-1.7\n" + bytes(64)), 2,
         "binary file (PDF document)"),
    Case("docx renamed .txt", f("memo.txt", b"PK\x03\x04" + bytes(64)), 2,
         "binary file (ZIP archive"),
    Case("binary with NULs", f("blob.md", b"abc\x00\x01\x02" * 50), 2, "binary file"),
    Case("control characters", f("ctl.txt", bytes(range(1, 9)) * 200), 2,
         "too many control characters"),
    Case("html of scripts and nav only", f("nav.html",
         "<html><head><script>var x=1</script></head><body><nav><a href='/'>Home</a></nav>"
         "</body></html>"), 2, "no article text found"),
    Case("malformed RSS", f("bad.xml", "<rss><channel><item><title>oops"), 2, "feed"),
    Case("malformed Atom", f("bad.atom", '<?xml version="1.0"?><feed xmlns="http://www.w3'
                              '.org/2005/Atom"><entry><title>x</entry>'), 2, "feed"),
    Case("feed of 10,000 entries", f("huge.xml", f'<?xml version="1.0"?><rss version="2.0">'
                                                f"<channel>{ITEMS}</channel></rss>"),
         2, "older entries left out", batch=False),
    Case("50 MB text file", lambda t, s: [str(_big(t))], 2, "the limit is 25 MB"),
    Case("URL 404", url(Reply({"e": 1}, 404)), 2, "HTTP 404"),
    Case("URL times out", url(Reply(raw=b"late", delay=3)), 2, "timed out"),
    Case("URL redirects forever",
         url(Reply(raw=b"", status=302, headers={"location": "/x"}), times=10), 2,
         "too many redirects"),
    Case("URL serves a binary", url(Reply(raw=PNG, headers={"content-type": "image/png"})), 2,
         "unsupported content type 'image/png'"),
    Case("URL over the size cap", url(Reply(raw=b"x", headers={
        "content-type": "text/html", "content-length": str(200 * 1024 * 1024)})), 2,
         "exceeds the 25 MB limit"),
    Case("invalid TOML", config("provider = \n"), 2, "invalid TOML", batch=False),
    Case("unknown config key", config('colour = "red"\n'), 2, "unknown key 'colour'",
         batch=False),
    Case("wrong type in config", config('max_tokens = "many"\n'), 2,
         "bad value for 'max_tokens'", batch=False),
    Case("unknown provider", lambda t, s: [str(GOOD), "-p", "gpt-9"], 2,
         "unknown provider 'gpt-9'", batch=False),
    Case("unknown prompt version", lambda t, s: [str(GOOD), "-p", "openai", "--base-url",
                                                 "http://127.0.0.1:9/v1", "--prompt",
                                                 "brief@9"], 2,
         "unknown prompt version 'brief@9'", batch=False),
    Case("missing template", lambda t, s: [str(GOOD), "--template", str(t / "none.j2")], 2,
         "no such file", batch=False),
    Case("missing API key", lambda t, s: [str(GOOD), "-p", "anthropic"], 2,
         "needs an API key: set ANTHROPIC_API_KEY", batch=False),
    Case("output folder missing", lambda t, s: [str(GOOD), "-o", str(t / "a" / "b.md")], 2,
         "does not exist", batch=False),
    Case("output not writable", lambda t, s: [str(GOOD), "-o", "/proc/briefer-out.md"], 2,
         "cannot write /proc/briefer-out.md", batch=False),
    Case("docx to stdout", lambda t, s: [str(GOOD), "-f", "docx"], 2, "give -o FILE.docx",
         batch=False),
    Case("render: invalid brief JSON", f("x.json", '{"title": 3, "meta": {}}'), 2,
         "not a valid brief", command="render", batch=False),
    Case("render: not JSON", f("y.json", "not json"), 2, "not JSON", command="render",
         batch=False),
    Case("daily: bad --since", lambda t, s: [str(GOOD), "--since", "last week"], 2,
         "--since wants a date", command="daily", batch=False),
    Case("daily: missing sources list", lambda t, s: ["--sources", str(t / "none.txt")], 2,
         "cannot read the sources list", command="daily", batch=False),
]


def _big(tmp: Path) -> Path:
    path = tmp / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: the size check must not read it
        fh.seek(0)
        fh.write(b"word " * 100)
    return path


@pytest.fixture(autouse=True)
def short_web_timeout(monkeypatch):
    monkeypatch.setattr(web, "TIMEOUT_S", 0.5)


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_there_are_thirty_cases_or_more():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_alone(case, cwd, server):
    args = case.make(cwd, server)
    out = cwd / "out.md"
    if "-o" not in args and case.reason != "give -o FILE.docx":
        args += ["-o", str(out)]
    start = time.perf_counter()
    result = CliRunner().invoke(app, [case.command, *args])
    assert time.perf_counter() - start < 20
    assert result.exit_code == case.code, result.output
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("briefer: ") for line in lines), result.stderr
    assert case.reason in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(cwd.glob(".*.part"))  # no temp file left behind


@pytest.mark.parametrize("case", [c for c in CASES if c.batch], ids=lambda c: c.name)
def test_bad_input_in_a_batch_does_not_sink_the_rest(case, cwd, server):
    args = case.make(cwd, server)
    out = cwd / "out.md"
    result = CliRunner().invoke(app, [case.command, str(GOOD), *args, "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert "Wang Yi" in out.read_text()
    assert case.reason in result.stderr and "Traceback" not in result.output


def test_the_200kb_single_line_is_briefed(cwd):
    sentence = "The committee reviewed the harbour budget and approved the plan on Monday. "
    path = write(cwd / "one-line.txt", sentence * (200_000 // len(sentence)))
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["brief", str(path), "-f", "json"])
    assert result.exit_code == 0 and time.perf_counter() - start < 20


def test_invalid_and_mixed_encodings_are_read_not_rejected(cwd):
    mixed = "Caf\u00e9 talks resumed. ".encode() + "Na\u00efve plans were dropped.".encode(
        "cp1252")
    path = write(cwd / "mixed.txt", mixed)
    result = CliRunner().invoke(app, ["brief", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "dropped" in result.stdout


def test_an_unexpected_crash_prints_no_secret(cwd, monkeypatch):
    """A bug (not a BrieferError) gives a plain traceback without local variables."""
    import subprocess
    import sys

    key = "sk-test-CRASHKEY0987654321"
    code = ("import briefer.pipeline as p\n"
            "def boom(*a, **k):\n    raise RuntimeError('unexpected')\n"
            "p.brief = boom\n"
            "from briefer.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code, "brief", str(GOOD)], capture_output=True,
                          text=True, env={"OPENAI_API_KEY": key, "PATH": "/usr/bin:/bin"},
                          timeout=60)
    assert proc.returncode == 1 and "RuntimeError: unexpected" in proc.stderr
    assert key not in proc.stderr and key not in proc.stdout
