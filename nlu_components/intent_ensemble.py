"""DIET's intent ranking averaged with a lexical model's (clinic/intent_model.py).

Placed right after DIETClassifier in config.yml, so the FallbackClassifier and the red-flag
component see the blended ranking. It learns from the same training messages as DIET.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.intent_model import DIET_SHARE, FORMAT, IntentModel, blend


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentEnsemble(GraphComponent):
    """Replaces the intent and its ranking with DIET's and the lexical model's blended."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"diet_share": DIET_SHARE, "format": FORMAT}  # see FORMAT

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: IntentModel | None = None,
    ) -> None:
        self._share = config["diet_share"]
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentEnsemble:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentEnsemble:
        with model_storage.read_from(resource) as directory:
            return cls(config, model_storage, resource, IntentModel.load(directory))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT)]
        self._model = IntentModel.fit(
            [e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples]
        )
        with self._storage.write_to(self._resource) as directory:
            self._model.save(directory)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or self._model is None:
                continue
            diet = message.get(INTENT_RANKING_KEY) or []
            ranking = blend(diet, self._model.probabilities(text), self._share)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
