"""Language detection (briefer/language.py): accuracy, the English fast path, and cost.

    python bench/languages.py [SENTENCES_DIR] [CORPUS]

* ``tests/fixtures/languages/*.txt``: each file's name starts with its language code.
* ``SENTENCES_DIR`` (optional): one ``<code>.txt`` per language, one sentence a line (e.g.
  lingua-py's ``language-testdata/sentences``). Scored on single sentences and on
  paragraphs of three consecutive sentences (closer to an article); also reports how often
  a text in another language passes the English fast path (it must be never).
* ``CORPUS`` (default ../shared/corpus): every article must come out ``en``.
* Cost: first detection in a fresh process (the model load) and ms per article after it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import SHARED_CORPUS  # noqa: E402
from briefer import language  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "languages"
PER_LANGUAGE = 300


def fast_path(text: str) -> bool:
    """True when detect() answers English without the model."""
    letters = sum(ch.isalpha() for ch in text)
    latin = len(language._LATIN.findall(text))
    return letters >= language.MIN_LETTERS and latin >= 0.8 * letters and (
        language.english_share(text) >= language.ENGLISH_SHARE)


def fixtures() -> None:
    files = sorted(FIXTURES.glob("*.txt"))
    good = [p.name for p in files if language.detect(p.read_text("utf-8")) == p.name[:2]]
    print(f"fixtures: {len(good)}/{len(files)} correct")


def sentences(folder: Path) -> None:
    total = right = ptotal = pright = foreign = foreign_fast = 0
    wrong: dict[str, float] = {}
    for path in sorted(folder.glob("*.txt")):
        code = path.stem
        lines = [x.strip() for x in path.read_text("utf-8").splitlines() if x.strip()]
        lines = lines[:PER_LANGUAGE]
        paras = [" ".join(lines[i : i + 3]) for i in range(0, len(lines) - 2, 3)]
        got = [language.detect(x) for x in lines]
        pgot = [language.detect(x) for x in paras]
        total += len(lines)
        right += sum(g == code for g in got)
        ptotal += len(paras)
        pright += sum(g == code for g in pgot)
        if code != "en":
            foreign += len(paras)
            foreign_fast += sum(map(fast_path, paras))
        share = sum(g == code for g in pgot) / max(1, len(paras))
        if share < 0.95:
            wrong[code] = round(share, 3)
    print(f"sentences ({len(list(folder.glob('*.txt')))} languages): {right}/{total} = "
          f"{right / total:.4f}; 3-sentence paragraphs: {pright}/{ptotal} = "
          f"{pright / ptotal:.4f}")
    print(f"non-English paragraphs taken by the English fast path: {foreign_fast}/{foreign}")
    print(f"languages under 95% on paragraphs (short texts default to English): {wrong}")


def corpus(folder: Path) -> None:
    files = sorted(p for p in folder.rglob("*.txt") if not p.name.endswith(
        (".ref.txt", ".src.txt", ".dek.txt", ".expected.txt", "SOURCES.txt")))
    codes = {p: language.detect(p.read_text("utf-8", errors="replace")) for p in files}
    fast = sum(fast_path(p.read_text("utf-8", errors="replace")[: language._SAMPLE])
               for p in files)
    other = {p.name: c for p, c in codes.items() if c != "en"}
    print(f"corpus: {len(files) - len(other)}/{len(files)} English ({fast} by the fast path);"
          f" other: {other}")


def cost() -> None:
    code = ("import time; t = time.perf_counter(); from briefer import language; "
            "language.detect(open('{}', encoding='utf-8').read()); "
            "print(time.perf_counter() - t)")
    for name in ("en-tariffs.txt", "es-mercosur.txt"):
        runs = [float(subprocess.run([sys.executable, "-c", code.format(FIXTURES / name)],
                                     capture_output=True, text=True, check=True).stdout)
                for _ in range(3)]
        print(f"first detection in a fresh process, {name}: {min(runs) * 1000:.0f} ms")
    texts = [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.txt"))] * 50
    language.detect("Una frase en español para cargar el modelo antes de medir.")
    start = time.perf_counter()
    for text in texts:
        language.detect(text)
    print(f"per article after the load: {(time.perf_counter() - start) * 1000 / len(texts):.2f}"
          " ms")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    fixtures()
    if len(sys.argv) > 1:
        sentences(Path(sys.argv[1]))
    corpus(Path(sys.argv[2]) if len(sys.argv) > 2 else SHARED_CORPUS)
    cost()


if __name__ == "__main__":
    main()
