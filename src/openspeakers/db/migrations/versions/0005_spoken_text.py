"""the spoken form of a job's text (text normalisation)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tts_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spoken_text', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tts_jobs', schema=None) as batch_op:
        batch_op.drop_column('spoken_text')
