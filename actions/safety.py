"""Answer a red flag first: 911, 988, or the clinic now (content/red_flags.yml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import knowledge
from clinic import red_flag_model
from clinic.safety import RedFlagDetector


@lru_cache(maxsize=1)
def detector() -> RedFlagDetector:
    return red_flag_model.detector(knowledge().content.red_flags)


class ActionRedFlag(Action):
    """Say the red flag's reply: short, first, and with the number to call."""

    def name(self) -> str:
        return "action_red_flag"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        flag = detector().detect(text)
        reply = flag.reply if flag else "emergency"  # the NLU saw one: err on the safe side
        dispatcher.utter_message(text=knowledge().content.reply(f"red_flags.{reply}"))
        return []
