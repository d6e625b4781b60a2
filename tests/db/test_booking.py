"""Booking against a real database: SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from clinic.booking import (
    CODE_ALPHABET,
    BookingRequest,
    InvalidSlot,
    NotFound,
    SlotTaken,
    book,
    find,
    reschedule,
    set_status,
    taken_slots,
)
from clinic.models import Appointment, AppointmentStatus, Base

DOB = date(1956, 3, 14)


def request_for(
    starts_at: datetime, phone: str = "+19725550100", dob: date = DOB
) -> BookingRequest:
    return BookingRequest(
        reason="facet injections",
        new_patient=True,
        full_name="Pat Example",
        date_of_birth=dob,
        phone=phone,
        starts_at=starts_at,
        email="pat@example.org",
    )


def slot(now: datetime, days: int = 1, hour: int = 10, minute: int = 0) -> datetime:
    return (now + timedelta(days=days)).replace(hour=hour, minute=minute)


def test_migrations_match_the_models(factory):
    with factory() as session:
        context = MigrationContext.configure(session.connection())
        assert compare_metadata(context, Base.metadata) == []


def test_book_stores_a_requested_appointment_with_a_readable_code(factory, schedule, now):
    appointment = book(factory, schedule, request_for(slot(now)), now)
    assert len(appointment.code) == 6 and set(appointment.code) <= set(CODE_ALPHABET)
    with factory() as session:
        stored = session.scalars(select(Appointment)).one()
    assert stored.status is AppointmentStatus.REQUESTED
    assert stored.starts_at == slot(now)
    assert stored.date_of_birth == DOB and stored.phone == "+19725550100"
    assert repr(stored).count("Pat") == 0  # no patient data in reprs (and so in tracebacks)


def test_one_slot_one_patient(factory, schedule, now):
    book(factory, schedule, request_for(slot(now)), now)
    with pytest.raises(SlotTaken):
        book(factory, schedule, request_for(slot(now), phone="+19725550101"), now)
    assert taken_slots(factory, now, now + timedelta(days=2)) == {slot(now)}


def test_a_retried_request_books_once(factory, schedule, now):
    first = book(factory, schedule, request_for(slot(now)), now)
    again = book(factory, schedule, request_for(slot(now)), now)
    assert again.code == first.code
    with factory() as session:
        assert session.scalar(select(func.count(Appointment.id))) == 1


def test_a_cancelled_appointment_frees_its_slot(factory, schedule, now):
    first = book(factory, schedule, request_for(slot(now)), now)
    set_status(factory, first.code, AppointmentStatus.CANCELLED, now)
    second = book(factory, schedule, request_for(slot(now), phone="+19725550101"), now)
    assert second.code != first.code


@pytest.mark.parametrize(
    "when",
    [
        lambda now: slot(now, hour=10, minute=15),  # not on the slot grid
        lambda now: slot(now, days=4, hour=10),  # a Saturday
        lambda now: now - timedelta(days=1),  # the past
        lambda now: slot(now, days=0, hour=10),  # less than the notice
        lambda now: slot(now, days=100),  # beyond the booking window
    ],
)
def test_only_open_slots_can_be_booked(factory, schedule, now, when):
    with pytest.raises(InvalidSlot):
        book(factory, schedule, request_for(when(now)), now)


def test_find_needs_the_code_and_the_date_of_birth_or_phone(factory, schedule, now):
    code = book(factory, schedule, request_for(slot(now)), now).code
    assert find(factory, code.lower(), date_of_birth=DOB).code == code
    assert find(factory, f"{code[:3]}-{code[3:]}", phone="+19725550100").code == code
    with pytest.raises(NotFound) as wrong_dob:
        find(factory, code, date_of_birth=date(1960, 1, 1))
    with pytest.raises(NotFound) as wrong_code:
        find(factory, "AAAAAA", date_of_birth=DOB)
    assert str(wrong_dob.value) == str(wrong_code.value)  # nothing learnt from the difference


def test_reschedule_moves_and_respects_other_patients(factory, schedule, now):
    mine = book(factory, schedule, request_for(slot(now)), now)
    theirs = book(factory, schedule, request_for(slot(now, hour=11), phone="+19725550101"), now)
    moved = reschedule(factory, schedule, mine, slot(now, hour=14), now)
    assert moved.starts_at == slot(now, hour=14)
    with pytest.raises(SlotTaken):
        reschedule(factory, schedule, moved, theirs.starts_at, now)
    assert taken_slots(factory, now, now + timedelta(days=2)) == {
        slot(now, hour=14),
        slot(now, hour=11),
    }


def test_fifty_parallel_attempts_on_one_slot_make_one_appointment(factory, schedule, now):
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(50)

    def attempt(index: int) -> None:
        start.wait()
        try:
            book(factory, schedule, request_for(slot(now), phone=f"+1972555{index:04d}"), now)
            result = "booked"
        except SlotTaken:
            result = "taken"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["booked"] + ["taken"] * 49
    with factory() as session:
        assert session.scalar(select(func.count(Appointment.id))) == 1
