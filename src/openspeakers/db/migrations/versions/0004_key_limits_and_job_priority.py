"""per-key limits, job owner and claim priority

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rpm', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_jobs', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chars_per_day', sa.Integer(), nullable=True))

    with op.batch_alter_table('tts_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('priority', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('batch_index', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tts_jobs_api_key_id'), ['api_key_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tts_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tts_jobs_api_key_id'))
        batch_op.drop_column('batch_index')
        batch_op.drop_column('priority')
        batch_op.drop_column('api_key_id')

    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_column('chars_per_day')
        batch_op.drop_column('max_jobs')
        batch_op.drop_column('rpm')
