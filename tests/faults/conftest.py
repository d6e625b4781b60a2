"""Real servers to break: a Rasa server and an action server of these tests' own.

They run on ports 5305 and 5355 (./run's 5005 and 5055 stay free for the end-to-end tests),
with a fresh PostgreSQL booking database made for the run and dropped after it, a SQLite
tracker store in a temporary directory, and a fixed clock (tests/e2e's NOW: a Tuesday
morning in Dallas, so the open slots are known). Both servers are started once for the
folder (package-scoped fixtures); a test may kill either, and before each test the autouse
fixture starts again whatever is down. Rasa is started as the clinic runs it
(channels.server), so a turn that produces no reply still gets the REST channel's fallback.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench.report import endpoints_yaml
from tests.conftest import ROOT
from tests.e2e.conftest import NOW, PHONE, Patient, port_open

RASA_PORT = 5305
ACTIONS_PORT = 5355
REST = f"http://localhost:{RASA_PORT}/webhooks/rest/webhook"
RASA_HEALTH = f"http://localhost:{RASA_PORT}/webhooks/rest/"
ACTIONS_WEBHOOK = f"http://localhost:{ACTIONS_PORT}/webhook"
ACTIONS_HEALTH = f"http://localhost:{ACTIONS_PORT}/health"
PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "clinic.tar.gz"
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
STARTUP_SECONDS = 180


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: kills the servers and the database under a booking (tests/faults)"
    )


def rasa_command(endpoints: Path) -> list[str]:
    """The Rasa server's command line, as the clinic runs it (channels/server.py)."""
    return [str(PYTHON), "-m", "channels.server", *rasa_flags(endpoints)]


def rasa_flags(endpoints: Path) -> list[str]:
    return [
        "--model", str(MODEL), "--port", str(RASA_PORT),
        "--credentials", "credentials.yml", "--endpoints", str(endpoints),
    ]  # fmt: skip


