"""Fifty patients book at once (issue 7, load), CI-sized: one booking each, then the database.

The patients are bench/booking_load.py's (bench/booking_patients.py), talking over REST to an
assistant of these tests' own (conftest.py). They choose among a few preferred times only,
so that many are offered the same slots and race to confirm them: the losers are told the
slot was just taken and pick again. Speed is not checked here (bench/reports/booking_load.md
has it); what is checked is that nobody met an error, everybody got a code, and the
database holds exactly what the patients were told, with no slot held twice.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bench.booking_load import REST, check_database
from bench.booking_patients import run_patients

pytestmark = pytest.mark.load

PATIENTS = 50
# Few choices, so that the patients who give the same answer are offered the same slots.
CONTESTED = ("asap", "asap", "tomorrow morning", "dec 9 at 10am", "friday afternoon")


@pytest.fixture(scope="module")
def run(booking_assistant):
    """What the patients saw, and the database checks' counts after they were done."""
    tally = asyncio.run(run_patients(REST, PATIENTS, bookings=1, times=CONTESTED))
    return tally, check_database(booking_assistant, tally.bookings)


def test_no_patient_met_an_error(run):
    tally, _ = run
    # Each kind of error (a 5xx, a timeout, an empty or unexpected reply) with examples.
    assert dict(tally.errors) == {}, tally.examples
    assert tally.attempts == PATIENTS


def test_every_patient_got_a_confirmation_code(run):
    tally, _ = run
    assert tally.give_ups == 0  # the window holds hundreds of slots
    assert len(tally.bookings) == PATIENTS


def test_patients_did_race_for_the_same_slots(run):
    tally, _ = run
    # Without a lost race the run would show nothing about double booking.
    assert tally.slot_taken > 0


def test_every_confirmation_is_stored_with_its_slot_and_patient(run):
    _, checks = run
    for check in (
        "confirmations missing from the database",
        "confirmations stored at another slot",
        "confirmations stored with other patient details",
        "codes given to two patients",
        "active appointments no patient was told of",
    ):
        assert checks[check] == 0, check


def test_no_slot_holds_two_active_appointments(run):
    _, checks = run
    assert checks["slots holding two active appointments"] == 0


def test_the_database_check_sees_what_it_looks_for(run, booking_assistant):
    """Confirmations made up from a real one: each kind of mismatch is counted once."""
    tally, _ = run
    real = tally.bookings[0]
    elsewhere = next(b.slot for b in tally.bookings if b.slot != real.slot)
    forged = [
        replace(real, code="000000"),  # 0 is not in a code's alphabet: never stored
        replace(real, slot=elsewhere),
        replace(real, full_name="Someone Else"),
    ]
    checks = check_database(booking_assistant, forged)
    assert checks == {
        "confirmations missing from the database": 1,
        "confirmations stored at another slot": 1,
        "confirmations stored with other patient details": 1,
        "codes given to two patients": 1,
        "slots holding two active appointments": 0,
        "active appointments no patient was told of": PATIENTS - 1,
    }
