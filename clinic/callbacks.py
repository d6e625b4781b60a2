"""Callback requests: store a patient's request to be called, list them for the staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from clinic.booking import NotFound
from clinic.models import CallbackRequest
from clinic.schedule import Schedule


@dataclass(frozen=True)
class CallbackDetails:
    """What the callback form collected."""

    full_name: str
    phone: str  # E.164
    best_time: str
    reason: str
    channel: str = "chat"


def request_callback(
    factory: sessionmaker, schedule: Schedule, details: CallbackDetails, now: datetime
) -> CallbackRequest:
    """Store the request, due when the office is next open (now, if it is open)."""
    request = CallbackRequest(
        full_name=details.full_name,
        phone=details.phone,
        best_time=details.best_time,
        reason=details.reason,
        due=schedule.next_opening(now),
        done=False,
        channel=details.channel,
        created_at=now,
    )
    with factory.begin() as session:
        session.add(request)
    return request


def open_callbacks(factory: sessionmaker, include_done: bool = False) -> list[CallbackRequest]:
    """The callback requests still to be made (or all), oldest due first."""
    query = select(CallbackRequest).order_by(CallbackRequest.due, CallbackRequest.id)
    if not include_done:
        query = query.where(CallbackRequest.done.is_(False))
    with factory() as session:
        return list(session.scalars(query))


def mark_done(factory: sessionmaker, request_id: int) -> CallbackRequest:
    """Record that the staff called the patient back."""
    with factory.begin() as session:
        request = session.get(CallbackRequest, request_id)
        if request is None:
            raise NotFound(f"No callback request has the number {request_id}.")
        request.done = True
    return request
