"""Start every conversation by saying what the assistant is."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import knowledge


class ActionSessionStart(Action):
    """Open the session with the disclosure: an automated assistant, not medical advice."""

    def name(self) -> str:
        return "action_session_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=knowledge().disclosure())
        return [SessionStarted(), ActionExecuted("action_listen")]
