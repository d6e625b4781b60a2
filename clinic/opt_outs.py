"""SMS opt-outs: STOP is honoured until START, across restarts and replicas (in the database).

A number is found by its blind index (clinic.crypto.blind_index), never stored in the clear.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from clinic.crypto import blind_index
from clinic.models import SmsOptOut


def opt_out(factory: sessionmaker, phone: str, now: datetime) -> None:
    """Record that `phone` texted STOP."""
    key = blind_index(phone)
    try:
        with factory.begin() as session:
            if session.get(SmsOptOut, key) is None:
                session.add(SmsOptOut(phone_hash=key, phone=phone, opted_out_at=now))
    except IntegrityError:
        pass  # a STOP sent twice at once, to two replicas: the first one stored it


def opt_in(factory: sessionmaker, phone: str) -> None:
    """Record that `phone` texted START."""
    with factory.begin() as session:
        found = session.get(SmsOptOut, blind_index(phone))
        if found is not None:
            session.delete(found)


def is_opted_out(factory: sessionmaker, phone: str) -> bool:
    """Whether `phone` asked for no more messages."""
    with factory() as session:
        return session.get(SmsOptOut, blind_index(phone)) is not None
