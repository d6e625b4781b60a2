"""A path to a person: the phone number when the office is open, a callback request always.

Opening hours, holidays and the time zone come from content/clinic.yml (clinic.schedule);
CLINIC_NOW sets the clock for tests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.answers import knowledge
from actions.booking import (
    CALLBACK_SLOTS,
    DATABASE_ERRORS,
    database,
    database_unavailable,
    plain_questions,
    schedule,
)
from actions.booking_validation import LEAVE_TO_RULES, ValidateAppointmentForm
from clinic import booking_form
from clinic.booking_form import Reading
from clinic.callbacks import CallbackDetails, request_callback

CALLBACK_BUTTON = {"title": "Request a callback", "payload": "/request_callback"}


def reopening(now: datetime) -> str | None:
    """When the office reopens ("Mon Dec 7, 8:00 AM"), or None if it is open now."""
    clinic = schedule()
    if clinic.is_open(now):
        return None
    return booking_form.slot_label(clinic.next_opening(now))


class ActionHandoff(Action):
    """The patient asked for a person."""

    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        when = reopening(schedule().now())
        content = knowledge().content
        if when:  # the rules go on to the callback form
            dispatcher.utter_message(text=content.reply("handoff.closed", when=when))
        else:
            dispatcher.utter_message(text=content.reply("handoff.open"), buttons=[CALLBACK_BUTTON])
        return [SlotSet("office_open", when is None)]


class ActionHandoffInForm(Action):
    """A person asked for in the middle of a form: how to reach one, then the form goes on."""

    def name(self) -> str:
        return "action_handoff_in_form"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        when = reopening(schedule().now())
        content = knowledge().content
        text = (
            content.reply("handoff.closed_in_form", when=when)
            if when
            else content.reply("handoff.open")
        )
        dispatcher.utter_message(text=text, buttons=[CALLBACK_BUTTON])
        return []


class ActionStartCallback(Action):
    def name(self) -> str:
        return "action_start_callback"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=knowledge().content.reply("handoff.start_callback"))
        return [SlotSet(slot, None) for slot in (*CALLBACK_SLOTS, "form_failures")]


PLAIN_QUESTIONS = plain_questions("handoff", CALLBACK_SLOTS, __name__)


class ValidateCallbackForm(ValidateAppointmentForm):
    """Name and phone are read as in booking; best time and reason are free text.

    A message read as a callback request is an answer here: the patient is already giving
    one ("Gus Caller" for the name), and data/rules.yml keeps the form going for it.
    """

    leave_to_rules = tuple(i for i in LEAVE_TO_RULES if i != "request_callback")

    def name(self) -> str:
        return "validate_callback_form"

    def _read_callback_name(self, text, intent, tracker, dispatcher) -> Reading:
        return self._read_field("full_name", text, intent)

    def _read_callback_phone(self, text, intent, tracker, dispatcher) -> Reading:
        return self._read_field("phone", text, intent)

    def _read_callback_time(self, text, intent, tracker, dispatcher) -> Reading:
        return self._read_field("booking_reason", text, intent)

    def _read_callback_reason(self, text, intent, tracker, dispatcher) -> Reading:
        return self._read_field("booking_reason", text, intent)


class ActionCallbackDone(Action):
    """Store the callback request and say when to expect the call."""

    def name(self) -> str:
        return "action_callback_done"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        clinic = schedule()
        now = clinic.now()
        details = CallbackDetails(
            full_name=tracker.get_slot("callback_name"),
            phone=tracker.get_slot("callback_phone"),
            best_time=tracker.get_slot("callback_time"),
            reason=tracker.get_slot("callback_reason"),
            channel=tracker.get_latest_input_channel() or "chat",
        )
        try:
            request_callback(database(), clinic, details, now)
        except DATABASE_ERRORS as error:
            # Not stored: the form comes back for its last answer, so that answering it again
            # retries, with every other answer kept.
            database_unavailable(dispatcher, "handoff.callback_failed", error)
            return [SlotSet(CALLBACK_SLOTS[-1], None), FollowupAction("callback_form")]
        when = reopening(now)
        text = knowledge().content.reply(
            "handoff.callback_stored",
            field=details.full_name.split()[0],
            when=f"after the office opens {when}" if when else "soon, during opening hours",
        )
        dispatcher.utter_message(text=text)
        return [SlotSet(slot, None) for slot in (*CALLBACK_SLOTS, "form_failures")]
