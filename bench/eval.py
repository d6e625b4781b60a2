"""How good the assistant is, on data it was never trained on: `make eval`.

- NLU intents: precision, recall and F1 on the held-out set tests/nlu/test_nlu.yml, and a
  confusion matrix (bench/reports/confusion.png);
- entities: precision, recall and F1 on tests/nlu/test_entities.yml (exact span and type);
- answers: top-1 answer accuracy, i.e. the reply a patient reads, on the held-out set;
- out of scope: how many of CLINC150's oos *test* queries (less the flagged ones) get an
  answer from the article or start a booking (and, as a dev figure, how many of
  bench/data/off_topic_dev.yml's near-miss everyday messages do);
- red flags: recall and false alarms on bench/data/red_flags_test.yml (the dev sets, which
  the patterns may be tuned on, are reported too). The test set's misses and false alarms
  are counted by kind, never quoted, so that reading the report can't steer the tuning.

Each message goes through the trained model's NLU and the same decision code the actions
use (clinic.knowledge, the red-flag component), in this process. Writes
bench/reports/eval.md and eval.json.

Options: `--model PATH` evaluates another trained model than models/clinic.tar.gz, and
`--reports DIR` writes the reports elsewhere. `--dev [PATH]` measures intents and answers on
a development set (bench/data/answers_dev.yml unless another, such as answers_dev2.yml, is
named) instead, the set to tune on, prints its misses and writes nothing: the held-out set
stays for the final figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import platform
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.red_flags_dev import DEV_SETS, REPLY_OF_CATEGORY  # noqa: E402
from bench.report import confusion_png, machine, table  # noqa: E402
from clinic.content import load_content  # noqa: E402
from clinic.knowledge import Knowledge  # noqa: E402
from tests.nlu.examples import (  # noqa: E402
    quotes_the_article,
    read_examples,
    reply_to,
    right_answer,
)

REPORTS = ROOT / "bench" / "reports"
MODEL = ROOT / "models" / "clinic.tar.gz"
TEST_SET = ROOT / "tests" / "nlu" / "test_nlu.yml"
DEV_SET = ROOT / "bench" / "data" / "answers_dev.yml"
# Written blind and only ever measured: its misses are neither printed nor stored.
CHECK_SET = ROOT / "bench" / "data" / "answers_check.yml"
ENTITY_SET = ROOT / "tests" / "nlu" / "test_entities.yml"
RED_FLAGS = ROOT / "bench" / "data"
CLINC = ROOT.parent / "shared" / "benchmarks" / "clinc_oos"
OFF_TOPIC_DEV = ROOT / "bench" / "data" / "off_topic_dev.yml"
ENTITY_TYPES = ("procedure", "condition", "body_area", "symptom")
FORM_INTENTS = ("request_appointment", "cancel_appointment", "reschedule_appointment")
TARGETS = {
    "answer_accuracy": (">=", 0.97),
    "intent_f1_weighted": (">=", 0.95),
    "oos_false_accept_rate": ("<=", 0.05),
    "red_flag_recall": (">=", 1.0),
    "red_flag_false_alarm_rate": ("<=", 0.05),
}


def intents(
    parse, knowledge, path: Path = TEST_SET, png: Path | None = None, detail: bool = False
) -> dict:
    """Intent and answer figures on the NLU file `path`; the confusion matrix to `png`.

    With `detail`, each miss also has the guess's confidence and the reply the patient read.
    """
    from sklearn.metrics import precision_recall_fscore_support

    examples = read_examples(path)
    parsed = [(text, want, parse(text)) for text, want in examples]
    truth = [want for _, want, _ in parsed]
    guess = [p["intent"]["name"] for _, _, p in parsed]
    labels = sorted(set(truth))
    per = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    averages = {
        kind: precision_recall_fscore_support(
            truth, guess, labels=labels, average=kind, zero_division=0
        )[:3]
        for kind in ("weighted", "macro")
    }
    right = [right_answer(knowledge, text, want, p) for text, want, p in parsed]
    topic_keys = knowledge.content.topics
    topics = [
        ok
        for ok, (_, want, _) in zip(right, parsed, strict=False)
        if want.removeprefix("ask_") in topic_keys
    ]
    if png:
        confusion_png(truth, guess, png)
    return {
        "examples": len(parsed),
        "intent_accuracy": sum(t == g for t, g in zip(truth, guess, strict=False)) / len(truth),
        "intent_precision_weighted": averages["weighted"][0],
        "intent_recall_weighted": averages["weighted"][1],
        "intent_f1_weighted": averages["weighted"][2],
        "intent_f1_macro": averages["macro"][2],
        "per_intent": {
            label: {"precision": p, "recall": r, "f1": f, "support": int(s)}
            for label, p, r, f, s in zip(labels, *per, strict=False)
        },
        "answer_accuracy": sum(right) / len(right),
        "answer_accuracy_topic_questions": sum(topics) / len(topics),
        "topic_questions": len(topics),
        "misses": [
            {"text": text, "want": want, "got": p["intent"]["name"]}
            | (
                {"confidence": p["intent"]["confidence"], "reply": reply_to(knowledge, text, p)}
                if detail
                else {}
            )
            for (text, want, p), ok in zip(parsed, right, strict=False)
            if not ok
        ],
    }


def figures_only(result: dict) -> dict:
    """A set's overall figures, without its per-intent table or the wording of its misses."""
    keys = ("examples", "intent_accuracy", "intent_f1_weighted", "answer_accuracy")
    return {key: result[key] for key in keys} | {"misses": len(result["misses"])}


