"""Red-flag figures on the development sets only, with the detector alone (no Rasa, no model).

    .venv/bin/python bench/red_flags_dev.py            # dev, dev2, dev3 and dev4
    .venv/bin/python bench/red_flags_dev.py dev3       # one set
    .venv/bin/python bench/red_flags_dev.py --quiet    # figures only, no misses listed
    .venv/bin/python bench/red_flags_dev.py --ordinary # + alarms on nlu.yml and CLINC oos sets

For each set: recall, false-alarm rate and how many catches get the right reply (988 for
suicide, the clinic for infection, 911 for the rest), with every miss, false alarm and
wrong-kind catch printed. The held-out test set is never read: a set whose name contains
"test" is refused, so tuning on these figures cannot leak into the reported ones.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clinic.content import load_content  # noqa: E402
from clinic.safety import RedFlagDetector  # noqa: E402

DATA = ROOT / "bench" / "data"
DEV_SETS = tuple(f"dev{n}" for n in ("", *range(2, 21)))  # dev, dev2 ... dev20
CLINC = ROOT.parent / "shared" / "benchmarks" / "clinc_oos"
OOS_SETS = ("oos_val", "oos_train")
# The sets' categories by the reply they need: 988 for suicide, the clinic for infection,
# 911 for the rest (bench/eval.py uses this too).
REPLY_OF_CATEGORY = {"suicide": "crisis", "infection": "infection"}


def load_set(name: str) -> list[dict]:
    """The examples of bench/data/red_flags_<name>.yml; a test set is refused."""
    path = DATA / f"red_flags_{name}.yml"
    if "test" in name.lower() or "test" in path.name.lower():
        raise SystemExit(f"refused: {path.name} is held out, only dev sets are measured here")
    return yaml.safe_load(path.read_text())["examples"]


def measure(detector: RedFlagDetector, replies: dict, examples: list[dict]) -> dict:
    missed, alarms, wrong_kind, caught = [], [], [], 0
    positives = [e for e in examples if e["flag"] != "none"]
    negatives = [e for e in examples if e["flag"] == "none"]
    for example in examples:
        found = detector.detect(example["text"])
        if example["flag"] == "none":
            if found:
                alarms.append((example["text"], found.name))
        elif found:
            caught += 1
            needed = REPLY_OF_CATEGORY.get(example["flag"], "emergency")
            if replies[found.name] != needed:
                wrong_kind.append((example["text"], example["flag"], found.name))
        else:
            missed.append((example["text"], example["flag"]))
    return {
        "positives": len(positives),
        "negatives": len(negatives),
        "recall": caught / max(len(positives), 1),
        "false_alarm_rate": len(alarms) / max(len(negatives), 1),
        "right_reply": (caught - len(wrong_kind)) / max(len(positives), 1),
        "missed": missed,
        "false_alarms": alarms,
        "wrong_kind": wrong_kind,
    }


def ordinary_messages() -> dict[str, list[str]]:
    """Messages that are no red flag: nlu.yml's other intents and CLINC's oos_val/oos_train."""
    from tests.nlu.examples import read_examples

    sets = {
        "data/nlu.yml (not red_flag)": [
            t for t, i in read_examples(ROOT / "data" / "nlu.yml") if i != "red_flag"
        ]
    }
    for name in OOS_SETS:
        path = CLINC / f"{name}.txt"
        if path.exists():
            sets[f"clinc {name}"] = [q for q in path.read_text().splitlines() if q.strip()]
    return sets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=list(DEV_SETS))
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument("--ordinary", action="store_true", help="alarms on ordinary messages")
    args = parser.parse_args()
    content = load_content()
    detector = RedFlagDetector(content.red_flags)
    replies = {name: spec["reply"] for name, spec in content.red_flags["flags"].items()}
    total_missed = 0
    for name in args.sets:
        r = measure(detector, replies, load_set(name))
        total_missed += len(r["missed"])
        print(
            f"{name:5} recall {r['recall']:6.1%} ({r['positives'] - len(r['missed'])}"
            f"/{r['positives']})  false alarms {r['false_alarm_rate']:5.1%}"
            f" ({len(r['false_alarms'])}/{r['negatives']})  right reply {r['right_reply']:6.1%}"
        )
        if not args.quiet:
            for text, want in r["missed"]:
                print(f"   MISS   [{want}] {text}")
            for text, got in r["false_alarms"]:
                print(f"   ALARM  [{got}] {text}")
            for text, want, got in r["wrong_kind"]:
                print(f"   KIND   [{want} -> {got}] {text}")
    if args.ordinary:
        for name, texts in ordinary_messages().items():
            alarms = [(t, f.name) for t in texts if (f := detector.detect(t))]
            print(f"{name}: {len(alarms)} alarms in {len(texts)} messages")
            for text, got in alarms if not args.quiet else []:
                print(f"   ALARM  [{got}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
