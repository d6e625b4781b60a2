"""Retention against real databases: Rasa's SQL tracker store and the booking tables.

Both run on SQLite and PostgreSQL. The conversations are written by Rasa's own
SQLTrackerStore, so the table is exactly the one the assistant keeps.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from clinic.models import Appointment, AppointmentStatus, CallbackRequest, SmsOptOut
from clinic.opt_outs import is_opted_out, opt_out
from clinic.retention import main, purge_bookings, purge_conversations

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)  # the retention run's clock
CUTOFF = NOW - timedelta(days=90)
SLOT = timedelta(minutes=30)


@pytest.fixture
def tracker_store(database_url):
    """Rasa's SQLTrackerStore in the test's database, and a function that stores a chat."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=url.database)
    else:
        store = SQLTrackerStore(
            Domain.empty(), dialect="postgresql", host=url.host, port=url.port,
            db=url.database, username=url.username,
        )  # fmt: skip

    def chat(sender: str, *days_ago: float) -> None:
        events = []
        for age in days_ago:
            moment = (NOW - timedelta(days=age)).timestamp()
            events.append(UserUttered(f"my name is Canary {sender}", timestamp=moment))
            events.append(ActionExecuted("action_answer", timestamp=moment))
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))

    yield store, chat
    store.engine.dispose()


def event_counts(url: str) -> dict[str, int]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")
        ).all()
    engine.dispose()
    return dict(rows)


def test_a_conversation_goes_whole_once_its_last_message_is_old(database_url, tracker_store):
    store, chat = tracker_store
    chat("old", 200, 120, 91)
    chat("ongoing", 200, 100, 30)  # began long ago, still going: kept whole
    chat("recent", 2)
    assert purge_conversations(database_url, CUTOFF, dry_run=True) == (1, 6)
    assert event_counts(database_url) == {"old": 6, "ongoing": 6, "recent": 2}
    assert purge_conversations(database_url, CUTOFF) == (1, 6)
    assert event_counts(database_url) == {"ongoing": 6, "recent": 2}
    assert len(asyncio.run(store.retrieve("ongoing")).events) == 6
    assert asyncio.run(store.retrieve("old")) is None
    assert purge_conversations(database_url, CUTOFF) == (0, 0)


def test_no_tracker_database_yet_means_nothing_to_delete(tmp_path):
    missing = tmp_path / "tracker.db"
    assert purge_conversations(f"sqlite:///{missing}", CUTOFF) == (0, 0)
    assert not missing.exists()  # looking did not create it


def appointment(code: str, starts_at: datetime, status=AppointmentStatus.REQUESTED):
    return Appointment(
        code=code, starts_at=starts_at, appointment_type="new_patient", status=status,
        reason="neck pain", new_patient=True, full_name="Canary Patient",
        date_of_birth=date(1956, 3, 14), phone="+19725550123", channel="chat",
        created_at=starts_at - timedelta(days=7), updated_at=starts_at - timedelta(days=7),
    )  # fmt: skip


def callback(created_at: datetime, done: bool) -> CallbackRequest:
    return CallbackRequest(
        full_name="Canary Caller", phone="+12145550142", best_time="am", reason="bill",
        due=created_at, done=done, channel="sms", created_at=created_at,
    )  # fmt: skip


def seed(factory) -> None:
    with factory.begin() as session:
        session.add_all(
            [
                appointment("OLDEND", CUTOFF - timedelta(days=1)),
                appointment("CANCEL", CUTOFF - timedelta(days=30), AppointmentStatus.CANCELLED),
                # Ends 15 minutes after the cutoff: not yet ended N days ago.
                appointment("ENDING", CUTOFF - SLOT + timedelta(minutes=15)),
                appointment("FUTURE", NOW + timedelta(days=3)),
                callback(CUTOFF - timedelta(days=5), done=True),
                callback(CUTOFF - timedelta(days=5), done=False),
                callback(CUTOFF + timedelta(days=5), done=True),
                callback(NOW, done=False),
            ]
        )
    opt_out(factory, "+19725550123", CUTOFF - timedelta(days=365))


def test_ended_appointments_and_old_callback_requests_go_opt_outs_stay(factory):
    seed(factory)
    dry = purge_bookings(factory, CUTOFF, SLOT, dry_run=True)
    assert (dry.appointments, dry.callback_requests, dry.open_callback_requests) == (2, 2, 1)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 4
    purged = purge_bookings(factory, CUTOFF, SLOT)
    assert (purged.appointments, purged.callback_requests) == (2, 2)
    with factory() as session:
        codes = set(session.scalars(select(Appointment.code)))
        callbacks = session.scalars(select(CallbackRequest.created_at)).all()
        opt_outs = session.scalar(select(func.count()).select_from(SmsOptOut))
    assert codes == {"ENDING", "FUTURE"}
    assert sorted(callbacks) == [CUTOFF + timedelta(days=5), NOW]
    assert opt_outs == 1 and is_opted_out(factory, "+19725550123")


def test_the_command_prints_counts_only(factory, database_url, tracker_store, monkeypatch):
    _, chat = tracker_store
    chat("old", 120)
    seed(factory)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CLINIC_NOW", NOW.isoformat())
    out = io.StringIO()
    assert main(["--days", "90", "--dry-run", "--tracker-url", database_url], out=out) == 0
    assert "1 (2 events) would be deleted" in out.getvalue()
    assert event_counts(database_url) == {"old": 2}
    out = io.StringIO()
    assert main(["--tracker-url", database_url], out=out) == 0  # 90 days by default
    printed = out.getvalue()
    assert "conversations whose last message is older than 90 days: 1 (2 events) deleted" in printed
    assert "appointments whose slot ended more than 90 days ago: 2 deleted" in printed
    assert "callback requests made more than 90 days ago: 2 deleted (1 never marked done)" in (
        printed
    )
    assert "Canary" not in printed and "555" not in printed
    assert event_counts(database_url) == {}
    with pytest.raises(SystemExit):
        main(["--days", "0"])
