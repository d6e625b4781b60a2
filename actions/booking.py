"""The appointment form: start it, ask each question, read each answer, book, stop.

The reading and checking live in clinic.booking_form and the storage in clinic.booking;
these actions only move values between Rasa's tracker and those functions.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.answers import knowledge
from clinic import booking, booking_form
from clinic.booking_form import FORM_SLOTS
from clinic.db import session_factory, upgrade
from clinic.patient_details import format_phone, normalise_phone
from clinic.schedule import Schedule, matches, open_slots
from clinic.when import parse_preference

SMS_CHANNELS = ("twilio", "twilio_sms")
SKIP = {"title": "Skip", "payload": "skip"}
EXTRA_SLOTS = ("suggested_reason", "offered_slots", "appointment_code", "form_failures")
# The cancel and reschedule forms' own slots (actions/manage.py).
MANAGE_SLOTS = ("manage_code", "manage_identity", "manage_when", "manage_confirmed")
# The callback form's slots (actions/handoff.py).
CALLBACK_SLOTS = ("callback_name", "callback_phone", "callback_time", "callback_reason")
# What the booking database raises when it can't be reached (down, restarting, refusing
# connections). An action that meets one says so, with the clinic's phone number, and keeps
# the form's answers so that the patient can simply try again: an action that raised instead
# would make the action server answer 500, and the patient would get no reply at all.
DATABASE_ERRORS = (SQLAlchemyError,)

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def schedule() -> Schedule:
    return Schedule.from_config(knowledge().content.schedule)


@lru_cache(maxsize=1)
def database():
    upgrade()  # the schema is created or migrated when the action server first books
    return session_factory()


def say(dispatcher: CollectingDispatcher, key: str, **values: str) -> None:
    dispatcher.utter_message(text=knowledge().content.reply(f"booking.{key}", **values))


def database_unavailable(dispatcher: CollectingDispatcher, key: str, error: Exception) -> None:
    """Say the reply `key` (it gives the phone number) after a database error.

    Only the error's class is logged: its message can hold the SQL parameters, which are
    patients' details.
    """
    logger.warning("booking database unavailable (%s); the patient was told", type(error).__name__)
    dispatcher.utter_message(text=knowledge().content.reply(key))


def offer(preferred: str, now: datetime) -> list[str]:
    """ISO times of the open slots to offer for a preferred time."""
    preference = parse_preference(preferred, now)
    if preference is None:
        return []
    clinic = schedule()
    taken = booking.taken_slots(database(), now, now + clinic.window + timedelta(days=1))
    return [slot.isoformat() for slot in open_slots(clinic, preference, taken, now)]


def for_the_clinic(tracker: Tracker) -> bool:
    """Whether the message that starts a form is a request for the clinic (clinic.knowledge)."""
    message = tracker.latest_message or {}
    confidence = (message.get("intent") or {}).get("confidence", 1.0)
    return knowledge().is_for_the_clinic(confidence, message.get("text") or "")


def not_for_us(dispatcher: CollectingDispatcher) -> list[EventType]:
    """Say so and start no form: the rule's form is skipped by listening instead."""
    dispatcher.utter_message(text=knowledge().content.reply("not_understood"))
    return [FollowupAction("action_listen")]


class ActionStartBooking(Action):
    """Begin a booking with fresh slots, suggesting the topic just discussed as the reason."""

    def name(self) -> str:
        return "action_start_booking"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if not for_the_clinic(tracker):
            return not_for_us(dispatcher)
        say(dispatcher, "start")
        topic = knowledge().content.topics.get(tracker.get_slot("topic") or "")
        suggestion = (
            topic.name if topic and (topic.is_treatment or topic.key == "compare") else None
        )
        events = [SlotSet(slot, None) for slot in (*FORM_SLOTS, *EXTRA_SLOTS)]
        return [*events, SlotSet("suggested_reason", suggestion), SlotSet("form_failures", 0)]


class ActionStopBooking(Action):
    """Leave the form: nothing is booked and every detail given is forgotten."""

    def name(self) -> str:
        return "action_stop_booking"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        say(dispatcher, "stopped")
        slots = (*FORM_SLOTS, *EXTRA_SLOTS, *MANAGE_SLOTS, *CALLBACK_SLOTS)
        return [SlotSet(slot, None) for slot in slots]


