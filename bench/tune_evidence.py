"""Tune clinic.knowledge.EVIDENCE_THRESHOLD and the FallbackClassifier's threshold.

Parses CLINC150's oos *validation* split (the split meant for tuning) and the training
examples of the article's topics with the trained model, then reports, for several
thresholds, how many off-topic queries would be answered with article content and how many
topic questions would lose their answer. Writes bench/reports/evidence.md.

    .venv/bin/python bench/tune_evidence.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clinic.content import load_content  # noqa: E402
from clinic.terms import TermFinder  # noqa: E402
from tests.nlu.examples import read_examples  # noqa: E402

OOS_VAL = ROOT.parent / "shared" / "benchmarks" / "clinc_oos" / "oos_val.txt"
THRESHOLDS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def main() -> None:
    from rasa.core.agent import Agent

    content = load_content()
    finder = TermFinder(content.terms)
    topic_intents = {f"ask_{key}" for key in content.topics}
    agent = Agent.load(str(ROOT / "models" / "clinic.tar.gz"))
    loop = asyncio.new_event_loop()

    def top(text: str) -> tuple[str, float]:
        parsed = loop.run_until_complete(agent.parse_message(text))
        ranking = [r for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"]
        return ranking[0]["name"], ranking[0]["confidence"]

    oos = [(t, *top(t), finder.is_about_the_clinic(t)) for t in OOS_VAL.read_text().splitlines()]
    topics = [
        (t, *top(t), finder.is_about_the_clinic(t))
        for t, intent in read_examples(ROOT / "data" / "nlu.yml")
        if intent in topic_intents
    ]
    lines = [
        "# Evidence threshold",
        "",
        f"{len(oos)} oos validation queries, {len(topics)} topic questions (training examples).",
        "",
        "| threshold | oos answered from the article | topic questions refused |",
        "| --- | --- | --- |",
    ]
    for threshold in THRESHOLDS:
        leaked = sum(
            1 for _, i, c, ev in oos if i in topic_intents and c >= 0.3 and (c >= threshold or ev)
        )
        refused = sum(1 for _, i, c, ev in topics if c < 0.3 or (c < threshold and not ev))
        lines.append(f"| {threshold} | {leaked} ({leaked / len(oos):.1%}) | {refused} |")
    lines += ["", "Off-topic queries classified as a topic:", ""]
    lines += [f"- {t!r}: {i} {c:.2f} evidence={ev}" for t, i, c, ev in oos if i in topic_intents]
    report = ROOT / "bench" / "reports" / "evidence.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