def entities(parse) -> dict:
    from rasa.shared.nlu.training_data.loading import load_data

    found, wanted, hits = Counter(), Counter(), Counter()
    messages = load_data(str(ENTITY_SET)).intent_examples
    for message in messages:
        gold = {(e["start"], e["end"], e["entity"]) for e in message.get("entities") or []}
        got = {
            (e["start"], e["end"], e["entity"])
            for e in parse(message.get("text"))["entities"]
            if e["entity"] in ENTITY_TYPES
        }
        for kind in ENTITY_TYPES:
            g = {x for x in gold if x[2] == kind}
            p = {x for x in got if x[2] == kind}
            wanted[kind], found[kind], hits[kind] = (
                wanted[kind] + len(g), found[kind] + len(p), hits[kind] + len(g & p)
            )  # fmt: skip
    per = {kind: prf(hits[kind], found[kind], wanted[kind]) for kind in ENTITY_TYPES}
    total = prf(sum(hits.values()), sum(found.values()), sum(wanted.values()))
    return {"messages": len(messages), "overall": total, "per_type": per}


def prf(hits: int, found: int, wanted: int) -> dict:
    precision = hits / found if found else 0.0
    recall = hits / wanted if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": wanted}


def out_of_scope(parse, knowledge) -> dict:
    rows = (CLINC / "oos_flagged_medical_or_booking.tsv").read_text().splitlines()[1:]
    flagged = {row.split("\t")[1].strip() for row in rows if row.startswith("test\t")}
    queries = [q for q in (CLINC / "oos_test.txt").read_text().splitlines() if q.strip()]
    kept = [q for q in queries if q not in flagged]
    return {**false_accepts(parse, knowledge, kept), "left_out_flagged": len(queries) - len(kept)}


def off_topic_dev(parse, knowledge) -> dict:
    """False accepts on the off-topic dev set: near-miss everyday messages, tuned on."""
    examples = yaml.safe_load(OFF_TOPIC_DEV.read_text(encoding="utf-8"))["examples"]
    return false_accepts(parse, knowledge, [e["text"] for e in examples])


def false_accepts(parse, knowledge, kept: list[str]) -> dict:
    outcomes, accepted = Counter(), []
    for query in kept:
        parsed = parse(query)
        intent = parsed["intent"]["name"]
        if intent == "red_flag":
            outcome = "red-flag alarm"
        elif intent in FORM_INTENTS and knowledge.is_for_the_clinic(
            parsed["intent"]["confidence"], query
        ):  # as actions/booking.py's for_the_clinic
            outcome = "starts a booking"
        elif quotes_the_article(knowledge.content, reply_to(knowledge, query, parsed)):
            outcome = "answered from the article"
        else:
            outcome = "declined or not understood"
        outcomes[outcome] += 1
        if outcome in ("starts a booking", "answered from the article"):
            accepted.append({"text": query, "intent": intent})
    return {
        "queries": len(kept),
        "oos_false_accept_rate": len(accepted) / len(kept),
        "outcomes": dict(outcomes),
        "false_accepts": accepted,
    }


def red_flags(parse, name: str, flags: dict) -> dict:
    """Recall and false alarms; a catch is of the right kind when its reply is the one needed."""
    examples = yaml.safe_load((RED_FLAGS / f"red_flags_{name}.yml").read_text())["examples"]
    caught, missed, alarms, right_kind = 0, [], [], 0
    positives = [e for e in examples if e["flag"] != "none"]
    negatives = [e for e in examples if e["flag"] == "none"]
    for example in examples:
        parsed = parse(example["text"])
        flag = next((e["value"] for e in parsed["entities"] if e["entity"] == "red_flag"), None)
        if example["flag"] == "none":
            if flag:
                alarms.append({"text": example["text"], "flag": flag})
        elif flag:
            caught += 1
            needed = REPLY_OF_CATEGORY.get(example["flag"], "emergency")
            right_kind += flags[flag]["reply"] == needed
        else:
            missed.append({"text": example["text"], "want": example["flag"]})
    return {
        "positives": len(positives),
        "negatives": len(negatives),
        "red_flag_recall": caught / len(positives),
        "red_flag_false_alarm_rate": len(alarms) / len(negatives),
        "right_reply": right_kind / len(positives),
        "missed": missed,
        "false_alarms": alarms,
    }


