"""The held-out red-flag set stays blind: its wording is in no report and no dev set.

The patterns are tuned on the dev sets' misses (bench/red_flags_dev.py). If the evaluation
report quoted the test set's misses, the next round of tuning would read them.
"""

from __future__ import annotations

import yaml

from bench.eval import blind
from bench.red_flags_dev import DEV_SETS
from tests.conftest import ROOT
from tests.nlu.examples import normalise

DATA = ROOT / "bench" / "data"
REPORTS = ROOT / "bench" / "reports"


def texts(name: str) -> list[str]:
    examples = yaml.safe_load((DATA / f"red_flags_{name}.yml").read_text())["examples"]
    return [e["text"] for e in examples]


def test_the_reports_quote_no_test_sentence():
    reports = " ".join(normalise((REPORTS / name).read_text()) for name in ("eval.md", "eval.json"))
    quoted = [t for t in texts("test") if normalise(t) in reports]
    assert not quoted


def test_no_test_sentence_is_in_a_dev_set():
    test = {normalise(t) for t in texts("test")}
    copied = [t for name in DEV_SETS for t in texts(name) if normalise(t) in test]
    assert not copied


def test_blind_keeps_the_figures_and_counts_misses_by_kind():
    result = {
        "positives": 3,
        "red_flag_recall": 1 / 3,
        "missed": [{"text": "a", "want": "stroke"}, {"text": "b", "want": "stroke"}],
        "false_alarms": [{"text": "c", "flag": "chest_pain"}],
    }
    kept = blind(result)
    assert kept == {
        "positives": 3,
        "red_flag_recall": 1 / 3,
        "missed_by_kind": {"stroke": 2},
        "false_alarms_by_flag": {"chest_pain": 1},
    }
