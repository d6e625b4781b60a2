"""A retried confirmation books only once.

A client that timed out sends the patient's "yes" again; a patient taps "Yes, book it" twice
so that both arrive together; the Rasa server (or a proxy in front of the action servers)
calls the confirming action twice. Each time exactly one appointment row may be made:
clinic.booking.book returns the appointment already made for the same slot, phone and date
of birth, and Rasa's lock store runs one conversation's messages one at a time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import pytest
import requests

from clinic.booking_form import SKIP
from tests.faults.conftest import (
    ACTIONS_WEBHOOK,
    FaultPatient,
    booking_steps,
    code_in,
    text_of,
    walk,
)

pytestmark = pytest.mark.faults


def ready_to_confirm(name: str, born: str, phone: str, when: str, offer: str) -> FaultPatient:
    patient = FaultPatient()
    walk(patient, booking_steps(name, born, phone, when, offer))
    return patient


def give_up_early(patient: FaultPatient, message: str) -> None:
    """Send, and stop waiting for the reply long before it comes; the server goes on."""
    # Timing out is the usual case; a reply that did come in time is simply not read.
    with suppress(requests.Timeout):
        patient.post(message, timeout=0.05)


def test_a_yes_sent_again_after_the_client_timed_out_books_once(database):
    slot = "2026-12-10T14:00:00-06:00"
    patient = ready_to_confirm(
        "Hal Retry", "04/05/1966", "214-555-0166", "dec 10 at 2pm", "2) Thu Dec 10, 2:00 PM"
    )
    give_up_early(patient, "yes")
    retried = patient.post("yes")
    assert retried.status_code == 200, retried.text
    [(code, status)] = database.appointments_at(slot)
    assert status == "requested"
    assert database.patient_of(code) == ("Hal Retry", "+12145550166", "1966-04-05")


def test_two_yes_at_once_book_once(database):
    slot = "2026-12-11T10:00:00-06:00"
    patient = ready_to_confirm(
        "Ivy Twice", "06/07/1977", "214-555-0177", "dec 11 at 10am", "2) Fri Dec 11, 10:00 AM"
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(lambda _: patient.post("yes"), range(2)))
    assert [response.status_code for response in responses] == [200, 200]
    codes = {code_in(response.json()) for response in responses} - {None}
    assert len(codes) == 1, [response.json() for response in responses]
    assert database.appointments_at(slot) == [(codes.pop(), "requested")]


def test_the_retried_yes_tells_the_patient_the_code(database):
    patient = ready_to_confirm(
        "Jo Lostreply", "08/09/1969", "214-555-0169", "dec 11 at 1pm", "2) Fri Dec 11, 1:00 PM"
    )
    give_up_early(patient, "yes")
    [(code, _)] = database.appointments_at("2026-12-11T13:00:00-06:00")
    assert code in text_of(patient.say("yes"))


def confirm_by_webhook(slot: str, phone: str) -> dict:
    """validate_appointment_form's call for a "yes" to the summary, as Rasa makes it."""
    slots = {
        "requested_slot": "booking_confirmed", "booking_reason": "hip pain",
        "patient_status": "returning", "pain_location": SKIP, "pain_duration": SKIP,
        "pain_score": SKIP, "treatments_tried": SKIP, "full_name": "Kim Webhook",
        "date_of_birth": "1959-10-11", "phone": phone, "email": SKIP,
        "preferred_time": "friday afternoon", "slot_choice": slot,
        "offered_slots": [slot], "booking_confirmed": None,
    }  # fmt: skip
    tracker = {
        "sender_id": "faults-webhook", "slots": slots, "events": [], "paused": False,
        "latest_message": {"text": "yes", "intent": {"name": "affirm", "confidence": 0.99}},
        "followup_action": None, "active_loop": {"name": "appointment_form"},
        "latest_action_name": "appointment_form",
    }  # fmt: skip
    payload = {"next_action": "validate_appointment_form", "sender_id": "faults-webhook",
               "tracker": tracker, "domain": {}, "version": "3.6.21"}  # fmt: skip
    response = requests.post(ACTIONS_WEBHOOK, json=payload, timeout=60)
    assert response.status_code == 200, response.text
    return {e["name"]: e["value"] for e in response.json()["events"] if e["event"] == "slot"}


@pytest.mark.parametrize("together", [False, True], ids=["one-after-the-other", "at-once"])
def test_the_confirming_action_run_twice_books_once(database, together):
    slot = "2026-12-11T14:00:00-06:00" if together else "2026-12-11T14:30:00-06:00"
    phone = "+12145550111" if together else "+12145550112"
    if together:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda _: confirm_by_webhook(slot, phone), range(2)))
    else:
        results = [confirm_by_webhook(slot, phone) for _ in range(2)]
    assert all(result["booking_confirmed"] is True for result in results), results
    codes = {result["appointment_code"] for result in results}
    assert len(codes) == 1, results  # the retry gets the same appointment
    assert database.appointments_at(slot) == [(codes.pop(), "requested")]
