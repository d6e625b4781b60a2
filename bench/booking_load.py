"""Fifty patients booking at once, for five minutes: `make bench-booking` (issue 7, load).

It starts an assistant of its own (action server on 5555, Rasa on 5505, a fixed clock) with
a fresh booking database (a PostgreSQL database made for the run and dropped after it, or a
SQLite file with --sqlite), then lets simulated patients book over REST again and again,
each booking with a fresh sender and made-up details. A patient whose slot was taken picks
again among the new offers; with nothing left to offer it gives up. At the end it reads the
appointments back through the models (the details are encrypted at rest) and checks that
every confirmation is stored with its slot and patient, and that no slot is held twice.
It writes bench/reports/booking_load.md and booking_load.json. The patients themselves are
in bench/booking_patients.py.

tests/load/ imports both: one booking per patient, with the same checks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.booking_patients import Booking, Tally, run_patients  # noqa: E402
from bench.patients import percentile  # noqa: E402
from bench.report import endpoints_yaml, machine, table  # noqa: E402

RASA_PORT, ACTIONS_PORT = 5505, 5555
REST = f"http://localhost:{RASA_PORT}/webhooks/rest/webhook"
HEALTH = (f"http://localhost:{ACTIONS_PORT}/health", f"http://localhost:{RASA_PORT}/webhooks/rest/")
PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "clinic.tar.gz"
NOW = "2026-12-01T09:00:00-06:00"  # a Tuesday morning in Dallas: the open slots are known
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
REPORTS = ROOT / "bench" / "reports"
LOGS = ROOT / "var" / "bench-booking"
STARTUP_SECONDS = 240
# The result's entries that are not a row of the figures' table.
NOT_FIGURES = ("date", "machine", "settings", "errors by kind", "error examples",
               "database checks", "passed")  # fmt: skip


# -- the database's view ------------------------------------------------------------------
def check_database(url: str, bookings: list[Booking]) -> dict[str, int]:
    """Counts of what is wrong in the stored appointments (every count 0 when all is well)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from clinic.booking import ACTIVE_STATUSES
    from clinic.booking_form import slot_label
    from clinic.db import make_engine
    from clinic.models import Appointment

    zone = schedule().zone
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            rows = list(session.scalars(select(Appointment)))
    finally:
        engine.dispose()
    by_code = {row.code: row for row in rows}
    active = [row for row in rows if row.status in ACTIVE_STATUSES]
    stored = [(b, by_code.get(b.code)) for b in bookings]
    confirmed = {b.code for b in bookings}
    return {
        "confirmations missing from the database": sum(row is None for _, row in stored),
        "confirmations stored at another slot": sum(
            row is not None and slot_label(row.starts_at.astimezone(zone)) != b.slot
            for b, row in stored
        ),
        "confirmations stored with other patient details": sum(
            row is not None
            and (row.full_name, row.phone, row.date_of_birth)
            != (b.full_name, b.phone, b.date_of_birth)
            for b, row in stored
        ),
        "codes given to two patients": len(bookings) - len(confirmed),
        "slots holding two active appointments": sum(
            n > 1 for n in Counter(row.starts_at for row in active).values()
        ),
        "active appointments no patient was told of": sum(
            row.code not in confirmed for row in active
        ),
    }


def schedule():
    """The clinic's schedule (content/clinic.yml), as the action server reads it."""
    from clinic.content import load_content
    from clinic.schedule import Schedule

    return Schedule.from_config(load_content(ROOT / "content").schedule)


def slots_in_window() -> int:
    """How many slots the booking window holds at the fixed clock."""
    from clinic.schedule import open_slots
    from clinic.when import parse_preference

    clinic = schedule()
    now = datetime.fromisoformat(NOW).astimezone(clinic.zone)
    return len(open_slots(clinic, parse_preference("asap", now), set(), now, count=10_000))


# -- the assistant under test ------------------------------------------------------------
def fresh_keys() -> dict[str, str]:
    """New keys for patients' details at rest: set them here (to read rows) and for the servers."""
    from cryptography.fernet import Fernet

    return {"CLINIC_DATA_KEYS": Fernet.generate_key().decode(),
            "CLINIC_HASH_KEY": secrets.token_urlsafe(32)}  # fmt: skip


@contextmanager
def booking_database(sqlite_dir: Path | None = None) -> Iterator[str]:
    """The URL of a fresh, empty booking database: a SQLite file, or PostgreSQL's, dropped after."""
    if sqlite_dir is not None:
        yield f"sqlite:///{sqlite_dir / 'clinic.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    name = f"clinic_booking_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def reachable(url: str) -> bool:
    """Whether a server answers `url` with a success."""
    import requests

    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


