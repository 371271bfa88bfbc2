"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 16:49:36.050937
"""

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts')),
    sa.UniqueConstraint('code', name=op.f('uq_cohorts_code'))
    )
    op.create_table('questionnaire_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_versions')),
    sa.UniqueConstraint('key', 'checksum', name=op.f('uq_questionnaire_versions_key_checksum')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_questionnaire_versions_key_version'))
    )
    op.create_table('koplopers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('province', sa.String(length=40), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('gemeente', 'regio')", name=op.f('ck_koplopers_kind')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_koplopers_cohort_id_cohorts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_koplopers')),
    sa.UniqueConstraint('slug', name=op.f('uq_koplopers_slug'))
    )
    with op.batch_alter_table('koplopers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_koplopers_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('koploper_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('koploper_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['koploper_id'], ['koplopers.id'], name=op.f('fk_koploper_members_koploper_id_koplopers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_koploper_members')),
    sa.UniqueConstraint('koploper_id', 'name', name=op.f('uq_koploper_members_koploper_id_name'))
    )
    op.create_table('waves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('koploper_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('fieldwork_start', sa.Date(), nullable=False),
    sa.Column('fieldwork_end', sa.Date(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('baseline', 'follow_up')", name=op.f('ck_waves_kind')),
    sa.CheckConstraint('fieldwork_end >= fieldwork_start', name=op.f('ck_waves_dates')),
    sa.ForeignKeyConstraint(['koploper_id'], ['koplopers.id'], name=op.f('fk_waves_koploper_id_koplopers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waves')),
    sa.UniqueConstraint('koploper_id', 'code', name=op.f('uq_waves_koploper_id_code'))
    )
    with op.batch_alter_table('waves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waves_koploper_id'), ['koploper_id'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_version_id', sa.Integer(), nullable=False),
    sa.Column('koploper_id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint("language IN ('nl', 'nl-eenvoudig')", name=op.f('ck_responses_language')),
    sa.ForeignKeyConstraint(['koploper_id'], ['koplopers.id'], name=op.f('fk_responses_koploper_id_koplopers')),
    sa.ForeignKeyConstraint(['questionnaire_version_id'], ['questionnaire_versions.id'], name=op.f('fk_responses_questionnaire_version_id_questionnaire_versions')),
    sa.ForeignKeyConstraint(['wave_id'], ['waves.id'], name=op.f('fk_responses_wave_id_waves')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_responses_idempotency_key'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_koploper_id'), ['koploper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_questionnaire_version_id'), ['questionnaire_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_wave_id'), ['wave_id'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=60), nullable=False),
    sa.Column('code', sa.Integer(), nullable=True),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.CheckConstraint('(CASE WHEN code IS NULL THEN 0 ELSE 1 END) + (CASE WHEN number IS NULL THEN 0 ELSE 1 END) + (CASE WHEN text IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_answers_one_value')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_answers_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_response_id'), ['response_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_response_id'))

    op.drop_table('answers')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_wave_id'))
        batch_op.drop_index(batch_op.f('ix_responses_questionnaire_version_id'))
        batch_op.drop_index(batch_op.f('ix_responses_koploper_id'))
        batch_op.drop_index(batch_op.f('ix_responses_is_demo'))

    op.drop_table('responses')
    with op.batch_alter_table('waves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waves_koploper_id'))

    op.drop_table('waves')
    op.drop_table('koploper_members')
    with op.batch_alter_table('koplopers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_koplopers_cohort_id'))

    op.drop_table('koplopers')
    op.drop_table('questionnaire_versions')
    op.drop_table('cohorts')
