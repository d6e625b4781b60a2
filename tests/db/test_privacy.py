"""Patients' details encrypted at rest, on SQLite and PostgreSQL: the migration and rotation."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, insert, select, text

from clinic.booking import BookingRequest, SlotTaken, book, find, set_status
from clinic.callbacks import CallbackDetails, open_callbacks, request_callback
from clinic.crypto import KeyProblem
from clinic.db import ROOT, session_factory
from clinic.models import Appointment, AppointmentStatus
from clinic.opt_outs import is_opted_out, opt_out
from clinic.privacy import main, rotate

NAME, PHONE, EMAIL, DOB = "Maria Lopez", "+19725550123", "maria@example.org", date(1956, 3, 14)
SECRETS = (NAME, PHONE, "9725550123", EMAIL, "1956-03-14", "Ann Lee", "+12145550142")


def migrate(url: str, revision: str, down: bool = False) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    (command.downgrade if down else command.upgrade)(config, revision)


def raw_rows(url: str) -> str:
    """Every stored value of the three tables, as one text to search for plain details."""
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = [
            connection.execute(text(f"SELECT * FROM {table}")).all()
            for table in ("appointments", "callback_requests", "sms_opt_outs")
        ]
    engine.dispose()
    return repr(rows)


def plain_table(name: str, **types) -> sa.TableClause:
    return sa.table(name, *(sa.column(column, kind) for column, kind in types.items()))


def booking(now: datetime, hour: int = 10) -> BookingRequest:
    starts_at = (now + timedelta(days=1)).replace(hour=hour, minute=0)
    return BookingRequest("neck pain", True, NAME, DOB, PHONE, starts_at, email=EMAIL)


def test_details_are_stored_encrypted_and_read_back_plain(factory, database_url, schedule, now):
    code = book(factory, schedule, booking(now), now).code
    request_callback(factory, schedule, CallbackDetails("Ann Lee", "+12145550142", "am", "x"), now)
    opt_out(factory, PHONE, now)
    stored = raw_rows(database_url)
    assert code in stored and "neck pain" in stored  # the rows are there ...
    assert not [secret for secret in SECRETS if secret in stored]  # ... with no plain detail
    found = find(factory, code, date_of_birth=DOB)
    assert (found.full_name, found.phone, found.email, found.date_of_birth) == (
        NAME, PHONE, EMAIL, DOB,
    )  # fmt: skip
    assert find(factory, code, phone=PHONE).code == code
    assert [r.full_name for r in open_callbacks(factory)] == ["Ann Lee"]
    assert is_opted_out(factory, PHONE) and not is_opted_out(factory, "+19725550124")


def test_migration_0005_encrypts_the_rows_already_stored(database_url, schedule, now):
    migrate(database_url, "0004")
    # Written as the models of revision 0004 wrote them (plain types, SQLAlchemy's formats).
    at, plain = datetime(2026, 12, 2, 14), sa.String()  # Wed Dec 2, 8:00 in Dallas
    engine = create_engine(database_url, future=True)
    with engine.begin() as connection:
        connection.execute(
            insert(plain_table("appointments", code=plain, starts_at=sa.DateTime(),
                               appointment_type=plain, status=plain, reason=plain,
                               new_patient=sa.Boolean(), full_name=plain,
                               date_of_birth=sa.Date(), phone=plain, email=plain,
                               channel=plain, created_at=sa.DateTime(),
                               updated_at=sa.DateTime())),
            {"code": "K7M4XR", "starts_at": at, "appointment_type": "new_patient",
             "status": "requested", "reason": "neck pain", "new_patient": True,
             "full_name": NAME, "date_of_birth": DOB, "phone": PHONE, "email": EMAIL,
             "channel": "chat", "created_at": at, "updated_at": at},
        )  # fmt: skip
        connection.execute(
            insert(plain_table("callback_requests", full_name=plain, phone=plain,
                               best_time=plain, reason=plain, due=sa.DateTime(),
                               done=sa.Boolean(), channel=plain, created_at=sa.DateTime())),
            {"full_name": "Ann Lee", "phone": "+12145550142", "best_time": "mornings",
             "reason": "bill", "due": at, "done": False, "channel": "sms", "created_at": at},
        )  # fmt: skip
        connection.execute(
            insert(plain_table("sms_opt_outs", phone=plain, opted_out_at=sa.DateTime())),
            {"phone": PHONE, "opted_out_at": at},
        )
    engine.dispose()

    migrate(database_url, "head")
    factory = session_factory(database_url)
    stored = raw_rows(database_url)
    assert "K7M4XR" in stored and not [secret for secret in SECRETS if secret in stored]
    found = find(factory, "K7M4XR", phone=PHONE)
    assert (found.full_name, found.date_of_birth, found.email) == (NAME, DOB, EMAIL)
    (callback,) = open_callbacks(factory)
    assert (callback.full_name, callback.phone, callback.best_time) == (
        "Ann Lee", "+12145550142", "mornings",
    )  # fmt: skip
    assert is_opted_out(factory, PHONE)

    # The partial unique index is as it was: a held slot is refused, a cancelled one freed.
    request = BookingRequest("x", False, "Bo Day", DOB, "+12145550151", found.starts_at)
    with pytest.raises(SlotTaken):
        book(factory, schedule, request, now)
    set_status(factory, "K7M4XR", AppointmentStatus.CANCELLED, now)
    assert book(factory, schedule, request, now).full_name == "Bo Day"

    migrate(database_url, "0004", down=True)  # and back: the plain values again
    stored = raw_rows(database_url)
    assert NAME in stored and PHONE in stored and "Ann Lee" in stored


def test_rotation_moves_every_row_to_the_newest_key(
    factory, database_url, schedule, now, monkeypatch
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("CLINIC_DATA_KEYS", old)
    codes = [book(factory, schedule, booking(now, hour), now).code for hour in (9, 10, 11)]
    request_callback(factory, schedule, CallbackDetails("Ann Lee", "+12145550142", "am", "x"), now)
    opt_out(factory, PHONE, now)

    monkeypatch.setenv("CLINIC_DATA_KEYS", f"{new},{old}")
    assert rotate(factory) == {"appointments": 3, "callback_requests": 1, "sms_opt_outs": 1}
    monkeypatch.setenv("CLINIC_DATA_KEYS", new)  # the old key removed
    assert [find(factory, code, phone=PHONE).full_name for code in codes] == [NAME] * 3
    assert open_callbacks(factory)[0].phone == "+12145550142"
    assert is_opted_out(factory, PHONE)
    stored = raw_rows(database_url)
    assert not [secret for secret in SECRETS if secret in stored]

    monkeypatch.setenv("CLINIC_DATA_KEYS", old)  # rows in the new key no longer read with the old
    with factory() as session, pytest.raises(KeyProblem):
        session.scalars(select(Appointment)).first()


def test_rotation_recomputes_the_opt_out_index_after_the_hash_key_changes(
    factory, now, monkeypatch
):
    opt_out(factory, PHONE, now)
    monkeypatch.setenv("CLINIC_HASH_KEY", "another-test-hash-key-that-is-long-enough")
    assert not is_opted_out(factory, PHONE)  # the index is keyed: stale until rotation
    assert rotate(factory)["sms_opt_outs"] == 1
    assert is_opted_out(factory, PHONE)


def test_the_rotate_command_prints_counts_only(
    factory, database_url, schedule, now, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    book(factory, schedule, booking(now), now)
    out = io.StringIO()
    assert main(["rotate"], out=out) == 0
    assert "appointments: 1 rows" in out.getvalue()
    assert not [secret for secret in SECRETS if secret in out.getvalue()]
    monkeypatch.setenv("CLINIC_DATA_KEYS", "not-a-key")
    assert main(["rotate"], out=out) == 1
    assert "CLINIC_DATA_KEYS: key 1 of 1 is not a Fernet key" in capsys.readouterr().err


def test_a_missing_key_fails_the_write_without_quoting_the_patient(
    factory, schedule, now, monkeypatch
):
    monkeypatch.delenv("CLINIC_DATA_KEYS")
    details = CallbackDetails("Canary Name", "+19725550123", "mornings", "a canary reason")
    with pytest.raises(Exception) as raised:
        request_callback(factory, schedule, details, now)
    message = str(raised.value)
    assert "CLINIC_DATA_KEYS is not set" in message
    assert "Canary" not in message and "5550123" not in message and "canary reason" not in message
