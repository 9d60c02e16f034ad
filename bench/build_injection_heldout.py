"""Build bench/data/injection/heldout.jsonl from public prompt-injection suites.

Sources (git mirrors of public repositories; pass their git directories):
  * NVIDIA/garak: garak/probes/latentinjection.py (injection instructions x payloads x
    separators), garak/resources/promptinject/prompt_data.py (PromptInject's goal-hijacking and
    prompt-leaking attacks x rogue strings), garak/probes/web_injection.py (Markdown exfil).
  * microsoft/BIPIA: benchmark/text_attack_{train,test}.json, code_attack_test.json (first
    line of each attack).

Held-out discipline: the detector in briefer/safety.py is tuned only on dev.jsonl and clean
text. This file is read by bench/injection.py to *report* detection, never to tune.

Usage: python bench/build_injection_heldout.py GARAK_GIT BIPIA_GIT > heldout.jsonl
"""

from __future__ import annotations

import ast
import contextlib
import json
import random
import subprocess
import sys

INJ, PAY, TRIG = "<|garak_injection|>", "<|garak_payload|>", "<|garak_trigger|>"
DOMAINS = ["superdupersketchycorp.com", "client.hooli-schwab.com"]


def show(git: str, rev: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", git, "show", f"{rev}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def head(git: str) -> str:
    return subprocess.run(["git", "--git-dir", git, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


class _Stub:
    def __getattr__(self, name: str) -> _Stub:
        return self

    def __call__(self, *a: object, **k: object) -> _Stub:
        return self


def class_attrs(source: str) -> dict[str, dict[str, object]]:
    tree = ast.parse(source)
    names = {"INJECTION_MARKER": INJ, "PAYLOAD_MARKER": PAY, "TRIGGER_MARKER": TRIG,
             "garak": _Stub(), "_config": None}
    out: dict[str, dict[str, object]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        attrs: dict[str, object] = {}
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in out:
                attrs.update(out[base.id])
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                    stmt.targets[0], ast.Name):
                key = stmt.targets[0].id
                if key in ("injection_instructions", "payloads", "payload_triggers",
                           "injection_sep_pairs"):
                    scope = dict(names)
                    for k, v in attrs.items():
                        scope[k] = v
                    # "FactSnippetMixin.injection_instructions + [...]"
                    for other, vals in out.items():
                        scope[other] = type(other, (), vals)
                    with contextlib.suppress(Exception):  # some are computed at runtime
                        attrs[key] = eval(compile(ast.Expression(stmt.value), "<probe>", "eval"),
                                          scope)
        out[node.name] = attrs
    return out


def garak_latent(git: str, rev: str, rng: random.Random) -> list[dict[str, str]]:
    path = "garak/probes/latentinjection.py"
    rows = []
    seen: set[str] = set()
    for cls, attrs in class_attrs(show(git, rev, path)).items():
        instructions = attrs.get("injection_instructions")
        if not isinstance(instructions, list) or (not cls.endswith("Full")
                                                  and "Whois" not in cls):
            continue
        payloads = attrs.get("payloads") or [TRIG]
        triggers = [t for t in (attrs.get("payload_triggers") or []) if isinstance(t, str)]
        triggers = triggers or DOMAINS
        seps = attrs.get("injection_sep_pairs") or [("", "")]
        if "Jailbreak" in cls:
            continue  # toxic-content requests, not injections into a document
        for instruction in instructions:
            for payload in payloads:  # type: ignore[union-attr]
                trigger = rng.choice(triggers)
                pre, post = rng.choice(seps)  # type: ignore[arg-type]
                text = pre + instruction.replace(PAY, payload.replace(TRIG, trigger)) + post
                text = text.replace(TRIG, trigger).strip()
                if text in seen or not text:
                    continue
                seen.add(text)
                rows.append({"text": text, "source": f"NVIDIA/garak/{path}@{rev}",
                             "kind": f"garak.latentinjection.{cls}"})
    return rows


def garak_promptinject(git: str, rev: str) -> list[dict[str, str]]:
    path = "garak/resources/promptinject/prompt_data.py"
    ns: dict[str, object] = {}
    exec(compile(show(git, rev, path), path, "exec"), ns)  # plain dict literals
    rogue = list(ns["rogue_strings"].values())  # type: ignore[union-attr]
    rows = []
    for group in ("goal_hikacking_attacks", "prompt_leaking_attacks"):
        for n, attack in enumerate(ns[group].values()):  # type: ignore[union-attr]
            text = attack["instruction"].replace("{REPLACE_rogue_string}", rogue[n % len(rogue)])
            rows.append({"text": text, "source": f"NVIDIA/garak/{path}@{rev}",
                         "kind": f"promptinject.{group}"})
    return rows


def garak_web(git: str, rev: str) -> list[dict[str, str]]:
    path = "garak/probes/web_injection.py"
    tree = ast.parse(show(git, rev, path))
    rows = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and \
                node.targets[0].id == "template" and isinstance(node.value, ast.Constant):
            text = str(node.value.value).replace("{domain}", DOMAINS[0]).replace(
                "{encoding}", "base64").replace("{modified_domain}", DOMAINS[0]).strip()
            if "{" in text:
                continue
            rows.append({"text": text, "source": f"NVIDIA/garak/{path}@{rev}",
                         "kind": "garak.web_injection"})
    return rows


QUESTION_STARTS = ("what", "who", "how", "why", "when", "where", "which", "is ", "are ",
                   "can you show", "can you classify", "determine the sentiment")


def bipia(git: str, rev: str) -> list[dict[str, str]]:
    rows = []
    for name in ("text_attack_train", "text_attack_test", "code_attack_test"):
        path = f"benchmark/{name}.json"
        for kind, attacks in json.loads(show(git, rev, path)).items():
            for text in attacks:
                text = text.split("\n")[0].strip().rstrip(":")
                low = text.lower()
                about_output = any(w in low for w in ("your response", "your reply",
                                                      "your answer", "your message"))
                # Plain questions a reader could ask are not injections: leave them out.
                if (text.endswith("?") or low.startswith(QUESTION_STARTS)) and not about_output:
                    continue
                rows.append({"text": text, "source": f"microsoft/BIPIA/{path}@{rev}",
                             "kind": f"bipia.{kind}"})
    return rows


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print("usage: python bench/build_injection_heldout.py GARAK_GIT BIPIA_GIT "
              "> heldout.jsonl", file=sys.stderr)
        raise SystemExit(0 if sys.argv[1:2] in (["-h"], ["--help"]) else 2)
    garak_git, bipia_git = sys.argv[1], sys.argv[2]
    rng = random.Random(14)
    g, b = head(garak_git), head(bipia_git)
    rows = garak_promptinject(garak_git, g) + garak_latent(garak_git, g, rng) + \
        garak_web(garak_git, g) + bipia(bipia_git, b)
    seen: set[str] = set()
    for row in rows:
        if row["text"] not in seen:
            seen.add(row["text"])
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
