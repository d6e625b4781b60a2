"""Intake answers with each appointment: where it hurts, for how long, 0-10, what was tried.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = (
    ("pain_location", sa.String(200)),
    ("pain_duration", sa.String(200)),
    ("pain_score", sa.Integer()),
    ("treatments_tried", sa.String(200)),
)


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy), so SQLite keeps the partial unique index as it is.
    for name, kind in COLUMNS:
        op.add_column("appointments", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appointments") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