def blind(result: dict) -> dict:
    """A held-out set's figures with its misses and false alarms as counts by kind only."""
    kept = {k: v for k, v in result.items() if k not in ("missed", "false_alarms")}
    kept["missed_by_kind"] = dict(sorted(Counter(m["want"] for m in result["missed"]).items()))
    kept["false_alarms_by_flag"] = dict(
        sorted(Counter(m["flag"] for m in result["false_alarms"]).items())
    )
    return kept


def verdicts(results: dict) -> dict:
    flat = {
        "answer_accuracy": results["intents"]["answer_accuracy"],
        "intent_f1_weighted": results["intents"]["intent_f1_weighted"],
        "oos_false_accept_rate": results["out_of_scope"]["oos_false_accept_rate"],
        "red_flag_recall": results["red_flags_test"]["red_flag_recall"],
        "red_flag_false_alarm_rate": results["red_flags_test"]["red_flag_false_alarm_rate"],
    }
    return {
        key: {
            "value": value,
            "target": f"{op} {limit}",
            "met": value >= limit if op == ">=" else value <= limit,
        }
        for key, value in flat.items()
        for op, limit in [TARGETS[key]]
    }


def markdown(results: dict) -> str:
    pct = "{:.1%}".format
    i, e, o = results["intents"], results["entities"], results["out_of_scope"]
    d = results["off_topic_dev"]
    c = results["answers_check"]
    lines = [
        "# Evaluation",
        "",
        f"Measured {results['date']} on {results['machine']}, model `{results['model']}`"
        " (`make eval`, bench/eval.py). Held-out data only: nothing here was trained on.",
        "",
        "## Against the targets",
        "",
        *table(
            ["measure", "value", "target", "met"],
            [
                [k, f"{v['value']:.3f}", v["target"], "yes" if v["met"] else "**no**"]
                for k, v in results["targets"].items()
            ],
        ),  # fmt: skip
        "",
        f"## Intents ({i['examples']} held-out examples, tests/nlu/test_nlu.yml)",
        "",
        f"Accuracy {pct(i['intent_accuracy'])}; weighted precision"
        f" {i['intent_precision_weighted']:.3f}, recall {i['intent_recall_weighted']:.3f},"
        f" F1 {i['intent_f1_weighted']:.3f}; macro F1 {i['intent_f1_macro']:.3f}."
        " Confusion matrix: [confusion.png](confusion.png).",
        "",
        *table(
            ["intent", "precision", "recall", "F1", "support"],
            [
                [k, f"{v['precision']:.2f}", f"{v['recall']:.2f}", f"{v['f1']:.2f}", v["support"]]
                for k, v in i["per_intent"].items()
            ],
        ),  # fmt: skip
        "",
        "## Answers",
        "",
        f"Top-1 answer accuracy (the reply the patient reads): {pct(i['answer_accuracy'])} of"
        f" {i['examples']}; on the {i['topic_questions']} questions about the article's topics:"
        f" {pct(i['answer_accuracy_topic_questions'])}.",
        "",
        f"On wording never trained or tuned on ({shown(CHECK_SET)}: {c['examples']} messages"
        " written blind and only ever measured; sentences equal to a training one removed):"
        f" answers {pct(c['answer_accuracy'])}, intents {pct(c['intent_accuracy'])}, weighted"
        f" F1 {c['intent_f1_weighted']:.3f}. The held-out set above has been used for error"
        " analysis in earlier sessions, so this is the better guide to a new patient's wording.",
        "",
        f"## Entities ({e['messages']} messages, tests/nlu/test_entities.yml; exact spans)",
        "",
        *table(
            ["type", "precision", "recall", "F1", "support"],
            [
                [k, f"{v['precision']:.2f}", f"{v['recall']:.2f}", f"{v['f1']:.2f}", v["support"]]
                for k, v in [*e["per_type"].items(), ("all", e["overall"])]
            ],
        ),  # fmt: skip
        "",
        f"## Out of scope (CLINC150 oos test: {o['queries']} queries,"
        f" {o['left_out_flagged']} flagged ones left out)",
        "",
        f"False accepts (an answer from the article, or a booking started):"
        f" {pct(o['oos_false_accept_rate'])}.",
        "",
        *table(["outcome", "queries"], [[k, v] for k, v in sorted(o["outcomes"].items())]),
        "",
        f"On the off-topic dev set (bench/data/off_topic_dev.yml: {d['queries']} everyday"
        " messages in the clinic's words and sentence frames, written blind; tuned on):"
        f" {pct(d['oos_false_accept_rate'])} false accepts.",
        "",
        "## Red flags",
        "",
        *table(
            ["set", "positives", "recall", "right reply", "negatives", "false alarms"],
            [
                [
                    name,
                    r["positives"],
                    pct(r["red_flag_recall"]),
                    pct(r["right_reply"]),
                    r["negatives"],
                    pct(r["red_flag_false_alarm_rate"]),
                ]
                for name, r in (
                    ("test", results["red_flags_test"]),
                    *((f"{n} (tuned on)", results[f"red_flags_{n}"]) for n in DEV_SETS),
                )
            ],
        ),  # fmt: skip
        "",
        "The test set's misses by the kind wanted: "
        + (counted(results["red_flags_test"]["missed_by_kind"]) or "none")
        + ". Its false alarms by the flag raised: "
        + (counted(results["red_flags_test"]["false_alarms_by_flag"]) or "none")
        + ". Their wording is not shown: the patterns are tuned on the dev sets only.",
    ]
    return "\n".join(lines) + "\n"


