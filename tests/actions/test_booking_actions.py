"""The booking form's validation action, with real trackers and a real SQLite database."""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.booking as booking_actions
from actions.booking import ActionStartBooking, AskSlotChoice
from actions.booking_validation import ValidateAppointmentForm
from clinic.booking import find_for_staff
from clinic.booking_form import SKIP

NOW = "2026-12-01T09:00:00-06:00"


@pytest.fixture(autouse=True)
def clinic_db(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'clinic.db'}")
    monkeypatch.setenv("CLINIC_NOW", NOW)
    booking_actions.database.cache_clear()
    yield
    booking_actions.database.cache_clear()


def tracker(text: str, intent: str = "inform", requested: str | None = None, **slots) -> Tracker:
    return Tracker(
        sender_id="patient",
        slots={"requested_slot": requested, **slots},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "appointment_form"},
        latest_action_name="appointment_form",
    )


def validate(text: str, intent: str = "inform", requested: str | None = None, **slots):
    dispatcher = CollectingDispatcher()
    events = ValidateAppointmentForm().run(
        dispatcher, tracker(text, intent, requested, **slots), {}
    )
    return events, [m["text"] for m in dispatcher.messages]


def test_a_valid_phone_is_normalised():
    events, said = validate("(972) 555-0123", requested="phone")
    assert SlotSet("phone", "+19725550123") in events and said == []


def test_invalid_twice_offers_the_phone_number():
    events, said = validate("12345", requested="phone", form_failures=1)
    assert SlotSet("phone", None) in events and SlotSet("form_failures", 2) in events
    assert "US phone number" in said[0] and "972-596-1059" in said[1]


@pytest.mark.parametrize(
    "text, intent",
    [("stop", "stop"), ("never mind", "deny"), ("how long does it last?", "ask_how_long_lasts")],
)
def test_stop_and_questions_are_left_to_the_rules(text, intent):
    assert validate(text, intent, requested="full_name") == ([], [])


def test_a_correction_updates_an_earlier_answer():
    events, said = validate("actually my number is 214 555 0199", requested="email")
    assert events == [SlotSet("phone", "+12145550199")]
    assert "updated your phone number" in said[0]


def test_the_suggested_reason_is_confirmed_or_dropped():
    events, _ = validate("yes", "affirm", "booking_reason", suggested_reason="facet injections")
    assert SlotSet("booking_reason", "facet injections") in events
    events, _ = validate("no", "deny", "booking_reason", suggested_reason="facet injections")
    assert events == [SlotSet("suggested_reason", None)]


def test_no_for_a_reason_is_asked_again_not_stored():
    events, said = validate("No", intent="deny", requested="booking_reason")
    assert SlotSet("booking_reason", None) in events
    assert not any(e.get("name") == "booking_reason" and e.get("value") for e in events)
    assert "what you would like to be seen for" in said[0] and '"stop"' in said[0]


def test_a_preferred_time_brings_offers():
    events, _ = validate("thursday afternoon", requested="preferred_time")
    offered = next(e["value"] for e in events if e["name"] == "offered_slots")
    assert offered[0] == "2026-12-03T12:00:00-06:00" and len(offered) == 3


def test_yes_books_and_a_second_patient_gets_new_times():
    details = {
        "booking_reason": "neck pain", "patient_status": "new", "full_name": "Pat Example",
        "date_of_birth": "1956-03-14", "phone": "+19725550123", "email": SKIP,
        "preferred_time": "thursday afternoon", "slot_choice": "2026-12-03T12:00:00-06:00",
        "pain_location": "neck", "pain_duration": SKIP, "pain_score": "6",
        "treatments_tried": "heat",
    }  # fmt: skip
    events, _ = validate("yes", "affirm", "booking_confirmed", **details)
    assert SlotSet("booking_confirmed", True) in events
    code = next(e["value"] for e in events if e["name"] == "appointment_code")
    stored = find_for_staff(booking_actions.database(), code)
    assert (stored.pain_location, stored.pain_duration, stored.pain_score) == ("neck", None, 6)
    assert stored.treatments_tried == "heat"
    other = {**details, "phone": "+19725550124", "date_of_birth": "1970-01-01"}
    events, said = validate("yes", "affirm", "booking_confirmed", **other)
    assert "just taken" in said[0]
    assert SlotSet("slot_choice", None) in events
    offered = next(e["value"] for e in events if e["name"] == "offered_slots")
    assert "2026-12-03T12:00:00-06:00" not in offered


