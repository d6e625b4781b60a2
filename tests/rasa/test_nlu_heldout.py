"""The trained NLU on the held-out test set (tests/nlu/test_nlu.yml), never trained on."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.nlu.examples import normalise, read_examples, right_answer

TEST_SET = ROOT / "tests" / "nlu" / "test_nlu.yml"
# The floor below which a change to the training data or pipeline is a regression.
MIN_INTENT_ACCURACY = 0.90
MIN_ANSWER_ACCURACY = 0.93


def test_the_held_out_set_is_not_in_the_training_data():
    training = {
        normalise(t) for path in (ROOT / "data").glob("*.yml") for t, _ in read_examples(path)
    }
    leaked = [text for text, _ in read_examples(TEST_SET) if normalise(text) in training]
    assert not leaked


@pytest.fixture(scope="module")
def predictions(parse):
    return [(text, intent, parse(text)) for text, intent in read_examples(TEST_SET)]


def test_intent_accuracy(predictions, capsys):
    wrong = [
        (text, want, parsed["intent"]["name"])
        for text, want, parsed in predictions
        if parsed["intent"]["name"] != want
    ]
    accuracy = 1 - len(wrong) / len(predictions)
    with capsys.disabled():
        print(f"\nheld-out NLU intent accuracy: {accuracy:.1%} on {len(predictions)} examples")
        for text, want, got in wrong:
            print(f"  {text!r}: expected {want}, got {got}")
    assert accuracy >= MIN_INTENT_ACCURACY


def test_answer_accuracy(predictions, knowledge, capsys):
    """What the patient reads: the reply for the predicted intent against the true one's.

    Off-topic messages count as right when the reply quotes no article content.
    """
    misses = [
        (text, want, parsed["intent"]["name"])
        for text, want, parsed in predictions
        if not right_answer(knowledge, text, want, parsed)
    ]
    accuracy = 1 - len(misses) / len(predictions)
    with capsys.disabled():
        print(f"\nheld-out answer accuracy: {accuracy:.1%} on {len(predictions)} examples")
        for text, want, got in misses:
            print(f"  {text!r}: expected the answer for {want}, got {got}'s")
    assert accuracy >= MIN_ANSWER_ACCURACY


def test_spacy_entities_reach_rasa(parse):
    parsed = parse("what's the difference between an ESI and a facet injection")
    found = {(e["entity"], e["value"]) for e in parsed["entities"]}
    assert {("procedure", "ESI"), ("procedure", "facet injection")} <= found
