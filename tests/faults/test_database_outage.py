"""A booking database that is briefly unavailable, at each step that uses it.

The run's PostgreSQL database stops accepting connections and its sessions are cut
(Database.unavailable). The patient must be told to try again or call (the clinic's phone
is in the reply), nothing half-written may be left, and once the database is back the same
answer, sent again, must go through.
"""

from __future__ import annotations

import pytest

from tests.faults.conftest import PHONE, FaultPatient, booking_steps, code_in, text_of, walk

pytestmark = pytest.mark.faults


def test_an_outage_at_the_confirmation_books_nothing_and_the_retry_books_once(servers, database):
    slot = "2026-12-09T10:00:00-06:00"
    patient = FaultPatient()
    walk(patient, booking_steps(
        "Dana Outage", "02/03/1964", "214-555-0164", "dec 9 at 10am", "2) Wed Dec 9, 10:00 AM"
    ))  # fmt: skip
    with database.unavailable():
        said = text_of(patient.say("yes"))
        assert PHONE in said and "try again" in said, said
        assert "Confirmation code" not in said
        assert "Shall I book it?" in said  # the summary again: the form kept every answer
    assert database.appointments_at(slot) == []  # nothing half-written

    replies = patient.say("yes")
    code = code_in(replies)
    assert code, replies
    assert database.appointments_at(slot) == [(code, "requested")]
    assert database.patient_of(code) == ("Dana Outage", "+12145550164", "1964-02-03")
    # The action server logged the outage by the error's class, and no patient's details.
    log = servers.log("actions")
    assert "booking database unavailable (OperationalError)" in log
    assert not any(detail in log for detail in ("Dana", "Outage", "555-0164", "5550164", "1964"))


def test_an_outage_while_times_are_offered_asks_for_the_time_again(database):
    slot = "2026-12-09T14:00:00-06:00"
    patient = FaultPatient()
    steps = booking_steps(
        "Eli Offline", "09/10/1981", "214-555-0181", "dec 9 at 2pm", "2) Wed Dec 9, 2:00 PM"
    )
    walk(patient, steps[:11])  # the preferred time is asked next
    when, offer = steps[11]
    with database.unavailable():
        said = text_of(patient.say(when))
        assert PHONE in said and "try again" in said, said
        assert "When would you like" in said  # the question again, for the retry
    walk(patient, steps[11:])  # the same answer now brings the open times
    code = code_in(patient.say("yes"))
    assert code
    assert database.appointments_at(slot) == [(code, "requested")]


def test_an_outage_while_finding_an_appointment_to_cancel_keeps_the_code(database):
    slot = "2026-12-10T10:00:00-06:00"
    owner = FaultPatient()
    walk(owner, booking_steps(
        "Fay Morgan", "12/01/1958", "214-555-0158", "dec 10 at 10am", "2) Thu Dec 10, 10:00 AM"
    ))  # fmt: skip
    code = code_in(owner.say("yes"))
    assert code

    patient = FaultPatient()
    assert "confirmation code" in text_of(patient.say("I need to cancel my appointment"))
    assert "date of birth" in text_of(patient.say(code))
    with database.unavailable():
        said = text_of(patient.say("12/01/1958"))
        assert PHONE in said and "try again" in said, said
        assert "date of birth" in said  # asked again; the code is kept
    assert "Cancel your appointment on Thu Dec 10, 10:00 AM?" in text_of(patient.say("12/01/1958"))
    with database.unavailable():
        said = text_of(patient.say("yes"))
        assert PHONE in said and "nothing was changed" in said, said
    assert database.appointments_at(slot) == [(code, "requested")]
    assert "is cancelled" in text_of(patient.say("yes"))
    assert database.appointments_at(slot) == [(code, "cancelled")]


def test_an_outage_while_storing_a_callback_request_asks_its_last_question_again(database):
    best_time = "weekday mornings before 10"
    patient = FaultPatient()
    assert "What is your name?" in text_of(patient.say("/request_callback"))
    assert "What number" in text_of(patient.say("Gus Caller"))
    assert "good time" in text_of(patient.say("214-555-0190"))
    assert "what is it about" in text_of(patient.say(best_time))
    with database.unavailable():
        said = text_of(patient.say("a question about my bill"))
        assert PHONE in said and "try again" in said, said
        assert "what is it about" in said
    stored = "SELECT count(*) FROM callback_requests WHERE best_time = :best_time"
    assert database.count(stored, best_time=best_time) == 0
    assert "Thanks, Gus" in text_of(patient.say("a question about my bill"))
    assert database.count(stored, best_time=best_time) == 1