@contextmanager
def assistant(database_url: str, workdir: Path) -> Iterator[None]:
    """The action server and the Rasa server, up and answering; both killed when done."""
    if any(reachable(url) for url in HEALTH):
        raise RuntimeError(f"port {RASA_PORT} or {ACTIONS_PORT} is in use: another load run?")
    workdir.mkdir(parents=True, exist_ok=True)
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        endpoints_yaml(f"http://localhost:{ACTIONS_PORT}/webhook", workdir / "tracker.db")
    )
    env = {**os.environ, "DATABASE_URL": database_url, "CLINIC_NOW": NOW,
           "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
           "CLINIC_API_TOKEN": secrets.token_urlsafe(24),
           # Simulated patients type far faster than people; the limit is tested elsewhere.
           "CLINIC_RATE_LIMIT": "1000000/60"}  # fmt: skip
    subprocess.run([str(PYTHON), "-m", "clinic.db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    commands = {
        "actions": [str(PYTHON), "-m", "rasa_sdk", "--actions", "actions",
                    "--port", str(ACTIONS_PORT)],
        "rasa": [str(PYTHON), "-m", "channels.server", "--model", str(MODEL),
                 "--port", str(RASA_PORT), "--credentials", "credentials.yml",
                 "--endpoints", str(endpoints)],
    }  # fmt: skip
    processes: list[subprocess.Popen] = []
    try:
        for (name, command), health in zip(commands.items(), HEALTH, strict=True):
            with (workdir / f"{name}.log").open("w") as log:
                processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                                  stderr=subprocess.STDOUT,
                                                  start_new_session=True))  # fmt: skip
            deadline = time.monotonic() + STARTUP_SECONDS
            while not reachable(health):
                if processes[-1].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the {name} server did not come up: see {workdir}")
                time.sleep(1)
        yield
    finally:
        for process in processes:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """End the server's whole process group: politely, then for good."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(wait)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


# -- the report ---------------------------------------------------------------------------
def summary(tally: Tally, checks: dict[str, int], settings: dict, load: str) -> dict:
    """Everything the report says, as JSON-ready values."""
    latencies = tally.latencies_ms
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": machine(),
            "python": platform.python_version(),
            # Other work on the machine slows the run: the 1-minute load before and after.
            "load average": load,
        },
        "settings": settings,
        "bookings made": len(tally.bookings),
        "attempts": tally.attempts,
        "slot-taken retries": tally.slot_taken,
        "give-ups (nothing open)": tally.give_ups,
        "cut off at the end": tally.cut_off,
        "errors": sum(tally.errors.values()),
        "errors by kind": dict(tally.errors),
        "error examples": tally.examples,
        "messages": len(latencies),
        "seconds": round(tally.seconds, 1),
        "messages/s": round(len(latencies) / tally.seconds, 2),
        "bookings/min": round(len(tally.bookings) * 60 / tally.seconds, 1),
        "latency p50 (ms)": round(percentile(latencies, 0.50)),
        "latency p95 (ms)": round(percentile(latencies, 0.95)),
        "latency p99 (ms)": round(percentile(latencies, 0.99)),
        "database checks": checks,
        "passed": not tally.errors and not any(checks.values()),
    }


def markdown(result: dict) -> str:
    """The report for people: settings, figures, errors with examples, database checks."""
    s, m = result["settings"], result["machine"]
    figures = [k for k in result if k not in NOT_FIGURES]
    lines = [
        "# Fifty patients booking at once",
        "",
        f"Measured {result['date']} (`make bench-booking`, bench/booking_load.py) on"
        f" {m['cpu']}; nproc {m['nproc']}; Python {m['python']}; 1-minute load average"
        f" {m['load average']} the run.",
        f"{s['patients']} concurrent patients booking over REST for {s['seconds']} s, one Rasa"
        f" server and one action server, booking database: {s['database']}, clock fixed at"
        f" {NOW} ({s['slots in window']} slots in the booking window). Each booking has a"
        " fresh sender and made-up details, a varied preferred time and one of the offered"
        " slots; a patient whose slot was taken picks again, and gives up when nothing is open.",
        "",
        f"**Result: {'passed' if result['passed'] else 'FAILED'}** (no errors, every check 0).",
        "",
        *table(["figure", "value"], [[k, result[k]] for k in figures]),
        "",
        "## Errors by kind",
        "",
        *(table(["error", "count"], sorted(result["errors by kind"].items()))
          if result["errors by kind"] else ["none"]),
        "",
        *(f"- {kind}: {example}" for kind, examples in sorted(result["error examples"].items())
          for example in examples),
        *([""] if result["error examples"] else []),
        "## Database checks (read through clinic.models, decrypted)",
        "",
        *table(["check", "count", "ok"], [[k, v, "yes" if v == 0 else "**no**"]
                                          for k, v in result["database checks"].items()]),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite booking database")
    args = parser.parse_args(argv)
    os.environ.update(fresh_keys())  # assistant() passes this process's environment on
    shutil.rmtree(LOGS, ignore_errors=True)  # last run's logs, tracker and SQLite file
    LOGS.mkdir(parents=True)
    load_before = os.getloadavg()[0]
    with booking_database(LOGS if args.sqlite else None) as url:
        with assistant(url, LOGS):
            print(f"{args.patients} patients booking for {args.seconds:.0f} s ...", flush=True)
            tally = asyncio.run(run_patients(REST, args.patients, seconds=args.seconds))
        checks = check_database(url, tally.bookings)
    settings = {"patients": args.patients, "seconds": args.seconds,
                "database": "SQLite" if args.sqlite else "PostgreSQL",
                "slots in window": slots_in_window()}  # fmt: skip
    load = f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    result = summary(tally, checks, settings, load)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "booking_load.json").write_text(json.dumps(result, indent=2) + "\n")
    (REPORTS / "booking_load.md").write_text(markdown(result))
    print(markdown(result))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
