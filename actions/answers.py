"""Answer every message from the clinic's content (clinic.knowledge)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.content import load_content
from clinic.knowledge import Knowledge


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The clinic's content, read once per action-server start (edits apply on restart)."""
    return Knowledge(load_content())


class ActionAnswer(Action):
    """Say what the clinic's content says about the patient's last message."""

    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        if intent.get("name") == "affirm" and just_booked(tracker):
            # The patient's "yes" again: the confirmation was probably lost on the way.
            dispatcher.utter_message(text=tracker.get_slot("last_confirmation"))
            return []
        reply = knowledge().respond(
            intent=intent.get("name") or "nlu_fallback",
            confidence=float(intent.get("confidence") or 0.0),
            text=message.get("text") or "",
            topic=tracker.get_slot("topic"),
            detail_shown=bool(tracker.get_slot("detail_shown")),
            ranking=message.get("intent_ranking"),
        )
        for index, text in enumerate(reply.texts):
            last = index == len(reply.texts) - 1
            dispatcher.utter_message(text=text, buttons=reply.buttons if last else [])
        return [SlotSet("topic", reply.topic), SlotSet("detail_shown", reply.detail_shown)]


def just_booked(tracker: Tracker) -> bool:
    """Whether the assistant's last action before this message confirmed a booking."""
    if not tracker.get_slot("last_confirmation"):
        return False
    events = tracker.events or []
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    for event in reversed(events[: users[-1]] if users else []):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name") == "action_booking_done"
    return False
