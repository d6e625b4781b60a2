"""Booking service: book, find, reschedule and cancel appointments.

Each function takes a session factory (clinic.db.session_factory) and works in one
transaction. "One slot, one patient" is enforced by the database's unique index on active
appointments, never by a check-then-write: of many racing requests for a slot, one commits
and the others get SlotTaken.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from clinic.models import Appointment, AppointmentStatus
from clinic.schedule import Schedule

# No look-alikes: no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B.
CODE_ALPHABET = "ACEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6
ACTIVE_STATUSES = (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)


class BookingError(Exception):
    """A booking could not be made or changed; the message is safe to show a patient."""


class SlotTaken(BookingError):
    """Another patient holds the slot."""


class InvalidSlot(BookingError):
    """The time is not one of the clinic's open slots."""


class NotFound(BookingError):
    """No appointment matches the code and the identity check."""


@dataclass(frozen=True)
class BookingRequest:
    """What the booking form collected."""

    reason: str
    new_patient: bool
    full_name: str
    date_of_birth: date
    phone: str  # E.164
    starts_at: datetime
    email: str | None = None
    channel: str = "chat"
    pain_location: str | None = None
    pain_duration: str | None = None
    pain_score: int | None = None
    treatments_tried: str | None = None

    @property
    def appointment_type(self) -> str:
        return "new_patient" if self.new_patient else "returning_patient"


def new_code() -> str:
    """A confirmation code that is easy to read out and type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What the patient typed as a code, in the stored form ("k7m-4xr" -> "K7M4XR")."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def check_slot(schedule: Schedule, starts_at: datetime, now: datetime) -> None:
    """Raise InvalidSlot unless `starts_at` is a bookable slot of the schedule."""
    local = starts_at.astimezone(schedule.zone)
    if local not in set(schedule.slot_starts(local.date())):
        raise InvalidSlot("That time isn't one of the clinic's appointment slots.")
    if not now + schedule.notice <= local <= now + schedule.window:
        raise InvalidSlot("That time can no longer be booked.")


def taken_slots(factory: sessionmaker, start: datetime, end: datetime) -> set[datetime]:
    """Starts of the active appointments between `start` and `end`."""
    with factory() as session:
        rows = session.execute(
            select(Appointment.starts_at).where(
                Appointment.starts_at >= start,
                Appointment.starts_at < end,
                Appointment.status.in_(ACTIVE_STATUSES),
            )
        )
        return set(rows.scalars())


def book(
    factory: sessionmaker, schedule: Schedule, request: BookingRequest, now: datetime
) -> Appointment:
    """Store the appointment; SlotTaken if another patient holds the slot.

    A retry of the same request (same slot, phone and date of birth) returns the
    appointment already made instead of a second one.
    """
    check_slot(schedule, request.starts_at, now)
    for _ in range(5):
        appointment = Appointment(
            code=new_code(),
            starts_at=request.starts_at,
            appointment_type=request.appointment_type,
            status=AppointmentStatus.REQUESTED,
            reason=request.reason,
            pain_location=request.pain_location,
            pain_duration=request.pain_duration,
            pain_score=request.pain_score,
            treatments_tried=request.treatments_tried,
            new_patient=request.new_patient,
            full_name=request.full_name,
            date_of_birth=request.date_of_birth,
            phone=request.phone,
            email=request.email,
            channel=request.channel,
            created_at=now,
            updated_at=now,
        )
        try:
            with factory.begin() as session:
                session.add(appointment)
            return appointment
        except IntegrityError:
            holder = _active_at(factory, request.starts_at)
            if holder is None:
                continue  # the code collided with another appointment's: draw again
            if holder.phone == request.phone and holder.date_of_birth == request.date_of_birth:
                return holder
            raise SlotTaken("Sorry, that time was just taken.") from None
    raise BookingError("Sorry, the booking could not be saved. Please try again.")


def _active_at(factory: sessionmaker, starts_at: datetime) -> Appointment | None:
    with factory() as session:
        return session.scalars(
            select(Appointment).where(
                Appointment.starts_at == starts_at, Appointment.status.in_(ACTIVE_STATUSES)
            )
        ).first()


def find(
    factory: sessionmaker, code: str, *, date_of_birth: date | None = None, phone: str | None = None
) -> Appointment:
    """The appointment with `code`, if the date of birth or phone matches; else NotFound.

    Both a wrong code and a wrong identity give the same answer, so that nobody can learn
    about someone else's appointment.
    """
    try:
        appointment = find_for_staff(factory, code)
    except NotFound:
        appointment = None
    if appointment is None or not (
        (date_of_birth is not None and appointment.date_of_birth == date_of_birth)
        or (phone is not None and appointment.phone == phone)
    ):
        raise NotFound("I couldn't find an appointment with those details.")
    return appointment


def find_for_staff(factory: sessionmaker, code: str) -> Appointment:
    """The appointment with `code`, without an identity check: for the front desk only."""
    with factory() as session:
        appointment = session.scalars(
            select(Appointment).where(Appointment.code == normalise_code(code))
        ).first()
    if appointment is None:
        raise NotFound(f"No appointment has the code {normalise_code(code)}.")
    return appointment


def reschedule(
    factory: sessionmaker,
    schedule: Schedule,
    appointment: Appointment,
    starts_at: datetime,
    now: datetime,
) -> Appointment:
    """Move a found appointment to another slot; SlotTaken if that slot is held."""
    check_slot(schedule, starts_at, now)
    try:
        with factory.begin() as session:
            stored = session.get(Appointment, appointment.id)
            if stored is None or stored.status not in ACTIVE_STATUSES:
                raise NotFound("That appointment is no longer active.")
            stored.starts_at = starts_at
            stored.status = AppointmentStatus.REQUESTED
            stored.updated_at = now
        return stored
    except IntegrityError:
        raise SlotTaken("Sorry, that time was just taken.") from None


def set_status(
    factory: sessionmaker, code: str, status: AppointmentStatus, now: datetime
) -> Appointment:
    """Confirm or cancel the appointment with `code` (for staff, or after `find`)."""
    with factory.begin() as session:
        stored = session.scalars(
            select(Appointment).where(Appointment.code == normalise_code(code))
        ).first()
        if stored is None:
            raise NotFound(f"No appointment has the code {normalise_code(code)}.")
        stored.status = status
        stored.updated_at = now
    return stored


def appointments_on(factory: sessionmaker, schedule: Schedule, day: date) -> list[Appointment]:
    """The day's appointments (local day in the clinic's zone), earliest first."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=schedule.zone)
    end = start + timedelta(days=1)
    with factory() as session:
        return list(
            session.scalars(
                select(Appointment)
                .where(
                    Appointment.starts_at >= start.astimezone(UTC),
                    Appointment.starts_at < end.astimezone(UTC),
                )
                .order_by(Appointment.starts_at)
            )
        )
