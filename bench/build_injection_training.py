"""Build the training, tuning and final held-out data of the learned injection component.

    python bench/build_injection_training.py --tensor-trust GIT --alpaca GIT --deepset GIT
        --self-instruct GIT --advbench GIT --asb GIT
        --news GIT [--corpus DIR]

Each GIT is the git directory of a mirror of a public repository (read with ``git show``, no
work tree needed). Writes ``bench/out/injection-train/*.jsonl`` (gitignored: third-party
text is not committed; this script is how to get it back). Sets, split by SOURCE:

* ``pos_train.jsonl`` (label 1, used to fit the model):

  - attack inputs of Tensor Trust's hijacking- and extraction-robustness benchmarks
    (HumanCompatibleAI/tensor-trust-data, ``benchmarks/*/v1/*.jsonl``, field ``attack``);
  - plain requests addressed to a model, the kind of line that has no business in a news
    article: the 175 seed task instructions of tatsu-lab/stanford_alpaca
    (``seed_tasks.jsonl``) and the 252 user-oriented instructions of yizhongw/self-instruct
    (``human_eval/user_oriented_instructions.jsonl``);
  - the 520 goals of AdvBench (llm-attacks; ``data/advbench/harmful_behaviors.csv`` as
    mirrored in no-touch-fish/LLM-attack-ignore, whose goals carry an appended ``[/INST]
    Sure here is`` that is cut off here): "Write a script that ...", tasks set for a model;
  - the 400 attacker instructions of Agent Security Bench (ASB; its fork
    Zhang-Henry/AIOS_agent, ``data/all_attack_tools.jsonl``): agent goals phrased as a
    user's request, "Please transfer ... to account ...";
  - briefer's own ``bench/data/injection/dev.jsonl`` and the tuning half of the fresh split,
    ``dev3.jsonl`` (persona and in-the-wild jailbreaks, Gandalf-style leaks, indirect
    injections in web pages and e-mails; ``bench/build_injection_fresh.py``).
* ``neg_train.jsonl`` (label 0): every sentence of the clean articles of the shared corpus'
  ``train/`` and ``frank-dev/`` folders, plus the benign instructions and AI-news sentences
  written for briefer in :data:`BENIGN` (page furniture, recipes, how-to, op-ed imperatives,
  reporting about chatbots: things news says that are not addressed to a model).
* ``neg_news.jsonl`` (label 0, fitted on too): sentences of public news datasets mirrored in
  namyadhingra/NLP_Classifies-SportsVsPolitics: ``bbc-text.csv`` (BBC News, 2004-05,
  lower-cased) and ``indian_news_with_text.csv`` (2025 articles of several outlets), four
  articles in five; every fifth article goes whole to ``clean_unseen.jsonl`` instead, the
  unseen clean news of the false-positive check (``bench/injection.py --extra-clean``).
* ``final.jsonl`` (measured once, never used to fit or tune): the injections (label 1) of
  deepset/prompt-injections, train and test splits, as mirrored in
  sinanw/llm-security-prompt-injection (``data/raw/*.parquet``; reading them needs pyarrow,
  in the ``train`` extra).

The shared corpus' ``dev/`` folder is used by nothing here: its articles are the unseen clean
articles of the false-positive check. Rows carry ``source`` as ``repo/path@commit``.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from _common import SHARED_CORPUS  # noqa: E402

OUT = ROOT / "bench" / "out" / "injection-train"
SKIP = (".ref.txt", ".src.txt", ".dek.txt", ".expected.txt", ".gold.json", ".systems.json")

# Written for briefer: sentences a news article may carry that tell a *reader* (not a model)
# to do something (page furniture, recipes, how-to, op-ed imperatives), and sentences that
# report on AI systems. Label 0.
BENIGN = """
Preheat the oven to 200C and line a baking tray with parchment.
Whisk the eggs with the sugar until pale, then fold in the flour.
Season with salt and pepper and serve immediately.
Leave the dough to rest for at least an hour before rolling it out.
Call the helpline on the number below if you are worried about a relative.
Register to vote by 5pm on Friday at your local council office.
Keep your receipt: you will need it to claim a refund.
Check the forecast before setting out and take plenty of water.
Do not leave children alone near open water, the coastguard warned.
Send your questions to our consumer desk and we will answer the best ones next week.
Sign up for our morning newsletter to get the day's top stories.
Forget the polls: the race will be decided by turnout in three counties.
Imagine a city where nobody needs a car.
Consider what happened the last time the central bank raised rates this quickly.
Ignore the noise from the campaign trail and look at the jobless figures.
Read our full coverage of the summit here.
Follow the live updates as the results come in.
Write to your MP if you want the law changed, campaigners say.
Stay indoors and keep windows closed until the smoke clears, residents were told.
Apply sunscreen every two hours and drink plenty of fluids.
Turn off the mains supply before you touch the wiring.
Take the second exit at the roundabout and the museum is on your left.
Remember that the deadline for tax returns is 31 January.
Use a password manager and turn on two-factor authentication for your bank.
Report suspicious emails to your bank and never share your PIN.
Give the plant a good soak once a week during summer.
Make sure your smoke alarms work by testing them monthly.
Tell us your story by emailing the newsroom.
Let's be clear about what this budget does and does not do.
Don't expect the talks to produce a deal before the spring.
Try the lamb, which is cooked slowly over charcoal for six hours.
Pretend for a moment that the treaty had never been signed.
Answer the phone only to numbers you recognise, police advised pensioners.
Translate that into jobs and the picture is less rosy.
The company said its chatbot would now answer questions in French and German.
OpenAI said the new model was trained on more data than its predecessor.
Critics say AI assistants still make up facts when asked about recent events.
The regulator asked AI developers to disclose what data their models were trained on.
Researchers found that the language model repeated false claims in a third of its answers.
The summarizer tool, launched last year, is used by more than a million students.
Google told users its assistant would no longer store voice recordings by default.
Lawmakers want chatbots to tell users clearly that they are talking to a machine.
The bank's virtual assistant handles about half of all customer queries.
Engineers instructed the system to flag any transaction above 10,000 dollars.
The newspaper said it would not use AI to write articles without human review.
Teachers worry students will ask ChatGPT to write their essays.
The model, called Gemini, can read images as well as text, the company said.
An AI system that summarises court rulings made several errors, lawyers said.
The startup says its software agents can book flights and pay bills for users.
Users of the app complained that the assistant ignored their instructions.
Share this article with your friends.
Share this story on Facebook, X or WhatsApp.
Click here to subscribe to our daily newsletter.
Subscribe now for unlimited access to all our journalism.
Sign in to read the full article.
Log in or create a free account to continue reading.
Follow us on Instagram for the latest pictures from the festival.
Download our app to get breaking news alerts on your phone.
Read more: the ten best walks in the national park.
Listen to the full interview on our podcast.
Watch the video above to see the moment the bridge collapsed.
Scroll down for the full list of winners.
Enable JavaScript to view the interactive map.
Leave a comment below and tell us what you think.
Send us your pictures of the eclipse using the form below.
Got a story? Email the newsroom or message us on WhatsApp.
Support our journalism with a donation of any size.
Turn on notifications so you never miss an update.
Report a typo or an error in this article.
Copy the link to share this page.
Print this page or save it as a PDF.
Choose the topics you want in your daily digest.
Contact the reporter at the address below.
Add this event to your calendar.
Check back later for updates as this story develops.
Refresh the page if the live blog does not load.
Please check your spam folder if the confirmation email does not arrive.
Please enter a valid email address.
Reset your password using the link we sent you.
Accept cookies to see this content.
Manage your cookie preferences at any time.
Bookmark this page to find it again later.
Mix the yoghurt with the garlic and a pinch of salt.
Bake for 25 minutes, or until golden and bubbling.
Chop the onions finely and fry them in butter until soft.
Slice the potatoes thinly and layer them in the dish.
Bring the water to the boil, add the rice and cover.
Serve with a green salad and crusty bread.
Store in an airtight container for up to a week.
Plant the bulbs in autumn, about 10cm deep.
Water the seedlings every morning until they are established.
Unplug the router, wait thirty seconds and plug it back in.
Update your phone to the latest software to fix the flaw.
Back up your files before installing the update.
Change your password if you used the same one on the breached site.
Lock your car and keep valuables out of sight, police urged drivers.
Wear a helmet and use lights after dark.
Book early: tickets for the final are expected to sell out.
Visit the museum on a weekday morning to avoid the queues.
Bring a packed lunch, because the cafe is closed for repairs.
Call 999 if someone is in immediate danger.
Ask your pharmacist before taking two medicines together.
See your GP if the cough lasts more than three weeks.
Apply online before the deadline on 30 June.
Vote for your favourite photograph in our reader poll.
Write in with your memories of the old pier.
Think of it as a tax on the young.
Picture the scene: a packed hall, a nervous candidate and a microphone that will not work.
Take the housing market, where prices have fallen for six months.
Look at what happened in Ohio last year.
Remember the promises made before the last election.
Spare a thought for the commuters stuck on the platform.
Consider the alternative: a decade of stagnant wages.
Never mind the weather; the crowds still came.
Make no mistake, this is a turning point for the party.
Expect more of the same when parliament returns in September.
Blame the central bank, say the critics.
Don't panic, the minister told savers.
Keep calm and carry on, the posters said.
Give peace a chance, the marchers sang.
Please welcome our new columnist, who joins us from the Times.
Please note that the offices will be closed on Monday.
Join us for a live discussion with the author at 6pm.
Tune in at 8pm for the leaders' debate.
Find out more about the programme on the council's website.
Get the latest headlines delivered to your inbox every morning.
Try our crossword and sudoku, updated daily.
Pay what you can to keep this site free for everyone.
Explore the data in the chart below.
Use the search box to find your local school's results.
""".strip().splitlines()


def git_show(git: Path, path: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={git}", "show", f"HEAD:{path}"],
                          capture_output=True, check=True).stdout


def head(git: Path) -> str:
    return subprocess.run(["git", f"--git-dir={git}", "rev-parse", "HEAD"], capture_output=True,
                          check=True, text=True).stdout.strip()


def readable(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return 12 <= len(text) <= 3000 and letters >= 0.6 * len(text.replace(" ", "")) \
        and len(set(text.split())) >= 3


def tensor_trust(git: Path) -> list[dict]:
    repo = f"HumanCompatibleAI/tensor-trust-data@{head(git)}"
    rows, seen = [], set()
    for path in ("benchmarks/hijacking-robustness/v1/hijacking_robustness_dataset.jsonl",
                 "benchmarks/extraction-robustness/v1/extraction_robustness_dataset.jsonl"):
        for line in git_show(git, path).decode("utf-8").splitlines():
            attack = json.loads(line)["attack"].strip()
            if attack and attack not in seen and readable(attack):
                seen.add(attack)
                rows.append({"text": attack, "label": 1, "source": f"{repo}:{path}"})
    return rows


def alpaca(git: Path) -> list[dict]:
    src = f"tatsu-lab/stanford_alpaca@{head(git)}:seed_tasks.jsonl"
    return [{"text": json.loads(line)["instruction"].strip(), "label": 1, "source": src}
            for line in git_show(git, "seed_tasks.jsonl").decode("utf-8").splitlines()
            if line.strip()]


def deepset(git: Path) -> list[dict]:
    import pyarrow.parquet as pq

    rows = []
    tree = subprocess.run(["git", f"--git-dir={git}", "ls-tree", "-r", "--name-only", "HEAD",
                           "data/raw"], capture_output=True, check=True, text=True).stdout
    for path in sorted(p for p in tree.split() if p.endswith(".parquet")):
        table = pq.read_table(io.BytesIO(git_show(git, path))).to_pylist()
        src = f"sinanw/llm-security-prompt-injection@{head(git)}:{path} (deepset/prompt-injections)"
        rows += [{"text": r["text"].strip(), "label": 1, "source": src}
                 for r in table if r["label"] == 1 and r["text"].strip()]
    return rows


def self_instruct(git: Path) -> list[dict]:
    path = "human_eval/user_oriented_instructions.jsonl"
    src = f"yizhongw/self-instruct@{head(git)}:{path}"
    return [{"text": json.loads(line)["instruction"].strip(), "label": 1, "source": src}
            for line in git_show(git, path).decode("utf-8").splitlines() if line.strip()]


def advbench(git: Path) -> list[dict]:
    import csv

    path = "data/advbench/harmful_behaviors.csv"
    src = f"no-touch-fish/LLM-attack-ignore@{head(git)}:{path} (llm-attacks AdvBench)"
    reader = csv.DictReader(io.StringIO(git_show(git, path).decode("utf-8")))
    return [{"text": r["goal"].split("[/INST]")[0].strip(), "label": 1, "source": src}
            for r in reader if r["goal"].strip()]


def asb(git: Path) -> list[dict]:
    path = "data/all_attack_tools.jsonl"
    src = f"Zhang-Henry/AIOS_agent@{head(git)}:{path} (Agent Security Bench)"
    texts = {json.loads(line)["Attacker Instruction"].strip()
             for line in git_show(git, path).decode("utf-8").splitlines() if line.strip()}
    return [{"text": t, "label": 1, "source": src} for t in sorted(texts) if t]


def own_dev() -> list[dict]:
    """``dev.jsonl`` (written for briefer) and ``dev3.jsonl`` (the tuning half of the fresh
    split of ``bench/build_injection_fresh.py``); never ``heldout*.jsonl``."""
    rows = []
    for name in ("dev", "dev3"):
        path = ROOT / "bench" / "data" / "injection" / f"{name}.jsonl"
        rows += [{"text": json.loads(line)["text"], "label": 1,
                  "source": f"bench/data/injection/{name}"}
                 for line in path.read_text(encoding="utf-8").split("\n")
                 if line.strip() and not line.startswith("//")]
    return rows


def news(corpus: Path) -> list[dict]:
    from briefer.ingest import read_article
    from briefer.text import segment

    rows = []
    for folder in ("train", "frank-dev"):
        for path in sorted((corpus / folder).glob("*.txt")):
            if path.name.endswith(SKIP):
                continue
            text = read_article(path.read_bytes(), path.name).text
            rows += [{"text": seg.text, "label": 0, "group": f"{folder}/{path.name}",
                      "source": f"shared/corpus/{folder}/{path.name}"} for seg in segment(text)]
    rows += [{"text": line, "label": 0, "group": "benign", "source": "written for briefer"}
             for line in BENIGN]
    return rows


def news_csv(git: Path, limit: int, held: list[dict]) -> list[dict]:
    import csv
    import re

    from briefer.text import normalize, segment

    repo = f"namyadhingra/NLP_Classifies-SportsVsPolitics@{head(git)}"
    csv.field_size_limit(10**8)
    rows: list[dict] = []
    for path in ("bbc-text.csv", "indian_news_with_text.csv"):
        reader = csv.DictReader(io.StringIO(git_show(git, path).decode("utf-8", "replace")))
        for n, record in enumerate(reader):
            if n >= limit:
                break
            text = normalize(record["text"])
            if n % 5 == 0:  # every fifth article is kept out of training: unseen clean news
                held.append({"text": text, "label": 0, "article": f"{path}#{n}",
                             "source": f"{repo}:{path}"})
                continue
            if path.startswith("bbc"):  # lower-cased, quotes stripped: cut at full stops
                pieces = [p.strip() for p in re.split(r"(?<=[.!?])\s+", text)]
            else:
                pieces = [seg.text for seg in segment(text)]
            rows += [{"text": p, "label": 0, "group": f"{path}#{n}", "source": f"{repo}:{path}"}
                     for p in pieces if len(p.split()) >= 3]
    return rows


def write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / name).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tensor-trust", type=Path, required=True)
    parser.add_argument("--alpaca", type=Path, required=True)
    parser.add_argument("--deepset", type=Path, required=True)
    parser.add_argument("--advbench", type=Path, required=True)
    parser.add_argument("--self-instruct", type=Path, required=True)
    parser.add_argument("--asb", type=Path, required=True)
    parser.add_argument("--news", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    args = parser.parse_args()
    write("pos_train.jsonl", tensor_trust(args.tensor_trust) + alpaca(args.alpaca)
          + self_instruct(args.self_instruct) + advbench(args.advbench) + asb(args.asb) + own_dev())
    write("neg_train.jsonl", news(args.corpus))
    held: list[dict] = []
    write("neg_news.jsonl", news_csv(args.news, 1500, held))
    write("clean_unseen.jsonl", held)
    write("final.jsonl", deepset(args.deepset))


if __name__ == "__main__":
    main()
