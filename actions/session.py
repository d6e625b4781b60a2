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
        if just_opened(tracker):
            # The widget's "/session_start" right after Rasa opened the session itself:
            # nothing to say again, and Rasa expects this action to end with a listen.
            return [ActionExecuted("action_listen")]
        text = knowledge().disclosure()
        when = reopening(schedule().now())
        if when:
            text += " " + knowledge().content.reply("handoff.after_hours_note", when=when)
        dispatcher.utter_message(text=text)
        return [SessionStarted(), ActionExecuted("action_listen")]


def just_opened(tracker: Tracker) -> bool:
    """Whether this session has only just been opened, the disclosure said, and the patient
    has said nothing since but "/session_start" (which the website's widget sends to open a
    conversation: Rasa starts a new conversation's session before it reads that message).
    """
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return True
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if event.get("event") == "user" and intent.get("name") != "session_start":
            return False
    return False
