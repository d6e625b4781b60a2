"""SMS opt-outs: STOP is honoured until START, across restarts and replicas (in the database)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import sessionmaker

from clinic.models import SmsOptOut


def opt_out(factory: sessionmaker, phone: str, now: datetime) -> None:
    """Record that `phone` texted STOP."""
    with factory.begin() as session:
        if session.get(SmsOptOut, phone) is None:
            session.add(SmsOptOut(phone=phone, opted_out_at=now))


def opt_in(factory: sessionmaker, phone: str) -> None:
    """Record that `phone` texted START."""
    with factory.begin() as session:
        found = session.get(SmsOptOut, phone)
        if found is not None:
            session.delete(found)


def is_opted_out(factory: sessionmaker, phone: str) -> bool:
    """Whether `phone` asked for no more messages."""
    with factory() as session:
        return session.get(SmsOptOut, phone) is not None
