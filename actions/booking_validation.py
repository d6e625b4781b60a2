"""Read each answer the appointment form gets (validate_appointment_form).

Returning no event rejects the form's turn, so the dialogue rules take over: "stop" leaves
the form, and a question is answered before the form asks its pending question again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import DATABASE_ERRORS, database, database_unavailable, offer, say, schedule
from clinic import booking, booking_form
from clinic.booking_form import FIELD_NAMES, Reading

# After this many unreadable answers to one question, the phone number is offered too.
MAX_FAILURES = 2
# Slots any text fills, so an intent is all that tells a reply to the assistant from them.
FREE_TEXT_SLOTS = (
    "booking_reason", "pain_location", "pain_duration", "treatments_tried",
    "callback_time", "callback_reason",
)  # fmt: skip
# Intents the rules always handle, even in the middle of a form.
LEAVE_TO_RULES = ("red_flag", "human_handoff", "request_callback")
# Intents whose messages, unless they read as a valid answer (the NLU may take a name or a
# code for anything), are left to the rules.
NOT_ANSWERS = ("bot_challenge", "help", "out_of_scope")
# An off-topic guess as unsure as this doesn't keep a reply to a free-text question from
# being the answer ("whenever", "a checkup"): a patient asked the same question again would
# only be told again that the message is off topic.
OFF_TOPIC_SURE = 0.6


def not_an_answer(slot: str, text: str, intent: dict) -> bool:
    """Whether a reply to a free-text question is something else ("are you a bot?")."""
    name, confidence = intent.get("name") or "", intent.get("confidence") or 0.0
    if name not in NOT_ANSWERS or booking_form.plainly_answers(slot, text):
        return False
    return name != "out_of_scope" or confidence >= OFF_TOPIC_SURE


def intake(tracker: Tracker) -> dict[str, Any]:
    """The intake answers for the booking, with skipped ones left out (None)."""
    answers = {
        slot: tracker.get_slot(slot)
        for slot in booking_form.INTAKE_SLOTS
        if tracker.get_slot(slot) not in (None, booking_form.SKIP)
    }
    if "pain_score" in answers:
        answers["pain_score"] = int(answers["pain_score"])
    return answers


class ValidateAppointmentForm(Action):
    """Fill the requested slot from the patient's message, or let the rules handle it."""

    leave_to_rules = LEAVE_TO_RULES

    def name(self) -> str:
        return "validate_appointment_form"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        slot = tracker.get_slot("requested_slot")
        message = tracker.latest_message or {}
        text = (message.get("text") or "").strip()
        intent = (message.get("intent") or {}).get("name") or ""
        # Also called on activation (no slot requested yet) and when the form resumes after a
        # rule answered a question; the same message then gets the same verdict.
        if slot is None:
            return []
        if intent in self.leave_to_rules or booking_form.wants_to_stop(text, intent):
            return []  # a red flag or a request for a person first; "stop" leaves the form
        if slot != "booking_reason" and booking_form.looks_like_question(text, intent):
            return []
        if slot in FREE_TEXT_SLOTS and not_an_answer(slot, text, message.get("intent") or {}):
            return []  # any text would do here: don't take "are you a bot?" for an answer
        correction = booking_form.find_correction(text)
        if correction and correction[0] != slot:
            return self._correct(dispatcher, *correction)
        handler = getattr(self, f"_read_{slot}", None)
        reading = (
            handler(text, intent, tracker, dispatcher)
            if handler
            else self._read_field(slot, text, intent)
        )
        if reading is None:
            return []  # a question, not an answer: let the rules answer it
        if isinstance(reading, list):
            return reading
        if reading.problem and intent in NOT_ANSWERS:
            return []  # not an answer ("are you a bot?"): let the rules reply
        if reading.problem:
            return self._problem(dispatcher, tracker, slot, reading.problem)
        events = [SlotSet(slot, reading.value), SlotSet("form_failures", 0)]
        if slot == "preferred_time":
            try:
                offered = offer(reading.value, schedule().now())
            except DATABASE_ERRORS as error:
                # The open times can't be looked up: the form asks for the time again.
                database_unavailable(dispatcher, "booking.times_unavailable", error)
                return [SlotSet(slot, None)]
            events.append(SlotSet("offered_slots", offered))
        return events

    # -- one reader per slot that needs more than booking_form.read ---------------------
    def _read_field(self, slot: str, text: str, intent: str) -> Reading:
        return booking_form.read(slot, text, intent, schedule().now().date())

    def _read_booking_reason(self, text: str, intent: str, tracker: Tracker, dispatcher):
        suggestion = tracker.get_slot("suggested_reason")
        if suggestion and booking_form.is_yes(text, intent):
            return Reading(suggestion)
        if suggestion and booking_form.is_no(text, intent):
            return [SlotSet("suggested_reason", None)]
        if booking_form.looks_like_question(text, intent):
            return None
        return self._read_field("booking_reason", text, intent)

    def _read_preferred_time(self, text: str, intent: str, tracker: Tracker, dispatcher) -> Reading:
        return booking_form.read_preference(text, schedule().now())

    def _read_slot_choice(self, text: str, intent: str, tracker: Tracker, dispatcher):
        if "other" in text.lower() or booking_form.is_no(text, intent):
            return [SlotSet(s, None) for s in ("preferred_time", "offered_slots", "slot_choice")]
        return booking_form.read_choice(text, tracker.get_slot("offered_slots") or [], schedule())

    def _read_booking_confirmed(self, text: str, intent: str, tracker: Tracker, dispatcher):
        if booking_form.is_no(text, intent):
            return self._start_over_on_time(tracker, dispatcher, "declined")
        if not booking_form.is_yes(text, intent):
            return Reading(problem="invalid_confirm")
        clinic = schedule()
        email = tracker.get_slot("email")
        request = booking.BookingRequest(
            reason=tracker.get_slot("booking_reason"),
            **intake(tracker),
            new_patient=tracker.get_slot("patient_status") == "new",
            full_name=tracker.get_slot("full_name"),
            date_of_birth=date.fromisoformat(tracker.get_slot("date_of_birth")),
            phone=tracker.get_slot("phone"),
            email=None if email == booking_form.SKIP else email,
            starts_at=datetime.fromisoformat(tracker.get_slot("slot_choice")),
            channel=tracker.get_latest_input_channel() or "chat",
        )
        try:
            appointment = booking.book(database(), clinic, request, clinic.now())
        except (booking.SlotTaken, booking.InvalidSlot):
            return self._start_over_on_time(tracker, dispatcher, "slot_taken", keep_preference=True)
        except (*DATABASE_ERRORS, booking.BookingError) as error:
            # Nothing was stored (one transaction): the summary is asked again, and a retried
            # "yes" books once even if the first one did reach the database (booking.book).
            database_unavailable(dispatcher, "booking.failed", error)
            return [SlotSet("booking_confirmed", None)]
        return [SlotSet("booking_confirmed", True), SlotSet("appointment_code", appointment.code)]

    def _start_over_on_time(
        self, tracker: Tracker, dispatcher, why: str, keep_preference: bool = False
    ) -> list[EventType]:
        say(dispatcher, why)
        preferred = tracker.get_slot("preferred_time") if keep_preference else None
        try:
            offered = offer(preferred, schedule().now()) if preferred else None
        except DATABASE_ERRORS as error:
            database_unavailable(dispatcher, "booking.times_unavailable", error)
            preferred = offered = None  # the form asks for the time again
        return [
            SlotSet("preferred_time", preferred),
            SlotSet("offered_slots", offered),
            SlotSet("slot_choice", None),
            SlotSet("booking_confirmed", None),
        ]

    # -- replies ------------------------------------------------------------------------
    def _correct(self, dispatcher, slot: str, text: str) -> list[EventType]:
        value_text = text.split(" is ", 1)[-1] if " is " in text else text
        reading = self._read_field(slot, value_text, "inform")
        if reading.problem:
            say(dispatcher, reading.problem)
            return [SlotSet(slot, None)]
        say(dispatcher, "updated", field=FIELD_NAMES[slot])
        return [SlotSet(slot, reading.value)]

    def _problem(self, dispatcher, tracker: Tracker, slot: str, problem: str) -> list[EventType]:
        failures = int(tracker.get_slot("form_failures") or 0) + 1
        say(dispatcher, problem)
        if failures >= MAX_FAILURES:
            say(dispatcher, "too_many_tries")
        return [SlotSet(slot, None), SlotSet("form_failures", failures)]
