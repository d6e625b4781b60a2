"""Start every conversation by saying what the assistant is."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import knowledge
from actions.booking import schedule
from actions.handoff import reopening


class ActionSessionStart(Action):
    """Open the session with the disclosure, and whether the office is open."""

    def name(self) -> str:
        return "action_session_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = knowledge().disclosure()
        when = reopening(schedule().now())
        if when:
            text += " " + knowledge().content.reply("handoff.after_hours_note", when=when)
        dispatcher.utter_message(text=text)
        return [SessionStarted(), ActionExecuted("action_listen")]
