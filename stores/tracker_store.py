"""Rasa's SQL tracker store, without re-reading a conversation that has not changed.

Rasa's SQLTrackerStore reads every event of a conversation from the database and replays
them into a new tracker on every message, then counts the stored events again to know
which to write. Under load that was about a third of the Rasa server's CPU time
(bench/tuning.md). This store keeps the tracker it last saved for each conversation, in
this process, and gives it back when the database shows that nothing was written since:

- one small query per message (the number of the conversation's events and the highest
  event id) checks that; a conversation another replica wrote to, or that retention
  deleted, is read from the database as before, so several replicas behind one database
  stay correct;
- a kept tracker is handed out once: it is taken out of the cache when retrieved and put
  back only when saved, so a turn that failed half-way can never leave a half-changed
  tracker to be reused;
- as Rasa's store returns only the latest conversation session, the events before the
  latest session start are dropped from a kept tracker (a session start resets the state);
- at most `cache_size` conversations are kept (the least recently saved go first).

With SQLite (the embedded default) the database also runs in WAL mode with a pool of
connections instead of a new connection for every query. WAL with synchronous=NORMAL keeps
every committed turn if the process crashes; a power cut can lose the last turns, never
corrupt the file. Used through endpoints.yml: `type: stores.tracker_store.CachedSQLTrackerStore`
with SQLTrackerStore's own keys.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
DEFAULT_CACHE_SIZE = 1000


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    saved_events: int  # len(tracker.events) when it matched the database
    stored: tuple[int, int | None]  # (events in the database, highest event id)


class CachedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with a per-process cache checked against the database each time."""

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = int(cache_size)
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._lent: OrderedDict[str, _Kept] = OrderedDict()
        if self.engine.dialect.name == "sqlite":
            self._use_sqlite_pool()

    def _use_sqlite_pool(self) -> None:
        """A pool of WAL-mode connections instead of opening the file for every query."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=5)

        @sa.event.listens_for(self.engine, "connect")
        def _pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _stored(self, session, sender_id: str) -> tuple[int, int | None]:
        event = self.SQLEvent
        count, highest = session.execute(
            sa.select(sa.func.count(event.id), sa.func.max(event.id)).where(
                event.sender_id == sender_id
            )
        ).one()
        return int(count), highest

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        kept = self._kept.pop(sender_id, None)
        with self.session_scope() as session:
            stored = self._stored(session, sender_id)
        if kept is None or kept.stored != stored or len(kept.tracker.events) != kept.saved_events:
            tracker = await super().retrieve(sender_id)
            if tracker is None:
                return None
            # Everything after these events is new when this tracker is saved; the database's
            # numbers are read again then.
            kept = _Kept(tracker, len(tracker.events), stored)
        self._lend(sender_id, kept)
        return kept.tracker

    def _lend(self, sender_id: str, kept: _Kept) -> None:
        self._lent[sender_id] = kept
        self._lent.move_to_end(sender_id)
        while len(self._lent) > self.cache_size:
            self._lent.popitem(last=False)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        lent = self._lent.pop(sender_id, None)
        if lent is not None and lent.tracker is not tracker:
            lent = None
        with self.session_scope() as session:
            if lent is not None:
                # Retrieved under the conversation's lock: the database still holds exactly
                # what it held then, and everything after saved_events is new.
                new = list(itertools.islice(tracker.events, lent.saved_events, None))
            else:
                new = list(self._additional_events(session, tracker))
            if new:
                rows = [self._row(sender_id, event) for event in new]
                session.execute(self.SQLEvent.__table__.insert(), rows)
            stored = self._stored(session, sender_id)
            session.commit()
        self._keep(sender_id, _Kept(tracker, len(tracker.events), stored))
        logger.debug("Tracker stored to database")

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """One event's row, as Rasa's SQLTrackerStore.save writes it."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _keep(self, sender_id: str, kept: _Kept) -> None:
        _from_latest_session(kept)
        self._kept[sender_id] = kept
        self._kept.move_to_end(sender_id)
        while len(self._kept) > self.cache_size:
            self._kept.popitem(last=False)


def _from_latest_session(kept: _Kept) -> None:
    """Drop the events before the latest session start, as Rasa's SQL store reads them.

    Starting a session resets the tracker's state, so what came before changes nothing but
    the list of events (which the action server is sent).
    """
    events = kept.tracker.events
    starts = [i for i, event in enumerate(events) if isinstance(event, SessionStarted)]
    for _ in range(starts[-1] if starts else 0):
        events.popleft()
    kept.saved_events = len(events)
