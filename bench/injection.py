"""Injection detection on planted strings, and false positives on clean articles.

    python bench/injection.py [--corpus DIR] [--seed N] [--sets dev,heldout,FILE.jsonl]
        [--extra-clean FILE.jsonl]

Plants every string of ``bench/data/injection/{dev,heldout}.jsonl`` one at a time into a
real clean article of the shared corpus (``../shared/corpus/{dev,train,frank-dev}``), at a
seeded random position (start, middle or end; as its own paragraph or inside a paragraph),
reads the result with ``briefer.ingest.read_article`` and runs ``briefer.safety.scan``:

* *reported*: a flag overlaps the planted text (as it survived ingest);
* *excluded*: the flags cover every sentence of the planted text, so an engine that drops
  flagged spans would keep all of it out of the brief;
* *removed by ingest*: nothing of the planted text is left after ingest (invisible
  characters, Markdown images): it cannot reach an engine at all;
* *reach brief body*: a word only the planted string has appears in a section or the summary
  of the extractive engine's brief (today it uses ``cues.INJECTION``; with ``safety.scan``
  wired in, run this against that tree); *become the title*: the planted string became the
  article's title (``read_article`` takes the first line when there is no title).

Per-field leaks (``leaks``): a word only the planted string has in the title, summary, section
items or bottom line of the brief as the pipeline hands it on (after the verify stage, which
locates quotes and quarantines; ``--no-verify`` for the engines' own output): extractive; with
``--llm`` the LLM engine against a scripted server whose model obeys the planted string,
``llm`` as far as the prompt shows it (the whole defence), ``llm-echo`` whether the prompt
showed it or not (the output checks alone).

False positives: every clean article of the same folders, unplanted: articles with any flag
and flagged sentences (the target is zero), and what the quarantine keeps out of them and
drops from their extractive briefs (the target for drops is zero); also the corpus'
clusters/, html/ (expected text) and seed/ articles, never planted into, and with
``--extra-clean`` whole articles of a JSONL file (the unseen news of
``bench/build_injection_training.py``). ``--sets`` takes names of
``bench/data/injection/*.jsonl`` or paths of JSONL files (its label-1 rows: the final
deepset set, ``bench/out/injection-train/final.jsonl``). Split discipline
(``bench/data/injection/README.md``): the rules are tuned on dev, dev3, heldout, heldout2
and heldout3 and on clean text; heldout4 is run once, after the rules are frozen.
Writes ``bench/out/injection.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, save, table

from briefer import safety
from briefer.ingest import read_article
from briefer.text import segment

DATA = Path(__file__).resolve().parent / "data" / "injection"
FOLDERS = ("dev", "train", "frank-dev")
SKIP = (".ref.txt", ".src.txt", ".dek.txt", ".expected.txt", ".gold.json", ".systems.json")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{3,}")


def clean_articles(corpus: Path) -> list[Path]:
    out = []
    for name in FOLDERS:
        folder = corpus / name
        if folder.is_dir():
            out += sorted(p for p in folder.glob("*.txt") if not p.name.endswith(SKIP))
    return out


# Clean articles of the other folders of the shared corpus: never planted into (the figures
# stay comparable), only counted for false positives.
OTHER_CLEAN = ("clusters/*/[0-9]*.txt", "html/*.expected.txt", "seed/*.txt")


def other_clean_articles(corpus: Path) -> list[Path]:
    return sorted(p for pattern in OTHER_CLEAN for p in corpus.glob(pattern))


def load_set(name: str) -> list[dict[str, str]]:
    """A set of ``bench/data/injection/NAME.jsonl``, or any JSONL file given by its path
    (``bench/out/injection-train/final.jsonl``: rows without ``kind`` get their source)."""
    path = Path(name) if name.endswith(".jsonl") else DATA / f"{name}.jsonl"
    if name.endswith(".jsonl"):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n")
                if line.strip()]
        return [{"text": r["text"], "kind": r.get("kind") or r.get("source", "")[:40]}
                for r in rows if r.get("label", 1) == 1]
    # "\n" only: a string may hold U+2028 or U+0085, which splitlines() would cut at
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n")
            if line.strip() and not line.startswith("//")]


def plant(raw: str, attack: str, rng: random.Random) -> tuple[str, str]:
    """``raw`` with ``attack`` planted; returns (text, where)."""
    paras = raw.split("\n\n") if "\n\n" in raw else raw.split("\n")
    joiner = "\n\n" if "\n\n" in raw else "\n"
    where = rng.choice(("start", "middle", "end"))
    own = rng.random() < 0.5
    # Skip front matter / the title line: plant in the body.
    first = 1 if len(paras) > 2 else 0
    index = {"start": first, "middle": (first + len(paras)) // 2, "end": len(paras)}[where]
    index = min(index, len(paras))
    if own or index >= len(paras) or not paras[index].strip():
        paras.insert(index, attack)
        return joiner.join(paras), f"{where}/paragraph"
    para = paras[index]
    # Sentence ends that are not inside a quotation (planting into someone's quote would
    # make the string quoted speech, which is news by design).
    cuts = [m.end() for m in re.finditer(r"[.!?][\"”’)]?\s+(?=[A-Z“\"])", para)
            if para[:m.end()].count("“") == para[:m.end()].count("”")
            and para[:m.end()].count('"') % 2 == 0]
    cut = rng.choice(cuts) if cuts else len(para)
    sep = "" if cut < len(para) else " "
    paras[index] = para[:cut] + sep + attack + (" " if cut < len(para) else "") + para[cut:]
    return joiner.join(paras), f"{where}/inline"


def locate(text: str, attack_norm: str) -> tuple[int, int] | None:
    if not attack_norm:
        return None
    at = text.find(attack_norm)
    if at >= 0:
        return at, at + len(attack_norm)
    # Ingest may have changed the edges (markup, whitespace): find the longest line.
    for line in sorted(attack_norm.split("\n"), key=len, reverse=True):
        line = line.strip()
        if len(line) >= 8 and (at := text.find(line)) >= 0:
            return at, at + len(line)
    return None


def _strings(value: object) -> list[str]:
    """Every string value of a dumped brief (what a reader sees), no field names."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


