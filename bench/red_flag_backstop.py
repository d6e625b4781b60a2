"""What the learned red-flag backstop adds on wording it has never seen: `make bench-backstop`.

For each dev set read first with the rules of a known commit (FIRST_READ), before those
rules were tuned on it: the backstop is trained without that set, then asked about the
emergencies those rules missed (how many it catches) and about the set's look-alikes those
rules left quiet (how many it alarms on), at several thresholds. Everyday messages it never
trained on (the answer dev set and CLINC's oos_val) count its alarms too. The held-out test
set is not read. Writes bench/reports/red_flag_backstop.md and .json.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine, table  # noqa: E402
from clinic import red_flag_model  # noqa: E402
from clinic.content import load_content  # noqa: E402
from tests.nlu.examples import read_examples  # noqa: E402

DATA = ROOT / "bench" / "data"
REPORTS = ROOT / "bench" / "reports"
CLINC = ROOT.parent / "shared" / "benchmarks" / "clinc_oos"
# The commit whose rules first read each set, before any rule was written for it.
FIRST_READ = {
    "dev5": "8f09821",
    "dev6": "8f09821",
    "dev7": "c663f5c",
    "dev8": "c663f5c",
    "dev9": "62b25e9",
    "dev10": "62b25e9",
    "dev11": "227b344",
    "dev12": "227b344",
    "dev13": "04636c0",
    "dev14": "04636c0",
    "dev15": "04636c0",
    "dev16": "04636c0",
    "dev17": "147a984",
    "dev18": "5cc9129",
    "dev19": "e5b0a90",
    "dev20": "ee6bd50",
}
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)


def rules_at(commit: str, workdir: Path):
    """The rule detector (clinic/safety.py and content/red_flags.yml) as of `commit`."""
    where = workdir / commit
    where.mkdir()
    for name in ("clinic/safety.py", "content/red_flags.yml"):
        shown = subprocess.run(
            ["git", "show", f"{commit}:{name}"], cwd=ROOT, capture_output=True, check=True
        )
        (where / Path(name).name).write_bytes(shown.stdout)
    spec = importlib.util.spec_from_file_location(f"safety_{commit}", where / "safety.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.RedFlagDetector(yaml.safe_load((where / "red_flags.yml").read_text()))


def alarms(model, texts: list[str], threshold: float) -> int:
    backstop = red_flag_model.Backstop(model, threshold)
    return sum(backstop.kind(t) is not None for t in texts)


def measure() -> dict:
    results: dict = {"sets": {}, "ordinary": {}}
    with tempfile.TemporaryDirectory() as workdir:
        rules = {c: rules_at(c, Path(workdir)) for c in sorted(set(FIRST_READ.values()))}
    for name, commit in FIRST_READ.items():
        examples = yaml.safe_load((DATA / f"red_flags_{name}.yml").read_text())["examples"]
        detector = rules[commit]
        missed = [
            e["text"] for e in examples if e["flag"] != "none" and not detector.detect(e["text"])
        ]
        quiet = [
            e["text"] for e in examples if e["flag"] == "none" and not detector.detect(e["text"])
        ]
        positives = sum(e["flag"] != "none" for e in examples)
        negatives = len(examples) - positives
        model = red_flag_model.train(leaving_out=(f"red_flags_{name}.yml",))
        results["sets"][name] = {
            "rules_commit": commit,
            "positives": positives,
            "negatives": negatives,
            "rules_missed": len(missed),
            "rules_false_alarms": negatives - len(quiet),
            "backstop": {
                str(t): {
                    "caught": alarms(model, missed, t),
                    "new_false_alarms": alarms(model, quiet, t),
                }
                for t in THRESHOLDS
            },
        }
        print(f"{name}: rules missed {len(missed)} of {positives}", file=sys.stderr)
    model = red_flag_model.load()
    ordinary = {"answers_dev": [t for t, _ in read_examples(DATA / "answers_dev.yml")]}
    if (CLINC / "oos_val.txt").exists():
        ordinary["clinc oos_val"] = [
            q for q in (CLINC / "oos_val.txt").read_text().splitlines() if q
        ]
    for name, texts in ordinary.items():
        results["ordinary"][name] = {
            "messages": len(texts),
            "alarms": {str(t): alarms(model, texts, t) for t in THRESHOLDS},
        }
    return results


def markdown(results: dict) -> str:
    sets = results["sets"]
    rows = []
    for t in map(str, THRESHOLDS):
        missed = sum(s["rules_missed"] for s in sets.values())
        caught = sum(s["backstop"][t]["caught"] for s in sets.values())
        quiet = sum(s["negatives"] - s["rules_false_alarms"] for s in sets.values())
        new = sum(s["backstop"][t]["new_false_alarms"] for s in sets.values())
        positives = sum(s["positives"] for s in sets.values())
        negatives = sum(s["negatives"] for s in sets.values())
        old_alarms = sum(s["rules_false_alarms"] for s in sets.values())
        found = positives - missed
        rows.append([
            t, f"{caught} of {missed}",
            f"{found / positives:.1%} -> {(found + caught) / positives:.1%}",
            f"{new} of {quiet}",
            f"{old_alarms / negatives:.1%} -> {(old_alarms + new) / negatives:.1%}",
            *(str(o["alarms"][t]) + f" of {o['messages']}" for o in results["ordinary"].values()),
        ])  # fmt: skip
    header = [
        "threshold", "rule misses caught", "recall (rules -> with backstop)",
        "new false alarms", "false alarms (rules -> with backstop)",
        *(f"alarms on {name}" for name in results["ordinary"]),
    ]  # fmt: skip
    used = str(results["threshold_in_use"])
    per_set = [
        [name, s["rules_commit"], f"{s['positives'] - s['rules_missed']} of {s['positives']}",
         s["rules_missed"], s["backstop"][used]["caught"], s["backstop"][used]["new_false_alarms"]]
        for name, s in sets.items()
    ]  # fmt: skip
    return "\n".join([
        "# The learned red-flag backstop on wording it has never seen",
        "",
        f"{results['date']}, {results['machine']}.",
        "`make bench-backstop` (bench/red_flag_backstop.py).",
        "",
        "Each dev set was read first with the rules of the commit named, before any rule was",
        "written for it; the backstop is trained here without that set. The held-out test set",
        "is not read.",
        "",
        *table(header, rows),
        "",
        f"Per set, at the threshold in use ({used}):",
        "",
        *table(["set", "rules of", "rules caught", "rules missed", "backstop caught",
                "backstop new false alarms"], per_set),
        "",
    ]) + "\n"  # fmt: skip


def main() -> int:
    results = measure()
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = machine()
    results["threshold_in_use"] = load_content().red_flags["learned"]["threshold"]
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "red_flag_backstop.json").write_text(json.dumps(results, indent=2) + "\n")
    (REPORTS / "red_flag_backstop.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
