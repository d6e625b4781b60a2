"""The deployment's PostgreSQL databases: bookings and conversations (Rasa's tracker store).

    python deploy/databases.py create   # each database made when missing, and Rasa's table
    python deploy/databases.py drop     # both dropped (the tests' own databases)

Reads CLINIC_PG_HOST, CLINIC_PG_PORT, CLINIC_PG_USER, CLINIC_PG_PASSWORD, CLINIC_BOOKING_DB and
CLINIC_TRACKER_DB, as deploy/run sets them. The booking schema itself is made by
`python -m clinic.db upgrade` (Alembic), which deploy/run runs next.
"""

from __future__ import annotations

import os
import re
import sys

# Rasa's tracker model is written in SQLAlchemy 1.4's style; read when sqlalchemy is imported.
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import URL, Engine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")  # quoted into CREATE DATABASE: nothing else


def server_url(database: str) -> URL:
    """The URL of `database` on the deployment's PostgreSQL server."""
    return URL.create(
        "postgresql+psycopg2",
        username=os.environ.get("CLINIC_PG_USER") or "postgres",
        password=os.environ.get("CLINIC_PG_PASSWORD") or None,
        host=os.environ.get("CLINIC_PG_HOST") or "127.0.0.1",
        port=int(os.environ.get("CLINIC_PG_PORT") or 5432),
        database=database,
    )


def names() -> list[str]:
    """The booking and the tracker database's names, checked."""
    found = [os.environ.get("CLINIC_BOOKING_DB", ""), os.environ.get("CLINIC_TRACKER_DB", "")]
    for name in found:
        if not NAME.match(name):
            raise SystemExit(f"not a usable database name: {name!r} (lower-case, digits, _)")
    return found


def admin() -> Engine:
    return create_engine(
        server_url("postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool, future=True
    )


def create() -> None:
    booking, tracker = names()
    engine = admin()
    with engine.connect() as connection:
        for name in (booking, tracker):
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
                print(f"created the database {name}")
    engine.dispose()
    # Rasa's own table, made here once: replicas starting together would race to make it.
    from rasa.core.tracker_store import SQLTrackerStore

    tracker_engine = create_engine(server_url(tracker), poolclass=NullPool)
    SQLTrackerStore.Base.metadata.create_all(tracker_engine)
    tracker_engine.dispose()


def drop() -> None:
    engine = admin()
    with engine.connect() as connection:
        for name in names():
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


if __name__ == "__main__":
    commands = {"create": create, "drop": drop}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    commands[sys.argv[1]]()