class Servers:
    """The two servers as process groups, each killed with SIGKILL and started again."""

    def __init__(self, workdir: Path, env: dict[str, str]):
        self.workdir = workdir
        self.env = env
        self.endpoints = workdir / "endpoints.yml"
        self.endpoints.write_text(endpoints_yaml(ACTIONS_WEBHOOK, workdir / "tracker.db"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.starts = {"rasa": 0, "actions": 0}

    def _start(self, name: str, command: list[str], health: str) -> None:
        self.starts[name] += 1
        log = (self.workdir / f"{name}-{self.starts[name]}.log").open("w")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes[name] = process
        deadline = time.monotonic() + STARTUP_SECONDS
        while not port_open(health):
            if process.poll() is not None or time.monotonic() > deadline:
                self.kill(name)
                pytest.fail(f"the {name} server did not come up:\n{self.log_tail(name)}")
            time.sleep(1)

    def start_actions(self) -> None:
        command = [str(PYTHON), "-m", "rasa_sdk", "--actions", "actions",
                   "--port", str(ACTIONS_PORT)]  # fmt: skip
        self._start("actions", command, ACTIONS_HEALTH)

    def start_rasa(self) -> None:
        self._start("rasa", rasa_command(self.endpoints), RASA_HEALTH)

    def running(self, name: str) -> bool:
        process = self.processes.get(name)
        return process is not None and process.poll() is None

    def kill(self, name: str) -> None:
        """SIGKILL the server's whole process group, as `kill -9` would, and reap it."""
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def ensure_up(self) -> None:
        if not self.running("actions"):
            self.start_actions()
        if not self.running("rasa"):
            self.start_rasa()

    def log(self, name: str) -> str:
        """What the server has logged since it was last started."""
        path = self.workdir / f"{name}-{self.starts[name]}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_tail(self, name: str, characters: int = 4000) -> str:
        return self.log(name)[-characters:]


class Database:
    """The run's own PostgreSQL booking database, which a test can make unavailable."""

    def __init__(self):
        self.name = f"clinic_faults_{uuid.uuid4().hex[:10]}"
        self.url = f"{POSTGRES}/{self.name}"
        self.admin = create_engine(
            f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", future=True, poolclass=NullPool
        )
        self.engine = create_engine(self.url, future=True, poolclass=NullPool)

    def create(self) -> None:
        try:
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        except Exception as error:  # noqa: BLE001 - say why, then fail: never skip silently
            pytest.fail(f"PostgreSQL at {POSTGRES} is not reachable ({error}); start it first")

    def drop(self) -> None:
        self.engine.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()

    @contextmanager
    def unavailable(self) -> Iterator[None]:
        """No new connections, and every open one cut, until the block ends."""
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )
        try:
            yield
        finally:
            with self.admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))

    @contextmanager
    def appointments_locked(self) -> Iterator[None]:
        """Hold the appointments table, so that a booking's INSERT waits until the block ends.

        That keeps a confirmation in flight for as long as a test needs to kill a server.
        """
        with self.engine.connect() as connection, connection.begin():
            connection.execute(text("LOCK TABLE appointments IN ACCESS EXCLUSIVE MODE"))
            yield

    def wait_for_a_blocked_write(self, seconds: float = 60) -> None:
        """Wait until a session of the database waits for the lock of appointments_locked."""
        deadline = time.monotonic() + seconds
        query = text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = :name AND wait_event_type = 'Lock'"
        )
        while time.monotonic() < deadline:
            with self.admin.connect() as connection:
                if connection.execute(query, {"name": self.name}).scalar_one():
                    return
            time.sleep(0.1)
        pytest.fail("no booking reached the database")

    def wait_for_appointments_at(self, starts_at: str, seconds: float = 60) -> list[tuple]:
        deadline = time.monotonic() + seconds
        while not (rows := self.appointments_at(starts_at)) and time.monotonic() < deadline:
            time.sleep(0.2)
        return rows

    def appointments_at(self, starts_at: str) -> list[tuple[str, str]]:
        """(code, status) of every appointment row at `starts_at`, cancelled ones included."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT code, status FROM appointments WHERE starts_at = :at ORDER BY id"),
                # stored as naive UTC (clinic.models.UTCDateTime)
                {"at": datetime.fromisoformat(starts_at).astimezone(UTC).replace(tzinfo=None)},
            )
            return [(code, status) for code, status in rows]

    def count(self, sql: str, **params) -> int:
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()

    def patient_of(self, code: str) -> tuple[str, str, str]:
        """(name, phone, date of birth) of the appointment, read as the front desk does."""
        from clinic.booking import find_for_staff
        from clinic.db import session_factory

        found = find_for_staff(session_factory(self.url), code)
        return found.full_name, found.phone, found.date_of_birth.isoformat()


@pytest.fixture(scope="package")
def database() -> Iterator[Database]:
    db = Database()
    db.create()
    yield db
    from clinic.db import _session_factory

    _session_factory.cache_clear()
    db.drop()


@pytest.fixture(scope="package")
def secrets_env() -> Iterator[dict[str, str]]:
    """The keys both servers get; this process gets them too, to read the stored rows."""
    values = {
        "CLINIC_DATA_KEYS": Fernet.generate_key().decode(),
        "CLINIC_HASH_KEY": secrets.token_urlsafe(32),
        "CLINIC_API_TOKEN": secrets.token_urlsafe(16),
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    yield values
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="package")
def servers(tmp_path_factory, database, secrets_env) -> Iterator[Servers]:
    for url in (RASA_HEALTH, ACTIONS_HEALTH):
        if port_open(url):
            pytest.fail(f"{url} is already in use: another run of tests/faults is going on")
    from clinic.db import upgrade

    upgrade(database.url)  # so that the tests can count rows before the first booking
    env = {
        **os.environ,
        **secrets_env,
        "DATABASE_URL": database.url,
        "CLINIC_NOW": NOW,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    running = Servers(tmp_path_factory.mktemp("faults"), env)
    try:
        running.ensure_up()
        yield running
    finally:
        running.kill("rasa")
        running.kill("actions")


@pytest.fixture(autouse=True)
def _servers_up(servers):
    servers.ensure_up()
    yield


class FaultPatient(Patient):
    """A patient of these tests' Rasa server (tests/e2e's Patient talks to ./run's)."""

    def __init__(self):
        super().__init__()
        self.sender = f"faults-{uuid.uuid4().hex[:12]}"

    def post(self, message: str, timeout: float = 60) -> requests.Response:
        return requests.post(REST, json={"sender": self.sender, "message": message},
                             timeout=timeout)  # fmt: skip

    def say(self, message: str) -> list[dict]:
        response = self.post(message)
        assert response.status_code == 200, response.text
        return response.json()


def text_of(replies: list[dict]) -> str:
    return " ".join(reply.get("text") or "" for reply in replies)


def booking_steps(name: str, born: str, phone: str, when: str, offer: str) -> list[tuple]:
    """A booking's answers, each with words of the question that must follow it.

    Every answer is different, so the question after each one shows where the form is.
    `offer` is the time to pick among those offered for `when`, as the list shows it
    ("2) Tue Dec 8, 10:00 AM"); its number is the answer that picks it.
    """
    return [
        ("I'd like to book an appointment", "main reason"),
        ("knee pain", "Have you been a patient"),
        ("new patient", "Where does it hurt?"),
        ("my left knee", "How long"),
        ("about two months", "0 (none) to 10"),
        ("6", "What have you tried"),
        ("ice and rest", "full name"),
        (name, "date of birth"),
        (born, "mobile number"),
        (phone, "email"),
        ("skip", "When would you like"),
        (when, offer),
        (offer.split(")")[0], "Shall I book it?"),
    ]


def walk(patient: FaultPatient, steps: list[tuple]) -> None:
    for message, expected in steps:
        said = text_of(patient.say(message))
        assert expected in said, f"after {message!r}: {said!r}"


def code_in(replies: list[dict]) -> str | None:
    said = text_of(replies)
    return said.split("Confirmation code: ")[1][:6] if "Confirmation code: " in said else None


__all__ = ["NOW", "PHONE"]
