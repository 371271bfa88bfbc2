"""login checks in progress

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:45:00

How many password checks for an address are running now, and since when (``db.logins``): a slot
is reserved before the slow check, so at most five are ever checked per 15 minutes, however many
attempts arrive at the same moment.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_throttle") as batch:
        batch.add_column(sa.Column("checking", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("checking_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("login_throttle") as batch:
        batch.drop_column("checking_since")
        batch.drop_column("checking")
