"""The booking tables (SQLAlchemy 1.4, written in the 2.0 style)."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Index, Integer, String, Text, text
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

Base = declarative_base()


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC, the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give the time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class AppointmentStatus(str, enum.Enum):
    """Where an appointment request stands with the front desk."""

    REQUESTED = "requested"  # booked by the patient, not yet checked by staff
    CONFIRMED = "confirmed"  # checked by staff
    CANCELLED = "cancelled"


# A slot is held by requested and confirmed appointments; a cancelled one frees it.
ACTIVE = "status IN ('requested', 'confirmed')"


class Appointment(Base):
    """One patient's appointment in one slot."""

    __tablename__ = "appointments"

    id = Column(Integer, primary_key=True)
    code = Column(String(12), nullable=False, unique=True)
    starts_at = Column(UTCDateTime(), nullable=False)  # UTC
    appointment_type = Column(String(40), nullable=False)
    status = Column(
        Enum(AppointmentStatus, name="appointment_status", native_enum=False, length=12,
             values_callable=lambda e: [m.value for m in e]),
        nullable=False,
        default=AppointmentStatus.REQUESTED,
    )  # fmt: skip
    reason = Column(Text, nullable=False)
    # Intake for the clinician; each may be skipped (None).
    pain_location = Column(String(200), nullable=True)
    pain_duration = Column(String(200), nullable=True)
    pain_score = Column(Integer, nullable=True)  # 0-10
    treatments_tried = Column(String(200), nullable=True)
    new_patient = Column(Boolean, nullable=False)
    full_name = Column(String(100), nullable=False)
    date_of_birth = Column(Date, nullable=False)
    phone = Column(String(20), nullable=False)  # E.164
    email = Column(String(254), nullable=True)
    channel = Column(String(20), nullable=False, default="chat")
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        # One slot, one patient: the database refuses a second active appointment in a slot,
        # however many requests race for it.
        Index(
            "uq_appointments_active_slot", "starts_at", unique=True,
            sqlite_where=text(ACTIVE), postgresql_where=text(ACTIVE),
        ),
        Index("ix_appointments_starts_at", "starts_at"),
    )  # fmt: skip

    def __repr__(self) -> str:  # no patient data in logs or tracebacks
        return f"<Appointment {self.code} {self.status} {self.starts_at}>"


class CallbackRequest(Base):
    """A patient's request that the staff call them back."""

    __tablename__ = "callback_requests"

    id = Column(Integer, primary_key=True)
    full_name = Column(String(100), nullable=False)
    phone = Column(String(20), nullable=False)  # E.164
    best_time = Column(String(200), nullable=False)
    reason = Column(Text, nullable=False)
    due = Column(UTCDateTime(), nullable=False)  # when the office can first call back
    done = Column(Boolean, nullable=False, default=False)
    channel = Column(String(20), nullable=False, default="chat")
    created_at = Column(UTCDateTime(), nullable=False)

    def __repr__(self) -> str:  # no patient data in logs or tracebacks
        return f"<CallbackRequest {self.id} due {self.due} done={self.done}>"


class SmsOptOut(Base):
    """A number that texted STOP: it gets no more messages until it texts START."""

    __tablename__ = "sms_opt_outs"

    phone = Column(String(20), primary_key=True)  # as Twilio sends it, E.164
    opted_out_at = Column(UTCDateTime(), nullable=False)
