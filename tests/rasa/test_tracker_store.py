"""stores.tracker_store: the cached SQL tracker store keeps what Rasa's SQL store keeps.

Real SQLite files, and PostgreSQL for two replicas sharing one database. Each test compares
with what Rasa's own SQLTrackerStore reads from the same database.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import CachedSQLTrackerStore
from tests.conftest import ROOT
from tests.db.conftest import POSTGRES

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def run(coroutine):
    return asyncio.run(coroutine)


def turn(tracker: DialogueStateTracker, text: str, topic: str) -> None:
    """One user turn as Rasa logs it: the message, an action, a slot, a reply, listening."""
    tracker.update(UserUttered(text, {"name": "ask_facet", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer"))
    tracker.update(SlotSet("topic", topic))
    tracker.update(BotUttered(f"about {topic}"))
    tracker.update(ActionExecuted("action_listen"))


def start_session(tracker: DialogueStateTracker) -> None:
    """A conversation session's start as Rasa logs it."""
    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen")):  # fmt: skip
        tracker.update(event)


def new_tracker(store, sender: str) -> DialogueStateTracker:
    tracker = store.init_tracker(sender)
    start_session(tracker)
    return tracker


def saved_conversation(store, sender: str) -> DialogueStateTracker:
    """A new conversation of one turn (topic "facet"), saved."""
    tracker = new_tracker(store, sender)
    turn(tracker, "hello", "facet")
    run(store.save(tracker))
    return tracker


def as_rasa_reads_it(url: str, sender: str) -> list[dict]:
    rasa_store = SQLTrackerStore(DOMAIN, host=url)
    tracker = run(rasa_store.retrieve(sender))
    rasa_store.engine.dispose()
    return [event.as_dict() for event in tracker.events] if tracker else []


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def postgres_url():
    name = f"tracker_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - say why, then fail: never skip silently
        pytest.fail(f"PostgreSQL at {POSTGRES} is not reachable ({error}); start it first")
    yield f"{POSTGRES}/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_conversation_is_stored_as_rasa_stores_it_and_reused_while_unchanged(sqlite_url):
    store = CachedSQLTrackerStore(DOMAIN, host=sqlite_url)
    tracker = new_tracker(store, "p1")
    turn(tracker, "what is a facet injection", "facet")
    run(store.save(tracker))
    for number in range(3):
        again = run(store.retrieve("p1"))
        assert again is tracker  # nothing written since: no re-reading
        turn(again, f"and then {number}", f"topic {number}")
        run(store.save(again))
    stored = as_rasa_reads_it(sqlite_url, "p1")
    assert stored == [event.as_dict() for event in tracker.events]
    assert run(store.retrieve("p1")).get_slot("topic") == "topic 2"


def test_a_turn_that_failed_before_saving_is_not_reused(sqlite_url):
    store = CachedSQLTrackerStore(DOMAIN, host=sqlite_url)
    saved_conversation(store, "p2")
    failed = run(store.retrieve("p2"))
    turn(failed, "this turn never gets saved", "epidural")  # e.g. the action server died
    again = run(store.retrieve("p2"))
    assert again is not failed
    assert again.get_slot("topic") == "facet"
    assert [e.as_dict() for e in again.events] == as_rasa_reads_it(sqlite_url, "p2")


def test_another_writer_makes_it_read_the_database_again(sqlite_url):
    first = CachedSQLTrackerStore(DOMAIN, host=sqlite_url)
    second = CachedSQLTrackerStore(DOMAIN, host=sqlite_url)  # another replica
    tracker = saved_conversation(first, "p3")
    elsewhere = run(second.retrieve("p3"))
    turn(elsewhere, "a turn on the other replica", "epidural")
    run(second.save(elsewhere))
    seen = run(first.retrieve("p3"))
    assert seen is not tracker and seen.get_slot("topic") == "epidural"
    assert [e.as_dict() for e in seen.events] == as_rasa_reads_it(sqlite_url, "p3")


def test_a_deleted_conversation_is_gone(sqlite_url):
    store = CachedSQLTrackerStore(DOMAIN, host=sqlite_url)
    saved_conversation(store, "p4")
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as connection:
        connection.execute("DELETE FROM events WHERE sender_id = 'p4'")  # retention
    assert run(store.retrieve("p4")) is None


def test_a_second_session_is_read_back_as_rasa_reads_it(sqlite_url):
    store = CachedSQLTrackerStore(DOMAIN, host=sqlite_url)
    tracker = saved_conversation(store, "p5")
    tracker = run(store.retrieve("p5"))
    start_session(tracker)
    turn(tracker, "back again next week", "epidural")
    run(store.save(tracker))
    again = run(store.retrieve("p5"))
    assert again is tracker  # kept, from its latest session on, as the database gives it
    assert [e.as_dict() for e in again.events] == as_rasa_reads_it(sqlite_url, "p5")
    assert sum(isinstance(e, SessionStarted) for e in again.events) == 1


def test_at_most_cache_size_conversations_are_kept(sqlite_url):
    store = CachedSQLTrackerStore(DOMAIN, host=sqlite_url, cache_size=2)
    trackers = {}
    for sender in ("a", "b", "c"):
        trackers[sender] = new_tracker(store, sender)
        turn(trackers[sender], "hello", sender)
        run(store.save(trackers[sender]))
    assert run(store.retrieve("a")) is not trackers["a"]  # the oldest went
    assert run(store.retrieve("c")) is trackers["c"]
    assert len(store._kept) <= 2 and len(store._lent) <= 2


def test_sqlite_runs_in_wal_mode(sqlite_url):
    store = CachedSQLTrackerStore(DOMAIN, host=sqlite_url)
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_two_replicas_on_postgresql(postgres_url):
    first = CachedSQLTrackerStore(DOMAIN, host=postgres_url)
    second = CachedSQLTrackerStore(DOMAIN, host=postgres_url)
    saved_conversation(first, "pg-1")
    for number, store in enumerate((second, first, second, first)):
        current = run(store.retrieve("pg-1"))
        turn(current, f"turn {number}", f"topic {number}")
        run(store.save(current))
    assert run(first.retrieve("pg-1")).get_slot("topic") == "topic 3"
    assert as_rasa_reads_it(postgres_url, "pg-1") == [
        e.as_dict() for e in run(second.retrieve("pg-1")).events
    ]
    for store in (first, second):
        store.engine.dispose()
