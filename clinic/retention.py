"""Retention: conversations and bookings older than N days (default 90) are deleted.

    python -m clinic.retention [--days 90] [--dry-run] [--tracker-url URL]

- Conversations in Rasa's SQL tracker store: every event of a sender whose last event is
  older than the cutoff, so that no conversation is cut in half.
- Appointments whose slot ended more than N days ago, whatever their status.
- Callback requests made more than N days ago, done or not: one still open after that long
  is no longer a call the staff will make (the count of those is printed apart).
- SMS opt-outs stay: they are the patient's wish, kept until the number texts START, and
  hold only the number, encrypted, and its blind index.

The booking database is DATABASE_URL's (clinic/db.py). The tracker store is --tracker-url,
else $TRACKER_DATABASE_URL, else the `tracker_store` of the endpoints file ./run gives Rasa
($RASA_ENDPOINTS, default endpoints.yml), with its ${ENV} placeholders filled in. Only counts
are printed, never a patient's details.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

import yaml
from sqlalchemy import Column, Float, MetaData, String, Table, create_engine, delete, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import sessionmaker

from clinic.models import Appointment, CallbackRequest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DAYS = 90
TRACKER_URL_ENV = "TRACKER_DATABASE_URL"
PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")

# The columns of Rasa's SQLTrackerStore table that retention reads (rasa 3.6).
EVENTS = Table(
    "events",
    MetaData(),
    Column("sender_id", String(255)),
    Column("timestamp", Float),  # seconds since the epoch
)


class RetentionError(RuntimeError):
    """The tracker store's settings can't be read; the message says which and why."""


@dataclass(frozen=True)
class Purged:
    """How many of each were deleted (or would be, in a dry run)."""

    conversations: int = 0
    events: int = 0
    appointments: int = 0
    callback_requests: int = 0
    open_callback_requests: int = 0  # of callback_requests, those never marked done


# Rasa's SQL store by its names, and the clinic's cached one over the same tables.
SQL_TRACKER_STORES = (
    "sql",
    "rasa.core.tracker_store.sqltrackerstore",
    "stores.tracker_store.cachedsqltrackerstore",
)


def tracker_store_url(
    environ: Mapping[str, str] = os.environ, endpoints: Path | None = None
) -> str | None:
    """The SQL tracker store's URL; None when Rasa keeps conversations in memory only."""
    if environ.get(TRACKER_URL_ENV):
        return environ[TRACKER_URL_ENV]
    path = endpoints or Path(environ.get("RASA_ENDPOINTS") or ROOT / "endpoints.yml")
    if not path.is_absolute():
        path = ROOT / path
    config = (yaml.safe_load(path.read_text()) or {}).get("tracker_store")
    if not config:
        return None
    if str(config.get("type", "")).lower() not in SQL_TRACKER_STORES:
        raise RetentionError(
            f"the tracker store in {path.name} is not SQL: give --tracker-url or {TRACKER_URL_ENV}"
        )
    config = {key: _fill(value, environ) for key, value in config.items()}
    dialect = config.get("dialect", "sqlite")
    database = str(config.get("db", "rasa.db"))
    host, port = config.get("host"), config.get("port")
    if host and "://" in str(host):
        return str(host)  # Rasa takes a whole URL in `host`
    if dialect == "sqlite":
        # Rasa opens a relative path from its working directory, which ./run makes the root.
        return f"sqlite:///{database if Path(database).is_absolute() else ROOT / database}"
    if host and ":" in str(host):
        host, port = str(host).rsplit(":", 1)  # and a port in it
    return URL.create(
        drivername=dialect,
        username=config.get("username"),
        password=config.get("password"),
        host=host,
        port=int(port) if port else None,
        database=database,
        query=config.get("query") or {},
    ).render_as_string(hide_password=False)


