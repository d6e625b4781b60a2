"""The booking tables (SQLAlchemy 1.4, written in the 2.0 style).

Patients' names, phone numbers, dates of birth and emails are stored encrypted
(EncryptedText, EncryptedDate: clinic/crypto.py); the code that uses the models sees plain
values. An encrypted column can't be searched in SQL: look rows up by another column (a
code, an id, a blind index) and compare the decrypted values in Python.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Column, DateTime, Enum, Index, Integer, String, Text, text
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

from clinic.crypto import decrypt, encrypt

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


class EncryptedText(TypeDecorator):
    """A string stored as a Fernet token made with the newest key of $CLINIC_DATA_KEYS.

    Tokens differ on every write, so equality in SQL never matches: compare in Python.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else decrypt(value)


class EncryptedDate(TypeDecorator):
    """A date stored as the encrypted ISO date ("1956-03-14")."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect) -> str | None:
        return None if value is None else encrypt(value.isoformat())

    def process_result_value(self, value: str | None, dialect) -> date | None:
        return None if value is None else date.fromisoformat(decrypt(value))


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
    full_name = Column(EncryptedText(), nullable=False)
    date_of_birth = Column(EncryptedDate(), nullable=False)
    phone = Column(EncryptedText(), nullable=False)  # E.164
    email = Column(EncryptedText(), nullable=True)
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
    full_name = Column(EncryptedText(), nullable=False)
    phone = Column(EncryptedText(), nullable=False)  # E.164
    best_time = Column(String(200), nullable=False)
    reason = Column(Text, nullable=False)
    due = Column(UTCDateTime(), nullable=False)  # when the office can first call back
    done = Column(Boolean, nullable=False, default=False)
    channel = Column(String(20), nullable=False, default="chat")
    created_at = Column(UTCDateTime(), nullable=False)

    def __repr__(self) -> str:  # no patient data in logs or tracebacks
        return f"<CallbackRequest {self.id} due {self.due} done={self.done}>"


class SmsOptOut(Base):
    """A number that texted STOP: it gets no more messages until it texts START.

    It is found by `phone_hash`, the blind index of the number (clinic.crypto.blind_index);
    the number itself is kept encrypted so that the index can be recomputed when
    $CLINIC_HASH_KEY changes (python -m clinic.privacy rotate).
    """

    __tablename__ = "sms_opt_outs"

    phone_hash = Column(String(64), primary_key=True)  # hex HMAC-SHA256 of the number
    phone = Column(EncryptedText(), nullable=False)  # as Twilio sends it, E.164
    opted_out_at = Column(UTCDateTime(), nullable=False)

    def __repr__(self) -> str:  # no patient data in logs or tracebacks
        return f"<SmsOptOut since {self.opted_out_at}>"