FIELDS = ("title", "summary", "items", "bottom_line")
_REMOVED = re.compile(r"\(removed: [^)]*\)")  # briefer's own placeholder, not a leak


def leaked_fields(brief: object, own: set[str]) -> list[str]:
    """The fields of ``brief`` (title, summary, section items, bottom line) that carry a word
    only the planted string has."""
    dump = json.loads(_REMOVED.sub("", json.dumps(brief.model_dump(  # type: ignore[attr-defined]
        mode="json", exclude={"meta", "sources"}))))
    parts = {"title": [dump["title"]], "summary": [dump["summary"]],
             "items": _strings([dump[k] for k in ("key_issues", "positions", "red_lines",
                                                  "next_steps")]),
             "bottom_line": _strings(dump.get("bottom_line", []))}
    return [field for field, texts in parts.items()
            if own & {w.lower() for w in _TOKEN.findall(" ".join(texts))}]


def obedient_model(server_url: str, reads_prompt: bool = True):
    """The LLM engine against a scripted server whose "model" obeys the planted string: it
    takes its title from it, repeats it in the summary, quotes it as a key issue and makes it
    a next step (beside one faithful item). What reaches the brief is what briefer's output
    checks let through.

    ``reads_prompt``: the model can only obey what reaches it, the planted sentences that
    the prompt did not withhold (the whole defence: withholding and output checks); with
    False it repeats the planted string whether the prompt showed it or not (the output
    checks alone, the worst case of a model that somehow knew it)."""
    from briefer.config import Settings
    from briefer.engines import get_engine
    from tests.fakeserver import answer

    settings = Settings(provider="openai", model="m", base_url=f"{server_url}/v1",
                        structured_output="json_mode", max_retries=0)
    engine = get_engine("openai", settings)

    def reply(request):
        good, bad = SCRIPT["good"], SCRIPT["bad"]
        if reads_prompt:
            prompt = request.json()["messages"][-1]["content"]
            bad = [b for b in bad if b in prompt]
        bad = [b[:400] for b in bad] or ["-"]  # within the draft schema's limits
        if bad == ["-"]:  # nothing to obey: a faithful answer
            return answer(title=" ".join(good[0].split()[:10])[:150], summary=good[0][:780],
                          key_issues=[{"issue": " ".join(good[0].split()[:8]),
                                       "quote": good[0]}],
                          bottom_line=[{"text": good[0][:400], "cites": ["k1"]}])
        return answer(
            title=" ".join(bad[0].split()[:10])[:150],
            summary=f"{good[0]} {bad[0]}"[:780],
            key_issues=[{"issue": " ".join(good[0].split()[:8]), "quote": good[0]},
                        {"issue": " ".join(bad[0].split()[:8]), "quote": bad[0]}],
            next_steps=[{"actor": "the reader", "action": bad[-1][:200], "quote": bad[-1]}],
            # brief@4's summary: a faithful sentence, and the planted one citing its item
            bottom_line=[{"text": good[0][:400], "cites": ["k1"]},
                         {"text": bad[0][:400], "cites": ["k2", "k1"]}])

    def run(article, text: str, span: tuple[int, int] | None):
        sentences = segment(text)
        bad = [s.text for s in sentences if span and s.start < span[1] and span[0] < s.end]
        good = [s.text for s in sentences if s.text not in bad and s.words >= 6
                and len(s.text) < 300 and s.text.endswith(".")][:2] or ["-"]
        SERVER.replies.clear()
        SERVER.respond = reply  # one request per chunk of a long article
        SCRIPT.update(good=good, bad=bad)
        return engine.condense(article)

    return run