def counted(counts: dict) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in counts.items())


def dev_summary(result: dict, path: Path = DEV_SET) -> str:
    """A development set's figures and every miss, for reading in the terminal."""
    lines = [
        f"dev set {shown(path)}: {result['examples']} examples",
        f"answer_accuracy: {result['answer_accuracy']:.3f}",
        f"intent_accuracy: {result['intent_accuracy']:.3f}",
        f"intent_f1_weighted: {result['intent_f1_weighted']:.3f}",
        "intents with recall below 1:",
        *(
            f"  {name}: recall {v['recall']:.2f}, precision {v['precision']:.2f}"
            for name, v in result["per_intent"].items()
            if v["recall"] < 1
        ),
        f"answer misses ({len(result['misses'])}):",
        *(
            f"  [{m['want']} -> {m['got']} {m['confidence']:.2f}] {m['text']!r}\n"
            f"      reply: {m['reply'][:90]!r}"
            for m in result["misses"]
        ),
    ]
    return "\n".join(lines)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", type=Path, default=MODEL, help="the trained model to load")
    parser.add_argument(
        "--dev",
        nargs="?",
        type=Path,
        const=DEV_SET,
        metavar="PATH",
        help=f"intents and answers on a dev set only (default {DEV_SET.relative_to(ROOT)});"
        " prints, writes nothing",
    )
    parser.add_argument(
        "--reports", type=Path, default=REPORTS, help="where eval.md, eval.json and the PNG go"
    )
    return parser.parse_args(argv)


def shown(path: Path) -> str:
    """A path as the reports name it: relative to the project when inside it."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> None:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa's debug lines would print every message

    args = arguments(argv)
    loop = asyncio.new_event_loop()
    agent = Agent.load(str(args.model))

    def parse(text: str) -> dict:
        return loop.run_until_complete(agent.parse_message(text))

    content = load_content()
    knowledge = Knowledge(content)
    if args.dev:
        print(dev_summary(intents(parse, knowledge, args.dev, detail=True), args.dev))
        return
    reports = args.reports
    reports.mkdir(parents=True, exist_ok=True)
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "python": platform.python_version(),
        "model": shown(args.model),
        "intents": intents(parse, knowledge, TEST_SET, reports / "confusion.png"),
        "answers_check": figures_only(intents(parse, knowledge, CHECK_SET)),
        "entities": entities(parse),
        "out_of_scope": out_of_scope(parse, knowledge),
        "off_topic_dev": off_topic_dev(parse, knowledge),
        "red_flags_test": blind(red_flags(parse, "test", content.red_flags["flags"])),
        **{
            f"red_flags_{name}": red_flags(parse, name, content.red_flags["flags"])
            for name in DEV_SETS
        },
    }
    results["targets"] = verdicts(results)
    # numpy's numbers (from scikit-learn) as plain ones
    plain = json.dumps(results, indent=2, default=lambda o: o.item() if hasattr(o, "item") else o)
    (reports / "eval.json").write_text(plain + "\n")
    (reports / "eval.md").write_text(markdown(results))
    for key, verdict in results["targets"].items():
        print(f"{key}: {verdict['value']:.3f} (target {verdict['target']})")
    print(f"wrote {reports / 'eval.md'}, eval.json and confusion.png")


if __name__ == "__main__":
    main()
