"""The answer-accuracy dev set (bench/data/answers_dev.yml) stays apart from the training data.

It is tuned on (`bench/eval.py --dev`), so training phrasings are written after reading its
misses; copying its sentences into data/ would only make its figures meaningless.
"""

from __future__ import annotations

import yaml

from tests.conftest import ROOT
from tests.nlu.examples import normalise, read_examples

DEV_SET = ROOT / "bench" / "data" / "answers_dev.yml"


def test_no_dev_sentence_is_in_the_training_data():
    training = {
        normalise(t) for path in (ROOT / "data").glob("*.yml") for t, _ in read_examples(path)
    }
    copied = [text for text, _ in read_examples(DEV_SET) if normalise(text) in training]
    assert not copied


def test_the_dev_set_s_intents_are_the_assistant_s():
    domain = set(yaml.safe_load((ROOT / "domain.yml").read_text())["intents"])
    dev = {intent for _, intent in read_examples(DEV_SET)}
    assert dev <= domain, dev - domain
