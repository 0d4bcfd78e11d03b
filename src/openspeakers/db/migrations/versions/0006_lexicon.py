"""pronunciation lexicon, job warnings

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:15:00

Written on the ssml branch after "0004"; re-chained after "0005" (issue 16's text
normalisation, spoken_text) when the branches met.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lexicon_entries',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.Column('word_key', sa.String(length=100), nullable=False),
    sa.Column('model_id', sa.String(length=64), nullable=True),
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('replacement', sa.String(length=500), nullable=True),
    sa.Column('phonemes', sa.String(length=500), nullable=True),
    sa.Column('alphabet', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('scope', 'word_key', name='uq_lexicon_scope_word')
    )
    with op.batch_alter_table('tts_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warnings', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tts_jobs', schema=None) as batch_op:
        batch_op.drop_column('warnings')
    op.drop_table('lexicon_entries')
