"""The served model reads intents with DIET and the lexical model blended (config.yml)."""

from __future__ import annotations

import pytest

from tests.rasa.conftest import MODEL


@pytest.fixture(scope="module")
def nodes() -> dict:
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    schema = LocalModelStorage.metadata_from_archive(MODEL).predict_schema
    return {node.uses.__name__: (name, node) for name, node in schema.nodes.items()}


def test_the_blend_comes_between_diet_and_the_fallback(nodes):
    diet, _ = nodes["DIETClassifier"]
    blend, blending = nodes["IntentEnsemble"]
    _, fallback = nodes["FallbackClassifier"]
    assert blending.needs["messages"] == diet
    assert fallback.needs["messages"] == blend


def test_a_parse_ranks_every_intent_by_the_blend(parse):
    ranking = parse("how mutch dose a facet injecton cost")["intent_ranking"]
    assert ranking[0]["name"] == "ask_cost"
    assert len(ranking) == 10
    confidences = [r["confidence"] for r in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) <= 1.0 + 1e-6
