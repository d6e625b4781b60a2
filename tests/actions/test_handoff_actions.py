"""The path to a person, by opening hours (CLINIC_NOW sets the clock), with real trackers."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.booking as booking_actions
from actions.booking_validation import ValidateAppointmentForm
from actions.handoff import ActionCallbackDone, ActionHandoff, ValidateCallbackForm
from actions.session import ActionSessionStart
from clinic.callbacks import open_callbacks
from clinic.db import session_factory

OPEN = "2026-12-01T09:00:00-06:00"  # Tuesday morning
CLOSED = "2026-12-04T18:30:00-06:00"  # Friday evening, after the 15:00 close


@pytest.fixture(autouse=True)
def clinic_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    booking_actions.database.cache_clear()
    yield url
    booking_actions.database.cache_clear()


def tracker(**slots) -> Tracker:
    return Tracker(
        "patient", slots, {"text": "", "intent": {}}, [], False, None, {}, "action_listen"
    )


def say(action, monkeypatch, now: str, **slots) -> list[str]:
    monkeypatch.setenv("CLINIC_NOW", now)
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker(**slots), {})
    return dispatcher.messages


def test_in_opening_hours_a_person_means_the_phone_and_a_callback(monkeypatch):
    [message] = say(ActionHandoff(), monkeypatch, OPEN)
    assert "open now" in message["text"] and "972-596-1059" in message["text"]
    monkeypatch.setenv("CLINIC_NOW", OPEN)
    assert ActionHandoff().run(CollectingDispatcher(), tracker(), {})[0]["value"] is True
    assert message["buttons"][0]["payload"] == "/request_callback"


def test_after_hours_the_office_is_closed_and_reopens_monday(monkeypatch):
    [message] = say(ActionHandoff(), monkeypatch, CLOSED)
    assert "closed now and reopens Mon Dec 7, 8:00 AM" in message["text"]
    assert "callback request" in message["text"]
    events = ActionHandoff().run(CollectingDispatcher(), tracker(), {})
    assert events[0]["name"] == "office_open" and events[0]["value"] is False


def test_the_first_message_says_when_the_office_reopens_after_hours(monkeypatch):
    assert "reopens" not in say(ActionSessionStart(), monkeypatch, OPEN)[0]["text"]
    closed = say(ActionSessionStart(), monkeypatch, CLOSED)[0]["text"]
    assert "automated assistant" in closed and "reopens Mon Dec 7, 8:00 AM" in closed


def test_a_callback_request_is_stored_for_the_next_business_day(monkeypatch, clinic_db):
    details = {
        "callback_name": "Ann Lee", "callback_phone": "+12145550142",
        "callback_time": "mornings", "callback_reason": "my injection site is sore",
    }  # fmt: skip
    [message] = say(ActionCallbackDone(), monkeypatch, CLOSED, **details)
    assert "Thanks, Ann" in message["text"] and "Mon Dec 7, 8:00 AM" in message["text"]
    [stored] = open_callbacks(session_factory(clinic_db))
    assert (stored.full_name, stored.phone, stored.best_time) == (
        "Ann Lee",
        "+12145550142",
        "mornings",
    )
    assert stored.due.isoformat() == "2026-12-07T14:00:00+00:00"


def test_in_a_form_a_person_means_how_to_reach_one_and_the_form_goes_on(monkeypatch):
    from actions.handoff import ActionHandoffInForm

    monkeypatch.setenv("CLINIC_NOW", CLOSED)
    dispatcher = CollectingDispatcher()
    assert ActionHandoffInForm().run(dispatcher, tracker(), {}) == []
    assert "After this, I can take a callback request" in dispatcher.messages[0]["text"]


def answer(form, slot: str, text: str, intent: str) -> list:
    """What `form` makes of `text` (read by the NLU as `intent`) when it asked for `slot`."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.31}}
    asked = Tracker(
        "patient", {"requested_slot": slot}, message, [], False, None, {}, "action_listen"
    )
    return form.run(CollectingDispatcher(), asked, {})


def test_in_the_callback_form_an_answer_read_as_a_callback_request_is_still_the_answer():
    """A name such as "Gus Caller" can read as request_callback: starting the callback form
    over would lose what the patient gave, so the callback form reads it as the name..."""
    events = answer(ValidateCallbackForm(), "callback_name", "Gus Caller", "request_callback")
    assert ("callback_name", "Gus Caller") in [(e["name"], e["value"]) for e in events]


def test_in_the_booking_form_a_callback_request_is_left_to_the_rules():
    """... while in the booking form a callback request switches to the callback form."""
    form = ValidateAppointmentForm()
    assert answer(form, "full_name", "please call me back instead", "request_callback") == []
