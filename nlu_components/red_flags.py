"""Put red flags first: an NLU component that makes a red-flag message's intent `red_flag`.

It runs after the intent classifiers (config.yml), on every message, inside forms too, so
the dialogue rules can send the emergency reply before anything else. The flags themselves
are in content/red_flags.yml and clinic.safety; DIET also learns `red_flag` from examples,
but only a message the detector confirms keeps that intent, so that idioms such as "my back
is killing me" never raise an alarm.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic import red_flag_model
from clinic.content import load_content
from nlu_components import speedups

speedups.install()  # with the pipeline, in every process that loads the model

RED_FLAG = "red_flag"
FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagClassifier(GraphComponent):
    """Sets the intent `red_flag` (and an entity naming the flag) when a red flag is found."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagClassifier:
        return cls()

    def __init__(self) -> None:
        # Read at start-up, so an edit to red_flags.yml needs a restart, not retraining.
        self._detector = red_flag_model.detector(load_content().red_flags)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != RED_FLAG]
        flag = self._detector.detect(text)
        if flag:
            top = {"name": RED_FLAG, "confidence": 1.0}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
            entity = {
                "entity": RED_FLAG, "value": flag.name, "start": 0, "end": len(text),
                "confidence": 1.0, "extractor": type(self).__name__,
            }  # fmt: skip
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        elif (message.get(INTENT) or {}).get("name") == RED_FLAG:
            # DIET's guess alone is not enough: fall back to its next guess.
            others = [r for r in ranking if r["name"] != FALLBACK]
            top = others[0] if others else {"name": FALLBACK, "confidence": 0.0}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