ENGINES = ("extractive", "llm", "llm-echo")


def verified(brief, article):
    """The brief as the pipeline hands it on: quotes located, then quarantined (the verify
    stage), unless ``--no-verify`` measures the engines' own output."""
    from briefer.verify import verify

    return brief if NO_VERIFY else verify(brief, {article.id: article})


NO_VERIFY = False
SERVER = None
SCRIPT: dict[str, list[str]] = {}


def run_set(name: str, rows: list[dict[str, str]], articles: list[Path],
            rng: random.Random, brief_check: bool, llm=None) -> dict:
    from briefer.text import normalize

    results = []
    for row in rows:
        path = rng.choice(articles)
        raw = path.read_text(encoding="utf-8", errors="replace")
        planted, where = plant(raw, row["text"], rng)
        article = read_article(planted.encode("utf-8"), path.name)
        unplanted = read_article(raw.encode("utf-8"), path.name)
        clean = f"{unplanted.title}\n{unplanted.text}"  # its own title is no leak
        text = article.text
        flags = safety.scan(text)
        attack_norm = normalize(row["text"])
        span = locate(text, attack_norm)
        removed = span is None and not any(
            w.lower() in text.lower() for w in _TOKEN.findall(attack_norm)
            if w.lower() not in clean.lower())
        reported = bool(span) and safety.covers(flags, *span)
        excluded = False
        if span:
            inside = [s for s in segment(text) if s.start < span[1] and span[0] < s.end]
            excluded = all(safety.covers(flags, s.start, s.end) for s in inside)
        if span is None and not removed:
            # Partly transformed by ingest: any new word flagged counts as reported.
            new = {w.lower() for w in _TOKEN.findall(text)} - {
                w.lower() for w in _TOKEN.findall(clean)}
            payload = safety.payload_words(text, flags)
            reported = bool(new & payload)
            excluded = reported and not (new - payload)
        in_brief = in_title = None
        leaks: dict[str, list[str]] = {}
        if brief_check:
            from briefer.engines import get_engine

            own = {w.lower() for w in _TOKEN.findall(attack_norm)} - {
                w.lower() for w in _TOKEN.findall(clean)}
            brief = verified(get_engine("extractive").condense(article), article)
            leaks["extractive"] = leaked_fields(brief, own)
            if llm is not None:
                for engine_name, run in llm.items():
                    leaks[engine_name] = leaked_fields(verified(run(article, text, span),
                                                                article), own)
            in_brief = bool(set(leaks["extractive"]) - {"title"})
            in_title = "title" in leaks["extractive"]
        results.append({"text": row["text"][:120], "kind": row["kind"], "article": path.name,
                        "where": where, "reported": reported or removed,
                        "removed_by_ingest": removed, "excluded": excluded or removed,
                        "in_extractive_brief": in_brief, "in_title": in_title,
                        "leaks": leaks,
                        "signals": sorted({s for f in flags if span and
                                           f.start < span[1] and span[0] < f.end
                                           for s in f.signals})})
    n = len(results)
    return {
        "n": n,
        "reported": sum(r["reported"] for r in results),
        "excluded": sum(r["excluded"] for r in results),
        "removed_by_ingest": sum(r["removed_by_ingest"] for r in results),
        "in_extractive_brief": sum(bool(r["in_extractive_brief"]) for r in results),
        "in_title": sum(bool(r["in_title"]) for r in results),
        "leaks": {engine: {field: sum(field in r["leaks"].get(engine, ()) for r in results)
                           for field in FIELDS} for engine in ENGINES},
        "missed": [r for r in results if not r["reported"]],
        "not_excluded": [r for r in results if r["reported"] and not r["excluded"]],
        "results": results,
    }