def test_start_suggests_the_topic_and_slot_choices_are_numbered_buttons():
    dispatcher = CollectingDispatcher()
    events = ActionStartBooking().run(
        dispatcher, tracker("book", "request_appointment", topic="epidural"), {}
    )
    assert SlotSet("suggested_reason", "epidural steroid injections") in events
    dispatcher = CollectingDispatcher()
    offered = ["2026-12-03T12:00:00-06:00", "2026-12-03T12:30:00-06:00"]
    AskSlotChoice().run(
        dispatcher,
        tracker(
            "", requested="slot_choice", offered_slots=offered, preferred_time="thursday afternoon"
        ),
        {},
    )
    message = dispatcher.messages[0]
    assert message["text"].startswith("These times are open:\n1) Thu Dec 3, 12:00 PM")
    assert [b["payload"] for b in message["buttons"]] == ["1", "2", "other times"]
    assert datetime.fromisoformat(offered[0]).hour == 12


def test_by_sms_the_sender_s_number_is_offered():
    from actions.booking import AskPhone

    sms = tracker("", requested="phone")
    sms.sender_id = "+19725550123"
    sms.events = [{"event": "user", "text": "book", "input_channel": "twilio_sms"}]
    dispatcher = CollectingDispatcher()
    AskPhone().run(dispatcher, sms, {})
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Use (972) 555-0123", "payload": "+19725550123"}
    ]
    web = tracker("", requested="phone")
    web.events = [{"event": "user", "text": "book", "input_channel": "socketio"}]
    dispatcher = CollectingDispatcher()
    AskPhone().run(dispatcher, web, {})
    assert not dispatcher.messages[0]["buttons"]


def test_a_valid_answer_counts_whatever_the_nlu_made_of_it():
    events, _ = validate("my name is Wren Okafor", "out_of_scope", requested="full_name")
    assert SlotSet("full_name", "Wren Okafor") in events
    assert validate("are you a bot", "bot_challenge", requested="full_name") == ([], [])
    assert validate("are you a bot", "bot_challenge", requested="booking_reason") == ([], [])


def validate_unsure(text: str, intent: str, confidence: float, requested: str):
    patient = tracker(text, intent, requested)
    patient.latest_message["intent"]["confidence"] = confidence
    return ValidateAppointmentForm().run(CollectingDispatcher(), patient, {})


@pytest.mark.parametrize("text", ["a year", "about a year", "over 10 yrs", "for ages", "3 wks"])
def test_a_span_of_time_answers_how_long_the_pain_has_lasted_even_if_read_as_off_topic(text):
    events = validate_unsure(text, "out_of_scope", 0.95, "pain_duration")
    assert SlotSet("pain_duration", text) in events


def test_an_unsure_off_topic_guess_does_not_stop_a_free_text_answer():
    assert SlotSet("booking_reason", "a checkup") in validate_unsure(
        "a checkup", "out_of_scope", 0.58, "booking_reason"
    )
    assert validate_unsure("a checkup", "out_of_scope", 0.9, "booking_reason") == []


@pytest.mark.parametrize("slot", ["pain_duration", "pain_location", "treatments_tried"])
def test_a_sure_off_topic_message_is_still_left_to_the_rules(slot):
    assert validate_unsure("what's the weather like in dallas", "out_of_scope", 0.9, slot) == []
    assert validate_unsure("are you a bot", "bot_challenge", 0.4, slot) == []


@pytest.mark.parametrize(
    ("text", "confidence", "starts"),
    [
        ("please book another boat for this weekends trip", 0.45, False),
        ("I need an appointment about my back", 0.45, True),  # unsure, but about the clinic
        ("book me in", 0.95, True),  # sure
    ],
)
def test_a_booking_starts_only_for_the_clinic(text, confidence, starts):
    message = tracker(text, "request_appointment")
    message.latest_message["intent"]["confidence"] = confidence
    dispatcher = CollectingDispatcher()
    events = ActionStartBooking().run(dispatcher, message, {})
    assert (FollowupAction("action_listen") not in events) is starts
    assert ("didn't understand" in dispatcher.messages[0]["text"]) is not starts