def _fill(value, environ: Mapping[str, str]):
    """A setting with its ${VAR} placeholders replaced from the environment, as Rasa does."""
    if not isinstance(value, str):
        return value

    def variable(match: re.Match) -> str:
        if match.group(1) not in environ:
            raise RetentionError(f"the tracker store's settings need ${{{match.group(1)}}}")
        return environ[match.group(1)]

    return PLACEHOLDER.sub(variable, value)


def purge_conversations(url: str, cutoff: datetime, dry_run: bool = False) -> tuple[int, int]:
    """Delete the conversations whose last event is before `cutoff`: (conversations, events)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return 0, 0  # no conversation was ever stored (and none is created by looking)
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            if not engine.dialect.has_table(connection, "events"):
                return 0, 0
            stale = (
                select(EVENTS.c.sender_id)
                .group_by(EVENTS.c.sender_id)
                .having(func.max(EVENTS.c.timestamp) < cutoff.timestamp())
            )
            conversations, events = connection.execute(
                select(func.count(EVENTS.c.sender_id.distinct()), func.count()).where(
                    EVENTS.c.sender_id.in_(stale)
                )
            ).one()
            if not dry_run:
                connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(stale)))
            return conversations, events
    finally:
        engine.dispose()


def purge_bookings(
    factory: sessionmaker, cutoff: datetime, slot: timedelta, dry_run: bool = False
) -> Purged:
    """Delete appointments whose slot ended, and callback requests made, before `cutoff`."""
    ended = Appointment.starts_at < cutoff - slot
    old = CallbackRequest.created_at < cutoff
    with factory.begin() as session:
        count = session.scalar(select(func.count()).select_from(Appointment).where(ended))
        callbacks, still_open = session.execute(
            select(func.count(), func.count().filter(CallbackRequest.done.is_(False))).where(old)
        ).one()
        if not dry_run:
            session.execute(delete(Appointment).where(ended))
            session.execute(delete(CallbackRequest).where(old))
    return Purged(
        appointments=count, callback_requests=callbacks, open_callback_requests=still_open
    )


def report(purged: Purged, days: int, dry_run: bool) -> str:
    """What was deleted, as counts only."""
    done = "would be deleted" if dry_run else "deleted"
    return "\n".join(
        (
            f"conversations whose last message is older than {days} days: "
            f"{purged.conversations} ({purged.events} events) {done}",
            f"appointments whose slot ended more than {days} days ago: "
            f"{purged.appointments} {done}",
            f"callback requests made more than {days} days ago: {purged.callback_requests} {done}"
            f" ({purged.open_callback_requests} never marked done)",
            "SMS opt-outs: all kept (the patient's wish, until they text START)",
        )
    )


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run the retention command; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m clinic.retention", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--days", type=_positive, default=DEFAULT_DAYS,
        help=f"keep what is newer than this many days (default {DEFAULT_DAYS})",
    )  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    parser.add_argument("--tracker-url", help=f"the tracker store (default: ${TRACKER_URL_ENV}, "
                        "else endpoints.yml)")  # fmt: skip
    args = parser.parse_args(argv)

    from clinic.content import load_content
    from clinic.db import session_factory, upgrade
    from clinic.schedule import Schedule

    schedule = Schedule.from_config(load_content().schedule)
    cutoff = schedule.now().astimezone(UTC) - timedelta(days=args.days)
    try:
        url = args.tracker_url or tracker_store_url()
    except RetentionError as error:
        print(error, file=sys.stderr)
        return 1
    # With no SQL tracker store, Rasa keeps conversations in memory only: none to delete.
    conversations, events = purge_conversations(url, cutoff, args.dry_run) if url else (0, 0)
    upgrade()
    purged = purge_bookings(session_factory(), cutoff, schedule.slot, args.dry_run)
    purged = replace(purged, conversations=conversations, events=events)
    print(report(purged, args.days, args.dry_run), file=out)
    return 0


def _positive(text: str) -> int:
    days = int(text)
    if days < 1:
        raise argparse.ArgumentTypeError("give at least 1 day")
    return days


if __name__ == "__main__":
    raise SystemExit(main())