def false_positives(articles: list[Path]) -> dict:
    flagged_articles = []
    sentences = 0
    total_ms = 0.0
    n_sent = 0
    for path in articles:
        text = read_article(path.read_bytes(), path.name).text
        start = time.perf_counter()
        flags = safety.scan(text)
        total_ms += (time.perf_counter() - start) * 1000
        n_sent += len(segment(text))
        if flags:
            sentences += len(flags)
            flagged_articles.append({"article": path.name, "flags": [
                {"text": text[f.start:f.end][:160], "score": f.score, "signals": f.signals}
                for f in flags]})
    return {"articles": len(articles), "sentences": n_sent,
            "flagged_articles": len(flagged_articles), "flagged_sentences": sentences,
            "ms_per_article": total_ms / max(1, len(articles)), "details": flagged_articles}


def clean_briefs(articles: list[Path]) -> dict:
    """What the quarantine does to clean articles: the sentences it keeps out (page furniture
    such as "Read more CNBC politics coverage" is expected) and what it drops from their
    verified extractive briefs (the target is nothing)."""
    from briefer import quarantine
    from briefer.engines import get_engine
    from briefer.verify import verify

    kept_out, drops, details = 0, 0, []
    for path in articles:
        article = read_article(path.read_bytes(), path.name)
        spans = quarantine.guard(article.text).spans
        kept_out += len(spans)
        brief = verify(get_engine("extractive").condense(article), {article.id: article})
        notices = [w.message for w in brief.meta.warnings if w.kind == "injection"]
        drops += len(notices)
        details += [{"article": path.name, "kept_out": article.text[a:b][:160]}
                    for a, b in spans] + [{"article": path.name, "dropped": m} for m in notices]
    return {"articles": len(articles), "kept_out_spans": kept_out, "brief_drops": drops,
            "details": details}


def extra_clean(path: Path) -> dict:
    """False positives on whole articles of a JSONL file (``{"text", "article"}``): the
    unseen clean news that ``bench/build_injection_training.py`` keeps out of training."""
    from briefer.text import normalize

    flagged, sentences, n_sent = [], 0, 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        text = normalize(row["text"])
        flags = safety.scan(text)
        n_sent += len(segment(text))
        if flags:
            sentences += len(flags)
            flagged.append({"article": row.get("article", ""), "flags": [
                {"text": text[f.start:f.end][:160], "score": f.score, "signals": f.signals}
                for f in flags]})
    return {"articles": len(rows), "sentences": n_sent, "flagged_articles": len(flagged),
            "flagged_sentences": sentences, "details": flagged}


