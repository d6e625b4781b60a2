"""clinic.booking_form: reading the answers the appointment form gets."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clinic.booking_form import (
    SKIP,
    booked_message,
    find_correction,
    looks_like_question,
    read,
    read_choice,
    read_preference,
    slot_label,
    summary,
)
from clinic.schedule import Schedule

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def schedule(content) -> Schedule:
    return Schedule.from_config(content.schedule)


@pytest.mark.parametrize(
    "slot, text, value",
    [
        ("patient_status", "new patient", "new"),
        ("patient_status", "i've never been there", "new"),
        ("patient_status", "returning", "returning"),
        ("patient_status", "yes I've been there before", "returning"),
        ("patient_status", "no I haven't been there before", "new"),
        ("patient_status", "first time", "new"),
        ("patient_status", "not new", "returning"),
        ("patient_status", "I'm an existing patient", "returning"),
        ("full_name", "my name is maria lopez", "Maria Lopez"),
        ("date_of_birth", "03/14/1956", "1956-03-14"),
        ("date_of_birth", "March 14 1956", "1956-03-14"),
        ("phone", "(972) 555-0123", "+19725550123"),
        ("email", "Pat@Example.org", "Pat@example.org"),
        ("email", "skip", SKIP),
        ("email", "no thanks", SKIP),
        ("booking_reason", "low back pain", "low back pain"),
        ("booking_reason", "not sure", "not sure"),
        ("booking_reason", "knee", "knee"),
        ("full_name", "Doris Day", "Doris Day"),
        ("full_name", "Rickey Weeks", "Rickey Weeks"),
        ("full_name", "An Nguyen", "An Nguyen"),
    ],
)
def test_valid_answers_are_normalised(slot, text, value):
    assert read(slot, text, "inform", TODAY).value == value


@pytest.mark.parametrize(
    "slot, text, problem",
    [
        ("patient_status", "banana", "invalid_patient_status"),
        ("full_name", "maria", "invalid_full_name"),
        ("full_name", "972 555 0123", "invalid_full_name"),
        # an answer to an earlier question is not a name
        ("full_name", "a year", "invalid_full_name"),
        ("full_name", "about three months", "invalid_full_name"),
        # "no", "ok thanks", "hi", an emoji or "??" say nothing of why the patient is coming
        ("booking_reason", "No", "invalid_booking_reason"),
        ("booking_reason", "ok thanks", "invalid_booking_reason"),
        ("booking_reason", "hi", "invalid_booking_reason"),
        ("booking_reason", "\U0001f44d", "invalid_booking_reason"),
        ("booking_reason", "??", "invalid_booking_reason"),
        ("date_of_birth", "tomorrow", "invalid_date_of_birth"),
        ("date_of_birth", "02/30/1956", "invalid_date_of_birth"),
        ("phone", "12345", "invalid_phone"),
        ("email", "pat at example", "invalid_email"),
    ],
)
def test_invalid_answers_say_what_is_wrong(slot, text, problem):
    reading = read(slot, text, "inform", TODAY)
    assert reading.value is None and reading.problem == problem


def test_a_question_is_told_apart_from_an_answer():
    assert looks_like_question("how long does it last?", "ask_how_long_lasts")
    assert looks_like_question("what is an ESI", "ask_epidural")
    assert not looks_like_question("facet injections", "ask_facet")
    assert not looks_like_question("what is an ESI", "inform")


def test_corrections_name_the_field():
    assert find_correction("actually my number is 214 555 0199") == (
        "phone",
        "actually my number is 214 555 0199",
    )
    assert find_correction("sorry, my name is Pat Smith")[0] == "full_name"
    assert find_correction("next tuesday") is None


def test_preferences_are_read_in_the_clinic_zone(schedule):
    now = datetime(2026, 12, 1, 9, tzinfo=schedule.zone)
    assert read_preference("next tuesday afternoon", now).value == "next tuesday afternoon"
    assert read_preference("banana", now).problem == "invalid_preferred_time"


def test_choosing_an_offered_time(schedule):
    offered = [
        datetime(2026, 12, 3, h, m, tzinfo=schedule.zone).isoformat()
        for h, m in ((12, 0), (14, 30), (15, 0))
    ]
    assert read_choice("2", offered, schedule).value == offered[1]
    assert read_choice("the third one", offered, schedule).value == offered[2]
    assert read_choice("2:30 works", offered, schedule).value == offered[1]
    assert read_choice("Thu Dec 3, 12:00 PM", offered, schedule).value == offered[0]
    assert read_choice("7", offered, schedule).problem == "invalid_slot_choice"


def test_summary_and_confirmation(content, schedule):
    slots = {
        "booking_reason": "facet injections",
        "patient_status": "new",
        "full_name": "Pat Example",
        "date_of_birth": "1956-03-14",
        "phone": "+19725550123",
        "email": SKIP,
        "slot_choice": datetime(2026, 12, 3, 14, 30, tzinfo=schedule.zone).isoformat(),
    }
    text = summary(slots, schedule)
    assert text.startswith("Thu Dec 3, 2:30 PM, New patient consultation, for facet injections")
    assert "born 03/14/1956" in text and "(972) 555-0123" in text and SKIP not in text
    message = booked_message(
        content, schedule, "K7M4XR", datetime.fromisoformat(slots["slot_choice"])
    )
    assert "Confirmation code: K7M4XR" in message
    assert "Thu Dec 3, 2:30 PM (Central time)" in message
    assert "972-596-1059" in message and "photo ID" in message
    assert slot_label(datetime(2026, 12, 3, 9, 0, tzinfo=schedule.zone)) == "Thu Dec 3, 9:00 AM"


@pytest.mark.parametrize("text", ["stop", "Never mind", "nevermind", "cancel that", "forget it"])
def test_stop_words_leave_the_form_whatever_the_intent(text):
    from clinic.booking_form import wants_to_stop

    assert wants_to_stop(text, "deny")
    assert not wants_to_stop("no", "deny")


@pytest.mark.parametrize(
    "slot, text, value",
    [
        ("pain_score", "7", "7"),
        ("pain_score", "about an 8 out of 10", "8"),
        ("pain_score", "10/10", "10"),
        ("pain_score", "skip", SKIP),
        ("pain_location", "lower back, left side", "lower back, left side"),
        ("pain_duration", "skip", SKIP),
        ("treatments_tried", "ibuprofen, PT and one ESI", "ibuprofen, PT and one ESI"),
    ],
)
def test_intake_answers_can_be_skipped(slot, text, value):
    assert read(slot, text, "inform", TODAY).value == value


def test_a_pain_score_must_be_a_number_from_0_to_10():
    assert read("pain_score", "really bad", "inform", TODAY).problem == "invalid_pain_score"
