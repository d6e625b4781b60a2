"""End to end: patients book over REST, in several styles, against ./run's real servers.

The clock is fixed at Tuesday 2026-12-01 09:00 in Dallas (conftest.NOW).
"""

from __future__ import annotations

import sqlite3

from tests.e2e.conftest import PHONE, Patient


def stored(server, code: str) -> tuple | None:
    with sqlite3.connect(server["database"]) as db:
        return db.execute(
            "SELECT status, full_name, phone, reason FROM appointments WHERE code = ?", (code,)
        ).fetchone()


def code_of(replies: list[dict]) -> str:
    text = " ".join(r.get("text", "") for r in replies)
    assert "Confirmation code: " in text, text
    return text.split("Confirmation code: ")[1][:6]


def test_plain_booking(server):
    patient = Patient()
    opening = patient.text("I'd like to book an appointment")
    assert "request an appointment" in opening and "main reason" in opening
    steps = [
        ("low back pain", "Have you been a patient"),
        ("new patient", "full name"),
        ("Maria Lopez", "date of birth"),
        ("03/14/1956", "mobile number"),
        ("972-555-0123", "email"),
        ("skip", "When would you like"),
        ("next wednesday morning", "1) Wed Dec 2"),
        ("1", "Shall I book it?"),
    ]
    for message, expected in steps:
        assert expected in patient.text(message), message
    replies = patient.say("yes")
    code = code_of(replies)
    assert "Wed Dec 2, 8:00 AM (Central time)" in replies[-1]["text"]
    assert PHONE in replies[-1]["text"]
    assert stored(server, code) == ("requested", "Maria Lopez", "+19725550123", "low back pain")


def test_after_a_question_the_topic_is_the_suggested_reason(server):
    patient = Patient()
    patient.say("what is a facet injection")
    text = patient.text("/request_appointment")
    assert "Is the visit about facet injections?" in text
    assert "Have you been a patient" in patient.text("yes")


def test_a_question_in_the_middle_is_answered_then_the_form_goes_on(server):
    patient = Patient()
    patient.say("book a visit")
    patient.say("neck pain")
    replies = patient.say("how long does an epidural last?")
    text = " ".join(r["text"] for r in replies)
    assert "weeks or even months" in text
    assert "Have you been a patient" in replies[-1]["text"]


def test_stop_leaves_the_form_and_questions_work_after(server):
    patient = Patient()
    patient.say("make an appt")
    patient.say("hip pain")
    assert "Nothing was booked" in patient.text("never mind")
    assert "spinal facet joint" in patient.text("facet vs trigger point")


def test_sms_shorthand_with_a_correction_and_a_retry(server):
    patient = Patient()
    patient.say("appt asap pls")
    patient.say("sciatica")
    patient.say("returning")
    patient.say("jon smith")
    assert "couldn't read that" in patient.text("yesterday-ish")
    patient.say("1/2/1948")
    assert "US phone number" in patient.text("12345")
    patient.say("214 555 0199")
    assert "updated your phone number" in patient.text("actually my number is 469-555-0100")
    patient.say("jon@example.org")
    assert "1) Tue Dec 1, 11:00 AM" in patient.text("asap")
    patient.say("2")
    code = code_of(patient.say("y"))
    status, name, phone, reason = stored(server, code)
    assert (name, phone, reason) == ("Jon Smith", "+14695550100", "sciatica")
