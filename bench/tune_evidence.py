"""Tune clinic.knowledge.EVIDENCE_THRESHOLD on CLINC150's oos validation split.

Sends the oos *validation* queries (the split meant for tuning) and the training examples
of the article's topics through the trained NLU and clinic.knowledge, exactly as the
assistant answers them, and reports for several thresholds how many off-topic queries get
an answer from the article and how many topic questions lose theirs. Writes
bench/reports/evidence.md.

    .venv/bin/python bench/tune_evidence.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import clinic.knowledge as knowledge_module  # noqa: E402
from clinic.content import load_content  # noqa: E402
from tests.nlu.examples import read_examples  # noqa: E402

OOS_VAL = ROOT.parent / "shared" / "benchmarks" / "clinc_oos" / "oos_val.txt"
THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    from rasa.core.agent import Agent

    knowledge = knowledge_module.Knowledge(load_content())
    topics = knowledge.content.topics
    article = {t.answer[:40] for t in topics.values()} | {
        text[:40] for t in topics.values() for text in (t.summary, t.lasts) if text
    }
    agent = Agent.load(str(ROOT / "models" / "clinic.tar.gz"))
    loop = asyncio.new_event_loop()

    def parse(text: str) -> dict:
        return loop.run_until_complete(agent.parse_message(text))

    oos = [(text, parse(text)) for text in OOS_VAL.read_text().splitlines()]
    questions = [
        (text, intent, parse(text))
        for text, intent in read_examples(ROOT / "data" / "nlu.yml")
        if intent.removeprefix("ask_") in topics
    ]

    def reply(text: str, parsed: dict) -> str:
        intent = parsed["intent"]
        return " ".join(
            knowledge.respond(
                intent["name"], intent["confidence"], text, ranking=parsed["intent_ranking"]
            ).texts
        )

    lines = [
        "# Evidence threshold",
        "",
        f"{len(oos)} CLINC150 oos validation queries; {len(questions)} topic questions",
        "(training examples, so an optimistic count of the answers lost).",
        "",
        "| threshold | oos answered from the article | topic questions not answered |",
        "| --- | --- | --- |",
    ]
    leaks: dict[float, list[str]] = {}
    for threshold in THRESHOLDS:
        knowledge_module.EVIDENCE_THRESHOLD = threshold
        leaks[threshold] = [t for t, p in oos if any(a in reply(t, p) for a in article)]
        lost = sum(
            1 for t, intent, p in questions
            if reply(t, p) != " ".join(knowledge.respond(intent, 1.0, t).texts)
        )  # fmt: skip
        count = len(leaks[threshold])
        lines.append(f"| {threshold} | {count} ({count / len(oos):.1%}) | {lost} |")
    lines += ["", "Off-topic queries answered from the article at 0.6:", ""]
    lines += [f"- {text!r}" for text in leaks[0.6]]
    report = ROOT / "bench" / "reports" / "evidence.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
