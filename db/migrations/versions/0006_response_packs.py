"""response packs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 06:00:00

Each response's coded answers packed into 64-bit words (``db.packs``), so the dashboard reads one
short row per response instead of grouping every answer. Existing responses are packed right after
by ``db.setup.init_database`` (``db.packs.repack``), from their answers, which stay as they are;
until then the dashboard packs them while reading.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "response_packs",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.SmallInteger(), nullable=False),
        sa.Column("head", sa.BigInteger(), nullable=False),
        sa.Column("words", sa.LargeBinary(), nullable=False),
        sa.Column("checksum", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_packs_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_response_packs")),
    )


def downgrade() -> None:
    op.drop_table("response_packs")
