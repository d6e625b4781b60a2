"""When the booking database can't be reached, every action that uses it still replies.

The database here is a real PostgreSQL URL on a port where nothing listens, so each call
fails as an outage does (sqlalchemy's OperationalError). The patient must get a reply with
the clinic's phone number, and the form must keep its answers so that trying again works.
tests/faults/ does the same against running servers and a PostgreSQL that stops accepting
connections.
"""

from __future__ import annotations

import logging

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.booking as booking_actions
from actions.booking_validation import ValidateAppointmentForm
from actions.handoff import ActionCallbackDone
from actions.manage import ValidateCancelForm, ValidateRescheduleForm
from clinic.booking_form import SKIP
from tests.actions.test_booking_actions import NOW, tracker, validate

PHONE = "972-596-1059"
NOBODY_LISTENS = "postgresql+psycopg2://postgres@127.0.0.1:9/clinic"
DETAILS = {
    "booking_reason": "neck pain", "patient_status": "new", "full_name": "Pat Outage",
    "date_of_birth": "1956-03-14", "phone": "+19725550188", "email": SKIP,
    "preferred_time": "thursday afternoon", "slot_choice": "2026-12-03T12:00:00-06:00",
    "pain_location": SKIP, "pain_duration": SKIP, "pain_score": SKIP, "treatments_tried": SKIP,
}  # fmt: skip


def use_database(monkeypatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    booking_actions.database.cache_clear()


@pytest.fixture(autouse=True)
def database_down(monkeypatch):
    monkeypatch.setenv("CLINIC_NOW", NOW)
    use_database(monkeypatch, NOBODY_LISTENS)
    yield
    booking_actions.database.cache_clear()


def run(action, text: str, requested: str | None = None, **slots):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(text, "inform", requested, **slots), {})
    return events, [m["text"] for m in dispatcher.messages]


def test_a_confirmation_in_an_outage_asks_to_retry_and_books_once_the_database_is_back(
    monkeypatch, tmp_path, caplog
):
    with caplog.at_level(logging.DEBUG):
        events, said = validate("yes", "affirm", "booking_confirmed", **DETAILS)
    assert events == [SlotSet("booking_confirmed", None)]
    assert "couldn't be saved" in said[0] and PHONE in said[0]
    # The log names the error's class, never the patient's details in its SQL parameters.
    assert "OperationalError" in caplog.text
    assert not any(value in caplog.text for value in ("Pat Outage", "+19725550188", "1956"))
    use_database(monkeypatch, f"sqlite:///{tmp_path / 'clinic.db'}")
    events, said = validate("yes", "affirm", "booking_confirmed", **DETAILS)
    assert SlotSet("booking_confirmed", True) in events and said == []


def test_offering_times_in_an_outage_asks_for_the_time_again():
    events, said = validate("thursday afternoon", requested="preferred_time")
    assert events == [SlotSet("preferred_time", None)]
    assert "can't look up the open times" in said[0] and PHONE in said[0]


def test_new_times_after_a_taken_slot_in_an_outage_ask_for_the_time_again():
    dispatcher = CollectingDispatcher()
    events = ValidateAppointmentForm()._start_over_on_time(
        tracker("yes", "affirm", "booking_confirmed", **DETAILS), dispatcher, "slot_taken",
        keep_preference=True,
    )  # fmt: skip
    said = [m["text"] for m in dispatcher.messages]
    assert "just taken" in said[0] and "can't look up the open times" in said[1]
    assert SlotSet("preferred_time", None) in events and SlotSet("offered_slots", None) in events


@pytest.mark.parametrize("form", [ValidateCancelForm(), ValidateRescheduleForm()])
def test_finding_an_appointment_in_an_outage_keeps_the_code(form):
    events, said = run(form, "03/14/1956", "manage_identity", manage_code="K7M4XR")
    assert events == [SlotSet("manage_identity", None)]
    assert "can't reach the appointment records" in said[0] and PHONE in said[0]


@pytest.mark.parametrize("form", [ValidateCancelForm(), ValidateRescheduleForm()])
def test_cancelling_or_moving_in_an_outage_asks_again(form):
    slots = {"manage_code": "K7M4XR", "manage_identity": "verified",
             "manage_when": "2026-12-03T12:00:00-06:00",
             "slot_choice": "2026-12-04T10:00:00-06:00"}  # fmt: skip
    events, said = run(form, "yes", "manage_confirmed", **slots)
    assert events == [SlotSet("manage_confirmed", None)]
    assert "nothing was changed" in said[0] and PHONE in said[0]


def test_a_callback_request_in_an_outage_comes_back_to_its_last_question():
    slots = {"callback_name": "Ann Lee", "callback_phone": "+12145550142",
             "callback_time": "mornings", "callback_reason": "my bill"}  # fmt: skip
    events, said = run(ActionCallbackDone(), "my bill", **slots)
    assert events == [SlotSet("callback_reason", None), FollowupAction("callback_form")]
    assert "couldn't be saved" in said[0] and PHONE in said[0]
