"""`kill -9` of the action server in the middle of a booking, then a restart.

The form's answers live in Rasa's tracker, not in the action server, so after the restart the
patient repeats only the answer that was sent while it was down, and the form goes on.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.conftest import PHONE, FaultPatient, booking_steps, code_in, text_of, walk

pytestmark = pytest.mark.faults

SLOT = "2026-12-08T10:00:00-06:00"


def test_the_booking_goes_on_after_the_action_server_is_killed_and_restarted(servers, database):
    patient = FaultPatient()
    steps = booking_steps(
        "Rita Crash", "05/06/1961", "214-555-0161", "dec 8 at 10am", "2) Tue Dec 8, 10:00 AM"
    )
    walk(patient, steps[:8])  # up to the name; the date of birth is asked next
    servers.kill("actions")

    born, next_question = steps[8]
    response = patient.post(born)
    # Rasa answers 200 even though every action fails, with no bot message of its own; the
    # REST channel's no-reply fallback (channels/rest.py) then says "sorry, try again in a
    # minute or call <phone>". `rasa run` alone would give an empty list here.
    assert response.status_code == 200, response.text
    assert PHONE in text_of(response.json()), response.json()
    assert database.appointments_at(SLOT) == []

    servers.start_actions()
    # The answer sent during the outage was not taken, and nothing before it was lost: the
    # same answer now brings the question after it.
    assert next_question in text_of(patient.say(born))
    walk(patient, steps[9:-1])
    summary = text_of(patient.say(steps[-1][0]))
    assert "Shall I book it?" in summary and "Rita Crash" in summary  # the earlier answers
    replies = patient.say("yes")
    code = code_in(replies)
    assert code, replies
    assert "Tue Dec 8, 10:00 AM" in text_of(replies)
    assert database.appointments_at(SLOT) == [(code, "requested")]
    assert database.patient_of(code) == ("Rita Crash", "+12145550161", "1961-05-06")


def test_a_kill_while_the_booking_is_being_written_leaves_nothing_and_the_retry_books(
    servers, database
):
    slot = "2026-12-14T10:00:00-06:00"
    patient = FaultPatient()
    walk(patient, booking_steps(
        "Lena Midwrite", "01/02/1963", "214-555-0163", "dec 14 at 10am", "2) Mon Dec 14, 10:00 AM"
    ))  # fmt: skip
    with ThreadPoolExecutor(max_workers=1) as pool, database.appointments_locked():
        pending = pool.submit(patient.post, "yes")
        database.wait_for_a_blocked_write()  # the action server is inside booking.book
        servers.kill("actions")
        response = pending.result()
    assert response.status_code == 200, response.text
    assert PHONE in text_of(response.json()), response.json()  # the fallback again
    # The killed server's transaction never committed: no row, not even a partial one.
    assert database.appointments_at(slot) == []

    servers.start_actions()
    replies = patient.say("yes")  # the form is still at its last question
    code = code_in(replies)
    assert code, replies
    assert database.appointments_at(slot) == [(code, "requested")]