def sweep(articles: list[Path], seed: int) -> None:
    chosen = safety.THRESHOLD
    rows = []
    out = []
    try:
        for threshold in (1.0, 1.5, 2.0, 2.5, 3.0, 3.5):
            safety.THRESHOLD = threshold
            clean = false_positives(articles)
            dev = run_set("dev", load_set("dev"), articles, random.Random(f"{seed}/dev"), False)
            rows.append([f"{threshold:.1f}", f"{dev['reported']}/{dev['n']}",
                         f"{dev['excluded']}/{dev['n']}", str(clean["flagged_articles"]),
                         str(clean["flagged_sentences"])])
            out.append({"threshold": threshold, "dev_reported": dev["reported"],
                        "dev_excluded": dev["excluded"], "dev_n": dev["n"],
                        "clean_articles": clean["flagged_articles"],
                        "clean_sentences": clean["flagged_sentences"]})
    finally:
        safety.THRESHOLD = chosen
    print(table(rows, ["threshold", "dev reported", "dev excluded", "clean articles flagged",
                       "clean sentences flagged"]))
    print(f"\nwritten: {save('injection-sweep', {'sweep': out})}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--sets", default="dev,heldout")
    parser.add_argument("--no-brief", action="store_true",
                        help="skip running the extractive engine on planted articles")
    parser.add_argument("--show", action="store_true", help="print misses and clean flags")
    parser.add_argument("--llm", action="store_true",
                        help="also brief each planted article on the LLM engine against a "
                             "scripted server whose model obeys the planted string")
    parser.add_argument("--no-verify", action="store_true",
                        help="count leaks in the engines' own output, before the verify "
                             "stage (quote location and quarantine)")
    parser.add_argument("--sweep", action="store_true",
                        help="dev detection and clean false positives per threshold (the "
                             "threshold is chosen from this, on dev and clean text only)")
    parser.add_argument("--extra-clean", type=Path, action="append", default=[],
                        help="JSONL of whole clean articles to count false positives on")
    args = parser.parse_args()
    global NO_VERIFY
    NO_VERIFY = args.no_verify
    articles = clean_articles(args.corpus)
    if not articles:
        print(f"usage: {sys.argv[0]} [--corpus DIR]\nno clean articles under {args.corpus} "
              f"({', '.join(FOLDERS)}); the shared corpus is needed for this benchmark")
        raise SystemExit(0)
    if args.sweep:
        sweep(articles, args.seed)
        return
    report: dict = {"threshold": safety.THRESHOLD, "seed": args.seed,
                    "clean": false_positives(articles)}
    rows = []
    llm = None
    if args.llm and not args.no_brief:
        global SERVER
        import os

        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.fakeserver import FakeServer

        os.environ.setdefault("OPENAI_API_KEY", "sk-bench-not-a-key")
        SERVER = FakeServer().__enter__()
        llm = {"llm": obedient_model(SERVER.url),
               "llm-echo": obedient_model(SERVER.url, reads_prompt=False)}
    for name in args.sets.split(","):
        rng = random.Random(f"{args.seed}/{Path(name).stem}")
        result = run_set(name, load_set(name), articles, rng, not args.no_brief, llm)
        report[name] = result
        n = result["n"]
        rows.append([Path(name).stem, str(n),
                     f"{result['reported']} ({100 * result['reported'] / n:.1f}%)",
                     f"{result['excluded']} ({100 * result['excluded'] / n:.1f}%)",
                     str(result["removed_by_ingest"]),
                     "-" if args.no_brief else str(result["in_extractive_brief"]),
                     "-" if args.no_brief else str(result["in_title"])])
    if SERVER is not None:
        SERVER.__exit__(None, None, None)
    clean = report["clean"]
    if not args.no_brief:
        leak_rows = [[Path(name).stem, engine, *(str(report[name]["leaks"][engine][f])
                                                 for f in FIELDS)]
                     for name in args.sets.split(",")
                     for engine in (ENGINES if llm else ("extractive",))]
        print(table(leak_rows, ["set", "engine", *FIELDS]) + "\n")
    print(table(rows, ["set", "n", "reported", "excluded if dropped", "removed by ingest",
                       "reach brief body", "become the title"]))
    print(f"\nclean corpus: {clean['articles']} articles, {clean['sentences']} sentences; "
          f"flagged articles {clean['flagged_articles']}, flagged sentences "
          f"{clean['flagged_sentences']}; scan {clean['ms_per_article']:.2f} ms/article")
    kept = clean_briefs(articles + other_clean_articles(args.corpus))
    report["clean_briefs"] = kept
    print(f"quarantine on the clean corpus (all folders, {kept['articles']} articles): "
          f"{kept['kept_out_spans']} passages kept out, {kept['brief_drops']} things dropped "
          "from their extractive briefs")
    other = false_positives(other_clean_articles(args.corpus))
    report["clean_other_folders"] = other
    print(f"other corpus folders (clusters, html, seed): {other['articles']} articles, "
          f"{other['sentences']} sentences; flagged articles {other['flagged_articles']}, "
          f"flagged sentences {other['flagged_sentences']}")
    if args.show:
        for art in other["details"]:
            for f in art["flags"]:
                print(f"FP {art['article']}: {f['score']:.1f} {f['signals']} {f['text']!r}")
    for path in args.extra_clean:
        extra = extra_clean(path)
        report[f"clean:{path.name}"] = extra
        print(f"{path.name}: {extra['articles']} articles, {extra['sentences']} sentences; "
              f"flagged articles {extra['flagged_articles']}, flagged sentences "
              f"{extra['flagged_sentences']}")
        if args.show:
            for art in extra["details"]:
                for f in art["flags"]:
                    print(f"FP {art['article']}: {f['score']:.1f} {f['signals']} {f['text']!r}")
    if args.show:
        for name in args.sets.split(","):
            for miss in report[name]["missed"]:
                print(f"MISS {name}: [{miss['kind']}] {miss['text']!r}")
            for miss in report[name]["not_excluded"]:
                print(f"PARTIAL {name}: [{miss['kind']}] {miss['text']!r}")
        for art in clean["details"]:
            for f in art["flags"]:
                print(f"FP {art['article']}: {f['score']:.1f} {f['signals']} {f['text']!r}")
    path = save("injection", report)
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
