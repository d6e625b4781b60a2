"""clinic.intent_model: the lexical reading of a message's intent, blended with DIET's."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clinic.intent_model import RANKING_LENGTH, IntentModel, blend

TEXTS = {
    "greet": ["hello there", "hi", "good morning", "hey hello", "hiya there"],
    "ask_cost": ["how much does it cost", "what is the price", "cost of the shot", "price please"],
    "ask_facet": ["what is a facet injection", "facet joint shot", "tell me about facet joints"],
}


@pytest.fixture(scope="module")
def model() -> IntentModel:
    texts = [t for examples in TEXTS.values() for t in examples]
    labels = [label for label, examples in TEXTS.items() for _ in examples]
    return IntentModel.fit(texts, labels)


def test_it_reads_new_wording_by_its_letters_and_words(model):
    assert max(model.probabilities("helloo"), key=model.probabilities("helloo").get) == "greet"
    chances = model.probabilities("how much is a facet injecton")
    assert set(chances) == set(TEXTS)
    assert sum(chances.values()) == pytest.approx(1.0)
    assert chances["greet"] < min(chances["ask_cost"], chances["ask_facet"])


@pytest.mark.parametrize("text", ["", "💀💀", "\x00\x01", "zzqxj " * 2000])
def test_any_text_gets_probabilities(model, text):
    chances = model.probabilities(text)
    assert sum(chances.values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in chances.values())


def test_a_saved_model_loads_to_the_same_probabilities_without_pickle(model, tmp_path):
    model.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["intents.json", "intents.npz"]
    json.loads((tmp_path / "intents.json").read_text())
    loaded = IntentModel.load(tmp_path)  # np.load with allow_pickle=False inside
    for text in ["hi", "what is the price of a facet shot", "unknown words entirely"]:
        assert loaded.probabilities(text) == pytest.approx(model.probabilities(text))


def test_two_intents_are_enough():
    two = IntentModel.fit(["hi", "hello", "price", "cost"], ["greet", "greet", "cost", "cost"])
    chances = two.probabilities("hello")
    assert set(chances) == {"greet", "cost"}
    assert chances["greet"] > chances["cost"]


def test_blend_weighs_diet_by_its_share_and_ranks_best_first():
    diet = [{"name": "a", "confidence": 0.9}, {"name": "b", "confidence": 0.1}]
    ranking = blend(diet, {"a": 0.1, "b": 0.8, "c": 0.1}, diet_share=0.4)
    assert [r["name"] for r in ranking] == ["b", "a", "c"]  # the lexical model outvotes DIET
    assert [r["confidence"] for r in ranking] == pytest.approx([0.52, 0.42, 0.06])
    assert blend(diet, {"a": 0.1, "b": 0.8, "c": 0.1}, diet_share=0.9)[0]["name"] == "a"


def test_blend_counts_an_intent_missing_from_diet_s_ranking_as_zero_and_drops_unknown_names():
    diet = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "a", "confidence": 0.5}]
    ranking = blend(diet, {"a": 0.5, "b": 0.5}, diet_share=0.5)
    assert {r["name"] for r in ranking} == {"a", "b"}
    assert dict((r["name"], r["confidence"]) for r in ranking) == pytest.approx(
        {"a": 0.5, "b": 0.25}
    )


def test_blend_keeps_the_ranking_short():
    lexical = {
        f"i{n}": p for n, p in enumerate(np.linspace(1, 2, 30) / np.linspace(1, 2, 30).sum())
    }
    assert len(blend([], lexical)) == RANKING_LENGTH
