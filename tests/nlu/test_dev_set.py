"""The answer-accuracy dev sets stay apart from the training data.

bench/data/answers_dev.yml and answers_dev2.yml to answers_dev5.yml are tuned on
(`bench/eval.py --dev PATH`), so training phrasings are written after reading their misses;
answers_check.yml is only measured.
Copying any of their sentences into data/ would only make their figures meaningless.
"""

from __future__ import annotations

import pytest
import yaml

from bench.eval import CHECK_SET, OFF_TOPIC_DEV, figures_only
from tests.conftest import ROOT
from tests.nlu.examples import normalise, read_examples

SETS = [*(f"answers_dev{n}.yml" for n in ("", 2, 3, 4, 5)), CHECK_SET.name]


@pytest.fixture(scope="module")
def training() -> set[str]:
    return {normalise(t) for path in (ROOT / "data").glob("*.yml") for t, _ in read_examples(path)}


@pytest.mark.parametrize("name", SETS)
def test_no_dev_sentence_is_in_the_training_data(training, name):
    examples = read_examples(ROOT / "bench" / "data" / name)
    assert len(examples) > 300
    copied = [text for text, _ in examples if normalise(text) in training]
    assert not copied


@pytest.mark.parametrize("name", SETS)
def test_the_dev_set_s_intents_are_the_assistant_s(name):
    domain = set(yaml.safe_load((ROOT / "domain.yml").read_text())["intents"])
    dev = {intent for _, intent in read_examples(ROOT / "bench" / "data" / name)}
    assert dev <= domain, dev - domain


def test_the_reports_quote_no_check_sentence():
    """answers_check.yml is only measured: make eval reports its figures, never its wording."""
    reports = ROOT / "bench" / "reports"
    text = " ".join(normalise((reports / n).read_text()) for n in ("eval.md", "eval.json"))
    checked = [t for t, _ in read_examples(CHECK_SET)]
    quoted = [t for t in checked if len(t.split()) >= 4 and f" {normalise(t)} " in f" {text} "]
    assert not quoted


def test_figures_only_keeps_the_figures_and_counts_the_misses():
    result = {
        "examples": 2, "intent_accuracy": 0.5, "intent_f1_weighted": 0.4,
        "answer_accuracy": 0.5, "per_intent": {"greet": {}},
        "misses": [{"text": "a sentence that must not be kept", "want": "greet"}],
    }  # fmt: skip
    kept = figures_only(result)
    assert kept == {
        "examples": 2, "intent_accuracy": 0.5, "intent_f1_weighted": 0.4,
        "answer_accuracy": 0.5, "misses": 1,
    }  # fmt: skip


def test_no_off_topic_dev_message_is_in_the_training_data(training):
    """bench/data/off_topic_dev.yml tunes thresholds and the intent blend: never trained on."""
    examples = yaml.safe_load(OFF_TOPIC_DEV.read_text())["examples"]
    texts = [normalise(e["text"]) for e in examples]
    assert len(texts) > 300
    assert len(set(texts)) == len(texts)
    assert not [t for t in texts if t in training]