class ActionBookingDone(Action):
    """After the form: confirm the booking, then forget the patient's details."""

    def name(self) -> str:
        return "action_booking_done"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        code = tracker.get_slot("appointment_code")
        starts_at = datetime.fromisoformat(tracker.get_slot("slot_choice"))
        text = booking_form.booked_message(knowledge().content, schedule(), code, starts_at)
        dispatcher.utter_message(text=text)
        # The confirmation (code and time, no patient details) is kept, so that a "yes" sent
        # again because this reply never arrived gets it again (actions/answers.py).
        forget = [SlotSet(slot, None) for slot in (*FORM_SLOTS, *EXTRA_SLOTS)]
        return [*forget, SlotSet("last_confirmation", text)]


class AskAction(Action):
    """Ask for one slot of a form; subclasses name the slot (and where its question is)."""

    slot = ""
    replies = "booking"  # the section of content/replies.yml with the question
    skippable = False  # offer a Skip quick reply

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = knowledge().content.reply(f"{self.replies}.ask_{self.slot}")
        dispatcher.utter_message(text=text, buttons=[SKIP] if self.skippable else [])
        return []


def plain_questions(
    section: str, slots: tuple[str, ...], module: str, skippable: bool = False
) -> dict[str, type]:
    """An ask action for each slot whose question is just its text in replies.yml."""
    return {
        slot: type(
            f"Ask_{slot}",
            (AskAction,),
            {"slot": slot, "replies": section, "skippable": skippable, "__module__": module},
        )
        for slot in slots
    }


# Kept in a module-level name: rasa_sdk finds actions among Action's (weakly held) subclasses.
PLAIN_QUESTIONS = plain_questions(
    "booking", ("full_name", "date_of_birth", "preferred_time"), __name__
)
# The intake questions for the clinician can each be skipped.
INTAKE_QUESTIONS = plain_questions(
    "booking",
    ("pain_location", "pain_duration", "pain_score", "treatments_tried"),
    __name__,
    skippable=True,
)


class AskReason(AskAction):
    slot = "booking_reason"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        suggestion = tracker.get_slot("suggested_reason")
        if not suggestion:
            say(dispatcher, "ask_reason")
            return []
        text = knowledge().content.reply("booking.ask_reason_suggested", topic=suggestion)
        dispatcher.utter_message(
            text=text,
            buttons=[{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}],
        )
        return []


class AskPatientStatus(AskAction):
    slot = "patient_status"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = knowledge().content.reply("booking.ask_patient_status")
        buttons = [
            {"title": "New patient", "payload": "new patient"},
            {"title": "Returning patient", "payload": "returning patient"},
        ]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class AskPhone(AskAction):
    slot = "phone"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = knowledge().content.reply("booking.ask_phone")
        # By text message, the number the patient writes from is offered as a quick reply.
        sender = normalise_phone(tracker.sender_id or "")
        if tracker.get_latest_input_channel() in SMS_CHANNELS and sender:
            button = {"title": f"Use {format_phone(sender)}", "payload": sender}
            dispatcher.utter_message(text=text, buttons=[button])
        else:
            dispatcher.utter_message(text=text)
        return []


class AskEmail(AskAction):
    slot = "email"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = knowledge().content.reply("booking.ask_email")
        dispatcher.utter_message(text=text, buttons=[SKIP])
        return []


class AskSlotChoice(AskAction):
    slot = "slot_choice"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        clinic = schedule()
        offered = [datetime.fromisoformat(iso) for iso in tracker.get_slot("offered_slots") or []]
        preference = parse_preference(tracker.get_slot("preferred_time") or "", clinic.now())
        matched = preference is not None and any(matches(s, preference) for s in offered)
        lines = [booking_form.slot_label(s.astimezone(clinic.zone)) for s in offered]
        intro = knowledge().content.reply(
            "booking.ask_slot_choice" if matched else "booking.ask_slot_choice_nearest"
        )
        text = "\n".join([intro, *(f"{i}) {line}" for i, line in enumerate(lines, 1))])
        buttons = [{"title": f"{i}) {line}", "payload": str(i)} for i, line in enumerate(lines, 1)]
        buttons.append({"title": "Other times", "payload": "other times"})
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class AskBookingConfirmed(AskAction):
    slot = "booking_confirmed"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        details = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        summary = booking_form.summary(details, schedule())
        text = knowledge().content.reply("booking.ask_confirm", summary=summary)
        buttons = [{"title": "Yes, book it", "payload": "yes"}, {"title": "No", "payload": "no"}]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
