"""The booking database: its URL, engine, sessions and migrations.

DATABASE_URL chooses the database (PostgreSQL in production); the default is SQLite at
var/clinic.db. The schema is made by the Alembic migrations in migrations/.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'clinic.db'}"


def database_url() -> str:
    """$DATABASE_URL, or the SQLite file under var/."""
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url`; SQLite waits for a writer instead of failing at once.

    Its errors never quote a statement's parameters: those are patients' details, in the
    clear when a bind fails before encryption (a missing key, clinic/crypto.py).
    """
    url = url or database_url()
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, hide_parameters=True, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, future=True, hide_parameters=True, pool_pre_ping=True)


def session_factory(url: str | None = None) -> sessionmaker:
    """A session factory for `url`, default $DATABASE_URL (one engine per URL per process)."""
    return _session_factory(url or database_url())


@cache
def _session_factory(url: str) -> sessionmaker:
    return sessionmaker(bind=make_engine(url), class_=Session, future=True, expire_on_commit=False)


def upgrade(url: str | None = None) -> None:
    """Bring the database's schema up to date with the migrations."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url or database_url()
    command.upgrade(config, "head")


if __name__ == "__main__":
    if sys.argv[1:] != ["upgrade"]:
        print("usage: python -m clinic.db upgrade", file=sys.stderr)
        raise SystemExit(2)
    from clinic.crypto import KeyProblem, check_keys

    try:
        check_keys()  # ./run calls this first: a missing key stops it here, said plainly
    except KeyProblem as problem:
        print(problem, file=sys.stderr)
        raise SystemExit(1) from None
    upgrade()
    print("the booking database is up to date")
