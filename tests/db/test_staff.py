"""The front desk's command line, against a real database."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from clinic.booking import BookingRequest, book
from clinic.staff import main

DOB = date(1956, 3, 14)


def make(factory, schedule, now, hour: int, phone: str):
    starts_at = (now + timedelta(days=1)).replace(hour=hour, minute=0)
    request = BookingRequest("neck pain", False, "Pat Example", DOB, phone, starts_at)
    return book(factory, schedule, request, now)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_lists_a_day_as_a_table_and_as_csv(factory, database_url, schedule, now, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    late = make(factory, schedule, now, 15, "+19725550100")
    early = make(factory, schedule, now, 9, "+19725550101")
    day = (now + timedelta(days=1)).date().isoformat()
    code, table = run("appointments", "--date", day)
    assert code == 0
    assert table.index(early.code) < table.index(late.code)
    assert "Pat Example" in table and "(972) 555-0101" in table and "Follow-up visit" in table
    code, text = run("appointments", "--date", day, "--csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["code"] for row in rows] == [early.code, late.code]
    assert rows[0]["time"] == f"{day} 09:00" and rows[0]["status"] == "requested"
    assert run("appointments", "--date", "2030-01-01")[1].strip() == "Nothing to show."


def test_show_confirm_and_cancel(factory, database_url, schedule, now, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    code = make(factory, schedule, now, 10, "+19725550100").code
    assert code in run("show", code.lower())[1]
    assert "confirmed" in run("confirm", code)[1]
    assert "cancelled" in run("cancel", code)[1]
    assert run("show", "ZZZZZZ")[0] == 1


def test_callback_requests_are_listed_due_first_and_marked_done(
    factory, database_url, schedule, monkeypatch
):
    from datetime import datetime

    from clinic.callbacks import CallbackDetails, request_callback

    monkeypatch.setenv("DATABASE_URL", database_url)
    saturday = datetime(2026, 12, 5, 10, tzinfo=schedule.zone)
    tuesday = datetime(2026, 12, 1, 10, tzinfo=schedule.zone)
    late = request_callback(
        factory,
        schedule,
        CallbackDetails("Ann Lee", "+12145550142", "mornings", "refill"),
        saturday,
    )
    soon = request_callback(
        factory,
        schedule,
        CallbackDetails("Bo Day", "+12145550151", "any time", "question"),
        tuesday,
    )
    assert late.due == datetime(2026, 12, 7, 8, tzinfo=schedule.zone)  # Monday's opening
    assert soon.due == tuesday  # the office is open: now
    code, table = run("callbacks")
    assert code == 0 and table.index("Bo Day") < table.index("Ann Lee")
    assert "(214) 555-0142" in table and "mornings" in table
    assert run("callback-done", str(soon.id))[0] == 0
    assert "Bo Day" not in run("callbacks")[1]
    assert "Bo Day" in run("callbacks", "--all")[1]
    rows = list(csv.DictReader(io.StringIO(run("callbacks", "--csv")[1])))
    assert [r["name"] for r in rows] == ["Ann Lee"]
    assert run("callback-done", "999")[0] == 1


def test_staff_see_the_intake_answers(factory, database_url, schedule, now, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    starts_at = (now + timedelta(days=1)).replace(hour=11, minute=0)
    request = BookingRequest(
        "sciatica", True, "Pat Example", DOB, "+19725550100", starts_at,
        pain_location="left leg", pain_duration="6 weeks", pain_score=7,
        treatments_tried="physical therapy",
    )  # fmt: skip
    code = book(factory, schedule, request, now).code
    shown = run("show", code)[1]
    assert "where: left leg; for: 6 weeks; pain 7/10; tried: physical therapy" in shown


def test_staff_are_told_when_the_key_is_missing(factory, database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("CLINIC_DATA_KEYS")
    assert run("appointments")[0] == 1
    assert "CLINIC_DATA_KEYS is not set" in capsys.readouterr().err
