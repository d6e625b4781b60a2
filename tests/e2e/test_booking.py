"""End to end: patients book over REST, in several styles, against ./run's real servers.

The clock is fixed at Tuesday 2026-12-01 09:00 in Dallas (conftest.NOW).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from clinic.db import session_factory
from clinic.models import Appointment, CallbackRequest
from tests.e2e.conftest import PHONE, Patient


def stored(server, code: str) -> tuple | None:
    """The appointment as the models read it (decrypted with the test key ./run was given)."""
    with session_factory(f"sqlite:///{server['database']}")() as session:
        found = session.scalars(select(Appointment).where(Appointment.code == code)).first()
    return found and (found.status.value, found.full_name, found.phone, found.reason)


def raw(server, query: str, *params) -> str:
    """What the database file holds, undecrypted, as text to search."""
    with sqlite3.connect(server["database"]) as db:
        return repr(db.execute(query, params).fetchall())


def code_of(replies: list[dict]) -> str:
    text = " ".join(r.get("text", "") for r in replies)
    assert "Confirmation code: " in text, text
    return text.split("Confirmation code: ")[1][:6]


# A plain booking, message by message, with what each reply says (the scaled-out test in
# tests/deploy replays it across replicas).
BOOKING_STEPS = [
    ("I'd like to book an appointment", "main reason"),
    ("low back pain", "Have you been a patient"),
    ("new patient", "Where does it hurt?"),
    ("my lower back and left hip", "How long"),
    ("about 3 months", "0 (none) to 10"),
    ("7", "What have you tried"),
    ("physical therapy and ibuprofen", "full name"),
    ("Maria Lopez", "date of birth"),
    ("03/14/1956", "mobile number"),
    ("972-555-0123", "email"),
    ("skip", "When would you like"),
    ("next wednesday morning", "1) Wed Dec 2"),
    ("1", "Shall I book it?"),
]


def test_plain_booking(server):
    patient = Patient()
    opening = patient.text(BOOKING_STEPS[0][0])
    assert "request an appointment" in opening and BOOKING_STEPS[0][1] in opening
    for message, expected in BOOKING_STEPS[1:]:
        assert expected in patient.text(message), message
    replies = patient.say("yes")
    code = code_of(replies)
    assert "Wed Dec 2, 8:00 AM (Central time)" in replies[-1]["text"]
    assert PHONE in replies[-1]["text"]
    assert stored(server, code) == ("requested", "Maria Lopez", "+19725550123", "low back pain")
    columns = raw(server, "SELECT full_name, phone, date_of_birth FROM appointments WHERE code = ?",
                  code)  # fmt: skip
    assert columns.count("gAAAAA") == 3  # Fernet tokens, ...
    assert "Maria" not in columns and "5550123" not in columns and "1956" not in columns
    with sqlite3.connect(server["database"]) as db:
        intake = db.execute(
            "SELECT pain_location, pain_duration, pain_score, treatments_tried"
            " FROM appointments WHERE code = ?",
            (code,),
        ).fetchone()
    assert intake == (
        "my lower back and left hip",
        "about 3 months",
        7,
        "physical therapy and ibuprofen",
    )


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
    for _ in range(4):
        patient.say("skip")  # the intake questions
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


def book_quickly(patient: Patient, when: str = "thursday morning", choice: str = "1") -> str:
    for message in ("book an appointment", "knee pain", "new", "skip", "skip", "skip", "skip",
                    "Ann Lee", "07/04/1950",
                    "214-555-0142", "skip", when, choice):  # fmt: skip
        patient.say(message)
    return code_of(patient.say("yes"))


def test_cancel_needs_the_code_and_identity_and_frees_the_slot(server):
    code = book_quickly(Patient())
    stranger = Patient()
    stranger.say("I need to cancel my appointment")
    stranger.say(code)
    refused = stranger.text("01/01/1980")
    assert "couldn't find" in refused and "Thu" not in refused
    assert stored(server, code)[0] == "requested"
    owner = Patient()
    owner.say("cancel my appt")
    owner.say(f"my code is {code.lower()}")
    assert "Cancel your appointment on Thu Dec 3, 8:00 AM?" in owner.text("214 555 0142")
    assert "is cancelled" in owner.text("yes")
    assert stored(server, code)[0] == "cancelled"
    assert code_of_next(Patient()) != code  # the freed slot can be booked again


def code_of_next(patient: Patient) -> str:
    return book_quickly(patient)


def test_reschedule_moves_the_appointment(server):
    code = book_quickly(Patient(), when="friday afternoon")
    patient = Patient()
    patient.say("can i move my appointment")
    patient.say(code)
    assert "When would you like" in patient.text("07/04/1950")
    assert "1) Mon Dec 7" in patient.text("next monday morning")
    assert "Move your appointment to Mon Dec 7, 8:00 AM?" in patient.text("1")
    done = patient.text("yes")
    assert f"Confirmation code: {code}" in done and "Mon Dec 7, 8:00 AM" in done
    assert stored(server, code)[0] == "requested"


def test_a_slot_taken_before_confirmation_gets_an_apology_and_new_times(server):
    first, second = Patient(), Patient()
    for patient, name, phone in (
        (first, "Al Ray", "214-555-0150"),
        (second, "Bo Day", "214-555-0151"),
    ):
        for message in ("book", "neck pain", "new", "skip", "skip", "skip", "skip", name,
                        "02/02/1960", phone,
                        "skip", "wednesday dec 9 at 10am"):  # fmt: skip
            patient.say(message)
        assert "Shall I book it?" in patient.text("1")
    code_of(first.say("yes"))
    late = second.text("yes")
    assert "just taken" in late and "1) Wed Dec 9" in late
    assert "Shall I book it?" in second.text("1")
    assert "Confirmation code: " in second.text("yes")


def test_asking_for_a_person_leads_to_a_stored_callback_request(server):
    patient = Patient()
    assert "open now" in patient.text("can i talk to a real person please")
    assert "What is your name?" in patient.text("/request_callback")
    assert "What number" in patient.text("Ann Lee")
    assert "good time" in patient.text("214-555-0142")
    assert "what is it about" in patient.text("mornings")
    assert "Thanks, Ann. The staff will call you back" in patient.text("a question about my bill")
    with session_factory(f"sqlite:///{server['database']}")() as session:
        request = session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)).first()
    assert (request.full_name, request.phone, request.best_time, request.done) == (
        "Ann Lee", "+12145550142", "mornings", False,
    )  # fmt: skip
    columns = raw(server, "SELECT full_name, phone FROM callback_requests")
    assert "Ann" not in columns and "5550142" not in columns and "gAAAAA" in columns


def test_the_handoff_needs_no_callback_form_in_opening_hours(server):
    patient = Patient()
    replies = patient.say("let me talk to a nurse")
    assert "open now" in replies[-1]["text"]
    assert replies[-1]["buttons"][0]["payload"] == "/request_callback"
    assert "spinal facet joint" in patient.text("facet vs trigger point")
