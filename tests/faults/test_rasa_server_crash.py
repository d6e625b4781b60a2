"""`kill -9` of the Rasa server in the middle of a booking, then a restart.

The conversation is in the SQL tracker store (a SQLite file of the run), so a new Rasa
process finds the same sender's form where the killed one left it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.faults.conftest import FaultPatient, booking_steps, code_in, text_of, walk

pytestmark = pytest.mark.faults

SLOT = "2026-12-08T14:00:00-06:00"


def test_the_same_sender_goes_on_after_the_rasa_server_is_killed_and_restarted(servers, database):
    patient = FaultPatient()
    steps = booking_steps(
        "Omar Restart", "11/23/1972", "469-555-0172", "dec 8 at 2pm", "2) Tue Dec 8, 2:00 PM"
    )
    walk(patient, steps[:10])  # up to the phone; the email is asked next
    servers.kill("rasa")
    with pytest.raises(requests.ConnectionError):
        patient.post("skip", timeout=10)  # nobody listens: the client sees it, and retries

    servers.start_rasa()
    walk(patient, steps[10:-1])  # the email question is answered, and the form goes on
    summary = text_of(patient.say(steps[-1][0]))
    assert "Shall I book it?" in summary and "Omar Restart" in summary  # the earlier answers
    replies = patient.say("yes")
    code = code_in(replies)
    assert code, replies
    assert "Tue Dec 8, 2:00 PM" in text_of(replies)
    assert database.appointments_at(SLOT) == [(code, "requested")]
    assert database.patient_of(code) == ("Omar Restart", "+14695550172", "1972-11-23")


def test_a_kill_while_the_booking_is_being_written_tells_the_same_code_after_the_restart(
    servers, database
):
    slot = "2026-12-14T14:00:00-06:00"
    patient = FaultPatient()
    walk(patient, booking_steps(
        "Milo Inflight", "03/04/1974", "214-555-0174", "dec 14 at 2pm", "2) Mon Dec 14, 2:00 PM"
    ))  # fmt: skip
    with ThreadPoolExecutor(max_workers=1) as pool:
        with database.appointments_locked():
            pending = pool.submit(patient.post, "yes")
            database.wait_for_a_blocked_write()  # the action server is inside booking.book
            servers.kill("rasa")
            with pytest.raises(requests.ConnectionError):
                pending.result()  # the patient never gets the reply
        # The action server goes on and stores the appointment, but the Rasa that asked for
        # it is gone: the conversation still waits for the answer to "Shall I book it?".
        [(code, status)] = database.wait_for_appointments_at(slot)

    servers.start_rasa()
    replies = patient.say("yes")  # the patient, or the client, tries again
    assert code_in(replies) == code, replies  # the same appointment, not a second one
    assert database.appointments_at(slot) == [(code, "requested")]
