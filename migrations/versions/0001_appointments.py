"""Appointments, one patient per slot.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('requested', 'confirmed')")


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("appointment_type", sa.String(40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "confirmed",
                "cancelled",
                name="appointment_status",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("new_patient", sa.Boolean(), nullable=False),
        sa.Column("full_name", sa.String(100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "uq_appointments_active_slot", "appointments", ["starts_at"], unique=True,
        sqlite_where=ACTIVE, postgresql_where=ACTIVE,
    )  # fmt: skip
    op.create_index("ix_appointments_starts_at", "appointments", ["starts_at"])


def downgrade() -> None:
    op.drop_index("ix_appointments_starts_at", "appointments")
    op.drop_index("uq_appointments_active_slot", "appointments")
    op.drop_table("appointments")
