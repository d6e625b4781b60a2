"""The booking database on SQLite and on PostgreSQL (which runs on this machine).

Each test gets a new, migrated database. PostgreSQL is reached at $TEST_POSTGRES_URL
(default: the local server, user postgres); .ci/run starts it when it is down.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from clinic.content import load_content
from clinic.db import _session_factory, session_factory, upgrade
from clinic.schedule import Schedule

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clinic.db'}"
        return
    name = f"clinic_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - say why, then fail: never skip silently
        pytest.fail(f"PostgreSQL at {POSTGRES} is not reachable ({error}); start it first")
    yield f"{POSTGRES}/{name}"
    _session_factory.cache_clear()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def factory(database_url):
    upgrade(database_url)
    return session_factory(database_url)


@pytest.fixture(scope="session")
def schedule() -> Schedule:
    return Schedule.from_config(load_content().schedule)


@pytest.fixture
def now(schedule) -> datetime:
    # Tuesday 2026-12-01, 09:00 in Dallas
    return datetime(2026, 12, 1, 9, 0, tzinfo=schedule.zone)
