"""koploper contacts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:40:00

Plain ADD COLUMNs, not a batch copy: on SQLite a batch operation drops and recreates the table,
which foreign keys from waves and responses forbid once there is data (see 0003).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TEXT_COLUMNS = (
    ("contact_organisation", 200),
    ("contact_phone", 40),
    ("contact_email", 254),
    ("contact_url", 300),
)


def upgrade() -> None:
    for name, length in TEXT_COLUMNS:
        op.add_column("koplopers", sa.Column(name, sa.String(length=length), nullable=True))
    op.add_column(
        "koplopers",
        sa.Column("contact_is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # Plain DROP COLUMN too (SQLite 3.35+), for the same reason as the upgrade.
    op.drop_column("koplopers", "contact_is_demo")
    for name, _length in reversed(TEXT_COLUMNS):
        op.drop_column("koplopers", name)
