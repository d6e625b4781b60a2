"""The trained NLU on the held-out test set (tests/nlu/test_nlu.yml), never trained on."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import ROOT
from tests.nlu.examples import normalise, read_examples

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
    results = []
    for text, intent in read_examples(TEST_SET):
        parsed = parse(text)
        results.append(
            (text, intent, parsed["intent"]["name"], parsed["intent"]["confidence"],
             parsed.get("intent_ranking"))
        )  # fmt: skip
    return results


def test_intent_accuracy(predictions, capsys):
    wrong = [(t, want, got) for t, want, got, *_ in predictions if want != got]
    accuracy = 1 - len(wrong) / len(predictions)
    with capsys.disabled():
        print(f"\nheld-out NLU intent accuracy: {accuracy:.1%} on {len(predictions)} examples")
        for text, want, got in wrong:
            print(f"  {text!r}: expected {want}, got {got}")
    assert accuracy >= MIN_INTENT_ACCURACY


def test_answer_accuracy(predictions, knowledge, content, capsys):
    """What the patient reads: the reply for the predicted intent against the true one's.

    Off-topic messages count as right when the reply quotes no article content.
    """
    article = [p.text[:40] for p in content.passages.values()]
    outcomes = Counter()
    misses = []
    for text, want, got, confidence, ranking in predictions:
        reply = " ".join(knowledge.respond(got, confidence, text, ranking=ranking).texts)
        if want == "out_of_scope":
            ok = not any(a in reply for a in article) and not any(
                topic.answer in reply for topic in content.topics.values()
            )
        else:
            ok = reply == " ".join(knowledge.respond(want, 1.0, text).texts)
        outcomes[ok] += 1
        if not ok:
            misses.append((text, want, got))
    accuracy = outcomes[True] / len(predictions)
    with capsys.disabled():
        print(f"\nheld-out answer accuracy: {accuracy:.1%} on {len(predictions)} examples")
        for text, want, got in misses:
            print(f"  {text!r}: expected the answer for {want}, got {got}'s")
    assert accuracy >= MIN_ANSWER_ACCURACY


def test_spacy_entities_reach_rasa(parse):
    parsed = parse("what's the difference between an ESI and a facet injection")
    found = {(e["entity"], e["value"]) for e in parsed["entities"]}
    assert {("procedure", "ESI"), ("procedure", "facet injection")} <= found
