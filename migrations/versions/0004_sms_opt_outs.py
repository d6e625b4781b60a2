"""Numbers that texted STOP.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_opt_outs",
        sa.Column("phone", sa.String(20), primary_key=True),
        sa.Column("opted_out_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sms_opt_outs")
