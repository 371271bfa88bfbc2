"""invitations: codes, wave access, panel keys, held open-link responses

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 15:00:00

Single-use invitation codes in batches (``db.invitations``), a wave's way in (codes, open link or
both), whether a response came in with a code and its panel key, wrong-code counts per source, a key shared by every server process,
open-link arrivals per source and the responses held back from a burst. Columns are added with a
plain ADD COLUMN, not a batch copy (see 0003); SQLite takes the CHECK in the column itself.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ACCESS_CHECK = "access IN ('codes', 'open', 'both')"
LANGUAGE_CHECK = "language IN ('nl', 'nl-eenvoudig')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE waves ADD COLUMN access VARCHAR(10) DEFAULT 'both' NOT NULL"
            f" CONSTRAINT ck_waves_access CHECK ({ACCESS_CHECK})"
        )
    else:
        op.add_column(
            "waves", sa.Column("access", sa.String(10), server_default="both", nullable=False)
        )
        op.create_check_constraint("access", "waves", ACCESS_CHECK)
    op.add_column(
        "responses",
        sa.Column("invited", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("responses", sa.Column("panel_key", sa.String(32), nullable=True))
    op.create_index("ix_responses_panel_key", "responses", ["panel_key"])

    op.create_table(
        "code_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("koploper_id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("survey", sa.String(60), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("panel", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("follow_up_of", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("letters_on", sa.Date(), nullable=True),
        sa.Column("reminders_on", sa.Date(), nullable=True),
        sa.CheckConstraint(LANGUAGE_CHECK, name=op.f("ck_code_batches_language")),
        sa.ForeignKeyConstraint(
            ["koploper_id"], ["koplopers.id"], name=op.f("fk_code_batches_koploper_id_koplopers")
        ),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["waves.id"], name=op.f("fk_code_batches_wave_id_waves")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_of"], ["waves.id"], name=op.f("fk_code_batches_follow_up_of_waves")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_batches")),
    )
    op.create_index("ix_code_batches_koploper_id", "code_batches", ["koploper_id"])
    op.create_index("ix_code_batches_wave_id", "code_batches", ["wave_id"])

    op.create_table(
        "invitation_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("letter_number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("used_on", sa.Date(), nullable=True),
        sa.Column("panel_key", sa.String(32), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["code_batches.id"],
            name=op.f("fk_invitation_codes_batch_id_code_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_invitation_codes_code")),
    )
    op.create_index("ix_invitation_codes_batch_id", "invitation_codes", ["batch_id"])
    op.create_index("ix_invitation_codes_panel_key", "invitation_codes", ["panel_key"])

    op.create_table(
        "code_attempts",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_code_attempts")),
    )

    op.create_table(
        "server_keys",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_keys")),
    )

    op.create_table(
        "open_arrivals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_arrivals")),
    )
    op.create_index("ix_open_arrivals_source", "open_arrivals", ["source"])
    op.create_index("ix_open_arrivals_at", "open_arrivals", ["at"])

    op.create_table(
        "held_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("koploper_id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.CheckConstraint(LANGUAGE_CHECK, name=op.f("ck_held_responses_language")),
        sa.ForeignKeyConstraint(
            ["questionnaire_version_id"],
            ["questionnaire_versions.id"],
            name=op.f("fk_held_responses_questionnaire_version_id_questionnaire_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["koploper_id"], ["koplopers.id"], name=op.f("fk_held_responses_koploper_id_koplopers")
        ),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["waves.id"], name=op.f("fk_held_responses_wave_id_waves")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_responses")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_held_responses_idempotency_key")),
    )
    op.create_index("ix_held_responses_koploper_id", "held_responses", ["koploper_id"])
    op.create_index("ix_held_responses_wave_id", "held_responses", ["wave_id"])


def downgrade() -> None:
    for table in (
        "held_responses",
        "open_arrivals",
        "server_keys",
        "code_attempts",
        "invitation_codes",
        "code_batches",
    ):
        op.drop_table(table)
    op.drop_index("ix_responses_panel_key", table_name="responses")
    op.drop_column("responses", "panel_key")
    op.drop_column("responses", "invited")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_waves_access"), "waves", type_="check")
    op.drop_column("waves", "access")
