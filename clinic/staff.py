"""The front desk's command line: the day's appointments, one appointment, confirm, cancel.

    python -m clinic.staff appointments [--date 2026-12-01] [--csv]
    python -m clinic.staff show CODE
    python -m clinic.staff confirm CODE
    python -m clinic.staff cancel CODE
    python -m clinic.staff callbacks [--all] [--csv]
    python -m clinic.staff callback-done ID

It reads DATABASE_URL like the assistant (default: var/clinic.db), and shows patients'
details decrypted with the keys in CLINIC_DATA_KEYS and CLINIC_HASH_KEY (README, "Patients'
data").
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from typing import TextIO

from tabulate import tabulate

from clinic.booking import BookingError, find_for_staff, set_status
from clinic.booking import appointments_on as _appointments_on
from clinic.callbacks import mark_done, open_callbacks
from clinic.content import load_content
from clinic.crypto import KeyProblem, check_keys
from clinic.db import session_factory, upgrade
from clinic.models import Appointment, AppointmentStatus
from clinic.patient_details import format_phone
from clinic.schedule import Schedule

CALLBACK_COLUMNS = ("id", "due", "name", "phone", "best time", "reason", "done")
COLUMNS = (
    "time", "code", "status", "type", "name", "date of birth", "phone", "email", "reason",
    "intake",
)  # fmt: skip


def _row(appointment: Appointment, schedule: Schedule) -> list[str]:
    local = appointment.starts_at.astimezone(schedule.zone)
    return [
        local.strftime("%Y-%m-%d %H:%M"),
        appointment.code,
        appointment.status.value,
        schedule.appointment_types.get(appointment.appointment_type, appointment.appointment_type),
        appointment.full_name,
        appointment.date_of_birth.isoformat(),
        format_phone(appointment.phone),
        appointment.email or "",
        appointment.reason,
        _intake(appointment),
    ]


def _intake(appointment: Appointment) -> str:
    """Where, how long, how bad, what was tried: what the patient answered."""
    parts = [
        f"where: {appointment.pain_location}" if appointment.pain_location else "",
        f"for: {appointment.pain_duration}" if appointment.pain_duration else "",
        f"pain {appointment.pain_score}/10" if appointment.pain_score is not None else "",
        f"tried: {appointment.treatments_tried}" if appointment.treatments_tried else "",
    ]
    return "; ".join(part for part in parts if part)


def _callback_row(request, schedule: Schedule) -> list[str]:
    return [
        str(request.id),
        request.due.astimezone(schedule.zone).strftime("%Y-%m-%d %H:%M"),
        request.full_name,
        format_phone(request.phone),
        request.best_time,
        request.reason,
        "yes" if request.done else "no",
    ]


def _table(rows: list[list[str]], columns: tuple[str, ...], as_csv: bool, out: TextIO) -> None:
    if as_csv:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        print(tabulate(rows, headers=columns) if rows else "Nothing to show.", file=out)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run one staff command; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m clinic.staff", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    day = commands.add_parser("appointments", help="the appointments of a day")
    day.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    day.add_argument("--csv", action="store_true", help="CSV instead of a table")
    for name in ("show", "confirm", "cancel"):
        commands.add_parser(name, help=f"{name} one appointment").add_argument("code")
    callbacks = commands.add_parser("callbacks", help="callback requests still to make")
    callbacks.add_argument("--all", action="store_true", help="include those done")
    callbacks.add_argument("--csv", action="store_true", help="CSV instead of a table")
    done = commands.add_parser("callback-done", help="mark a callback request done")
    done.add_argument("id", type=int)
    args = parser.parse_args(argv)

    try:
        check_keys()  # the details shown are decrypted with $CLINIC_DATA_KEYS
    except KeyProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    upgrade()
    factory = session_factory()
    schedule = Schedule.from_config(load_content().schedule)
    now = schedule.now()
    try:
        if args.command == "appointments":
            day_of = args.date or now.date()
            rows = [_row(a, schedule) for a in _appointments_on(factory, schedule, day_of)]
            _table(rows, COLUMNS, args.csv, out)
            return 0
        if args.command == "callbacks":
            rows = [_callback_row(r, schedule) for r in open_callbacks(factory, args.all)]
            _table(rows, CALLBACK_COLUMNS, args.csv, out)
            return 0
        if args.command == "callback-done":
            request = mark_done(factory, args.id)
            print(
                tabulate(zip(CALLBACK_COLUMNS, _callback_row(request, schedule), strict=False)),
                file=out,
            )
            return 0
        if args.command == "show":
            appointment = find_for_staff(factory, args.code)
        else:
            status = (
                AppointmentStatus.CONFIRMED
                if args.command == "confirm"
                else AppointmentStatus.CANCELLED
            )
            appointment = set_status(factory, args.code, status, now)
    except BookingError as error:
        print(error, file=sys.stderr)
        return 1
    print(tabulate(zip(COLUMNS, _row(appointment, schedule), strict=True)), file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
