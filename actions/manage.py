"""Cancel or move an appointment, after checking its code and the patient's identity.

The forms cancel_form and reschedule_form share the appointment form's reading of answers
(ValidateAppointmentForm) for the new time; only the code, identity and final yes/no are
read here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import knowledge
from actions.booking import (
    DATABASE_ERRORS,
    MANAGE_SLOTS,
    database,
    database_unavailable,
    for_the_clinic,
    not_for_us,
    plain_questions,
    schedule,
)
from actions.booking_validation import ValidateAppointmentForm
from clinic import booking, booking_form
from clinic.booking import CODE_ALPHABET, CODE_LENGTH
from clinic.booking_form import Reading
from clinic.models import AppointmentStatus
from clinic.patient_details import normalise_phone, parse_date_of_birth

TIME_SLOTS = ("preferred_time", "offered_slots", "slot_choice", "form_failures")


def say(dispatcher: CollectingDispatcher, key: str, **values: str) -> None:
    dispatcher.utter_message(text=knowledge().content.reply(f"manage.{key}", **values))


def label(iso: str) -> str:
    return booking_form.slot_label(datetime.fromisoformat(iso).astimezone(schedule().zone))


class ActionStartCancel(Action):
    """Begin cancelling, with the details of any earlier attempt forgotten."""

    flow = "cancel"

    def name(self) -> str:
        return f"action_start_{self.flow}"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if not for_the_clinic(tracker):
            return not_for_us(dispatcher)
        say(dispatcher, f"start_{self.flow}")
        return [SlotSet(slot, None) for slot in (*MANAGE_SLOTS, *TIME_SLOTS)]


class ActionStartReschedule(ActionStartCancel):
    flow = "reschedule"


PLAIN_QUESTIONS = plain_questions("manage", ("manage_code", "manage_identity"), __name__)


class AskManageConfirmed(Action):
    def name(self) -> str:
        return "action_ask_manage_confirmed"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        moving = tracker.active_loop.get("name") == "reschedule_form"
        when = label(tracker.get_slot("slot_choice" if moving else "manage_when"))
        text = knowledge().content.reply(
            f"manage.{'ask_move' if moving else 'ask_cancel'}", when=when
        )
        buttons = [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionManageDone(Action):
    """Say what was done, then forget the details."""

    def name(self) -> str:
        return "action_manage_done"

    def run(self, dispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("manage_confirmed"):
            if tracker.get_slot("slot_choice"):
                say(
                    dispatcher, "moved", when=label(tracker.get_slot("slot_choice")),
                    zone_name=schedule().zone_label, code=tracker.get_slot("manage_code"),
                )  # fmt: skip
            else:
                say(dispatcher, "cancelled", when=label(tracker.get_slot("manage_when")))
        return [SlotSet(slot, None) for slot in (*MANAGE_SLOTS, *TIME_SLOTS)]


class ValidateCancelForm(ValidateAppointmentForm):
    """Read the code, check the identity, then cancel on "yes"."""

    def name(self) -> str:
        return "validate_cancel_form"

    def _read_manage_code(self, text, intent, tracker, dispatcher):
        code = booking.normalise_code(text.split()[-1] if text.split() else "")
        if len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET):
            return Reading(code)
        return Reading(problem="invalid_manage_code")

    def _read_manage_identity(self, text, intent, tracker, dispatcher):
        born = parse_date_of_birth(text, schedule().now().date())
        phone = None if born else normalise_phone(text)
        if not born and not phone:
            return Reading(problem="invalid_manage_identity")
        try:
            found = booking.find(
                database(), tracker.get_slot("manage_code"), date_of_birth=born, phone=phone
            )
        except booking.NotFound:
            found = None
        except DATABASE_ERRORS as error:
            # The code is kept: the form asks for the date of birth or phone again.
            database_unavailable(dispatcher, "manage.unavailable", error)
            return [SlotSet("manage_identity", None)]
        if found is None or found.status == AppointmentStatus.CANCELLED:
            say(dispatcher, "not_found")
            failures = int(tracker.get_slot("form_failures") or 0) + 1
            return [
                SlotSet("manage_code", None), SlotSet("manage_identity", None),
                SlotSet("form_failures", failures),
            ]  # fmt: skip
        return [
            SlotSet("manage_identity", "verified"),
            SlotSet("manage_when", found.starts_at.isoformat()),
            SlotSet("form_failures", 0),
        ]

    def _read_manage_confirmed(self, text, intent, tracker, dispatcher):
        if booking_form.is_no(text, intent):
            say(dispatcher, "kept")
            return Reading(False)
        if not booking_form.is_yes(text, intent):
            return Reading(problem="invalid_confirm")
        try:
            return self._apply(tracker, dispatcher)
        except DATABASE_ERRORS as error:
            # Nothing was changed (one transaction): the form asks the yes/no again.
            database_unavailable(dispatcher, "manage.unavailable", error)
            return [SlotSet("manage_confirmed", None)]

    def _apply(self, tracker: Tracker, dispatcher) -> Reading | list[EventType]:
        clinic = schedule()
        booking.set_status(
            database(), tracker.get_slot("manage_code"), AppointmentStatus.CANCELLED, clinic.now()
        )
        return Reading(True)

    def _problem(self, dispatcher, tracker: Tracker, slot: str, problem: str) -> list[EventType]:
        if problem.startswith("invalid_manage"):
            say(dispatcher, problem)
            return [SlotSet(slot, None)]
        return super()._problem(dispatcher, tracker, slot, problem)


class ValidateRescheduleForm(ValidateCancelForm):
    """As cancelling, with a new time chosen before the final yes."""

    def name(self) -> str:
        return "validate_reschedule_form"

    def _apply(self, tracker: Tracker, dispatcher) -> Reading | list[EventType]:
        clinic = schedule()
        found = booking.find_for_staff(database(), tracker.get_slot("manage_code"))
        new_start = datetime.fromisoformat(tracker.get_slot("slot_choice"))
        try:
            booking.reschedule(database(), clinic, found, new_start, clinic.now())
        except (booking.SlotTaken, booking.InvalidSlot):
            return self._start_over_on_time(tracker, dispatcher, "slot_taken", keep_preference=True)
        return Reading(True)
