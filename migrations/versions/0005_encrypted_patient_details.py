"""Patients' names, phone numbers, dates of birth and emails encrypted at rest.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

The columns become text holding Fernet tokens ($CLINIC_DATA_KEYS, clinic/crypto.py) and the
rows already stored are encrypted in place; a date of birth becomes its encrypted ISO date.
SMS opt-outs are found by a blind index of the number ($CLINIC_HASH_KEY) and keep the number
encrypted. The keys are needed only when there are rows to convert.
"""

import sqlalchemy as sa
from alembic import op

from clinic.crypto import blind_index, decrypt, encrypt

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The patients' columns of each table, with their plain types before this revision.
PLAIN_TYPES = {
    "appointments": {
        "full_name": sa.String(100),
        "date_of_birth": sa.Date(),
        "phone": sa.String(20),
        "email": sa.String(254),
    },
    "callback_requests": {"full_name": sa.String(100), "phone": sa.String(20)},
}


def upgrade() -> None:
    _retype(to_plain=False)
    _convert_rows(encrypt)
    rows = _opt_outs(sa.String(20))
    op.drop_table("sms_opt_outs")
    table = op.create_table(
        "sms_opt_outs",
        sa.Column("phone_hash", sa.String(64), primary_key=True),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("opted_out_at", sa.DateTime(), nullable=False),
    )
    op.bulk_insert(
        table,
        [
            {"phone_hash": blind_index(phone), "phone": encrypt(phone), "opted_out_at": when}
            for phone, when in rows
        ],
    )


def downgrade() -> None:
    _convert_rows(decrypt)
    _retype(to_plain=True)
    rows = _opt_outs(sa.Text())
    op.drop_table("sms_opt_outs")
    table = op.create_table(
        "sms_opt_outs",
        sa.Column("phone", sa.String(20), primary_key=True),
        sa.Column("opted_out_at", sa.DateTime(), nullable=False),
    )
    op.bulk_insert(table, [{"phone": decrypt(token), "opted_out_at": when} for token, when in rows])


def _retype(to_plain: bool) -> None:
    """Plain types <-> text; batch mode, because SQLite can't alter a column's type.

    On SQLite the batch copies the table with its indexes, the partial unique index of
    active slots included (tests/db/test_privacy.py books, cancels and books again).
    """
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, columns in PLAIN_TYPES.items():
        with op.batch_alter_table(table) as batch:
            for name, plain in columns.items():
                using = None
                if postgresql and isinstance(plain, sa.Date):
                    # to_char, not ::text, whose format follows the server's DateStyle.
                    using = f"{name}::date" if to_plain else f"to_char({name}, 'YYYY-MM-DD')"
                batch.alter_column(
                    name,
                    type_=plain if to_plain else sa.Text(),
                    existing_type=sa.Text() if to_plain else plain,
                    postgresql_using=using,
                )


def _convert_rows(convert) -> None:
    """Apply `convert` (encrypt or decrypt) to every patient's value, row by row."""
    connection = op.get_bind()
    for name, columns in PLAIN_TYPES.items():
        table = sa.table(name, sa.column("id"), *(sa.column(c, sa.Text()) for c in columns))
        for row in connection.execute(sa.select(table)).mappings().all():
            values = {c: convert(str(row[c])) for c in columns if row[c] is not None}
            if values:
                connection.execute(sa.update(table).where(table.c.id == row["id"]).values(**values))


def _opt_outs(phone_type) -> list[tuple[str, object]]:
    """Every opt-out's phone column and time, before the table is made again."""
    table = sa.table(
        "sms_opt_outs", sa.column("phone", phone_type), sa.column("opted_out_at", sa.DateTime())
    )
    return [tuple(row) for row in op.get_bind().execute(sa.select(table)).all()]
