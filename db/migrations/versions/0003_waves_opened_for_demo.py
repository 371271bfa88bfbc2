"""waves opened for demo

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:20:00

A plain ADD COLUMN, not a batch copy: on SQLite a batch operation drops and recreates the table,
which foreign keys from responses forbid once there is data.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "waves",
        sa.Column("opened_for_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+) for the same reason: a batch copy fails once there is data.
    op.drop_column("waves", "opened_for_demo")
