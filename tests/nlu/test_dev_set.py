"""The answer-accuracy dev sets stay apart from the training data.

bench/data/answers_dev.yml and answers_dev2.yml are tuned on (`bench/eval.py --dev PATH`), so
training phrasings are written after reading their misses; answers_check.yml is only measured.
Copying any of their sentences into data/ would only make their figures meaningless.
"""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import ROOT
from tests.nlu.examples import normalise, read_examples

SETS = ["answers_dev.yml", "answers_dev2.yml", "answers_check.yml"]


@pytest.mark.parametrize("name", SETS)
def test_no_dev_sentence_is_in_the_training_data(name):
    training = {
        normalise(t) for path in (ROOT / "data").glob("*.yml") for t, _ in read_examples(path)
    }
    examples = read_examples(ROOT / "bench" / "data" / name)
    assert len(examples) > 300
    copied = [text for text, _ in examples if normalise(text) in training]
    assert not copied


@pytest.mark.parametrize("name", SETS)
def test_the_dev_set_s_intents_are_the_assistant_s(name):
    domain = set(yaml.safe_load((ROOT / "domain.yml").read_text())["intents"])
    dev = {intent for _, intent in read_examples(ROOT / "bench" / "data" / name)}
    assert dev <= domain, dev - domain
