"""Key rotation for patients' details at rest (the keys themselves: clinic/crypto.py).

    python -m clinic.privacy new-key    # prints a new Fernet key, to put first in CLINIC_DATA_KEYS
    python -m clinic.privacy rotate     # re-encrypts every row with the newest key

`rotate` reads DATABASE_URL like the assistant. It re-encrypts every patient's value with
the first key of $CLINIC_DATA_KEYS and recomputes the opt-outs' blind index with
$CLINIC_HASH_KEY; after it, the keys after the first can be removed. It works in small
transactions while the assistant runs: an interrupted rotation leaves every row readable
(each is either still in an old key, which is still listed, or already in the new one), and
running it again is harmless. It prints counts only.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from cryptography.fernet import Fernet
from sqlalchemy import Text, column, delete, select, table, update
from sqlalchemy.orm import sessionmaker

from clinic.crypto import KeyProblem, blind_index, check_keys, decrypt, reencrypt

BATCH = 200
# The encrypted columns of each table found by `id` (sms_opt_outs is handled on its own).
ENCRYPTED_COLUMNS = {
    "appointments": ("full_name", "date_of_birth", "phone", "email"),
    "callback_requests": ("full_name", "phone"),
}


def rotate(factory: sessionmaker) -> dict[str, int]:
    """Re-encrypt every row with the newest data key; the number of rows per table."""
    counts = {name: _rotate_table(factory, name, cols) for name, cols in ENCRYPTED_COLUMNS.items()}
    counts["sms_opt_outs"] = _rotate_opt_outs(factory)
    return counts


def _rotate_table(factory: sessionmaker, name: str, columns: tuple[str, ...]) -> int:
    # Columns typed as plain text: this works on the tokens, never on decrypted values.
    rows = table(name, column("id"), *(column(c, Text()) for c in columns))
    last_id, count = None, 0
    while True:
        with factory.begin() as session:
            query = select(rows).order_by(rows.c.id).limit(BATCH)
            if last_id is not None:
                query = query.where(rows.c.id > last_id)
            batch = session.execute(query).mappings().all()
            for row in batch:
                new = {c: reencrypt(row[c]) for c in columns if row[c] is not None}
                # Unchanged since it was read: a concurrent write used a current key anyway.
                unchanged = [rows.c[c] == row[c] for c in new]
                session.execute(
                    update(rows).where(rows.c.id == row["id"], *unchanged).values(**new)
                )
        count += len(batch)
        if len(batch) < BATCH:
            return count
        last_id = batch[-1]["id"]


def _rotate_opt_outs(factory: sessionmaker) -> int:
    rows = table("sms_opt_outs", column("phone_hash"), column("phone", Text()))
    # The keys are listed first because rotation may change them (a new CLINIC_HASH_KEY).
    with factory() as session:
        keys = list(session.scalars(select(rows.c.phone_hash)))
    for start in range(0, len(keys), BATCH):
        with factory.begin() as session:
            batch = session.execute(
                select(rows).where(rows.c.phone_hash.in_(keys[start : start + BATCH]))
            ).mappings()
            for row in batch.all():
                _rotate_opt_out(session, rows, row)
    return len(keys)


def _rotate_opt_out(session, rows, row) -> None:
    key = blind_index(decrypt(row["phone"]))
    if (
        key != row["phone_hash"]
        and session.execute(select(rows.c.phone_hash).where(rows.c.phone_hash == key)).first()
    ):
        # Already stored under the new index (a STOP since CLINIC_HASH_KEY changed): that
        # row stands for this number now.
        session.execute(delete(rows).where(rows.c.phone_hash == row["phone_hash"]))
        return
    session.execute(
        update(rows)
        .where(rows.c.phone_hash == row["phone_hash"])
        .values(phone_hash=key, phone=reencrypt(row["phone"]))
    )


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run `new-key` or `rotate`; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m clinic.privacy", description="The keys of patients' details at rest."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("new-key", help="print a new Fernet key for CLINIC_DATA_KEYS")
    commands.add_parser("rotate", help="re-encrypt every row with the newest key")
    args = parser.parse_args(argv)
    if args.command == "new-key":
        print(Fernet.generate_key().decode("ascii"), file=out)
        return 0

    from clinic.db import session_factory, upgrade

    try:
        check_keys()
        upgrade()
        counts = rotate(session_factory())
    except KeyProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{name}: {count} rows now encrypted with the newest key", file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
