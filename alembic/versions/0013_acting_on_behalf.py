"""acting on a customer's behalf: the company's policy, acting sessions, consents

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 12:10:00.000000

``company.acting_policy`` says whether the seller's agents may act for the company's users
(never, with the user's consent each time, always); every company starts at "never".
``acting_session`` holds an agent acting for a user within one staff session;
``acting_consent`` an agent's request and the user's answer.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('company') as batch:
        batch.add_column(
            sa.Column(
                'acting_policy', sa.String(length=16), nullable=False, server_default='never'
            )
        )
    op.create_table(
        'acting_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('staff_session_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_activity_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('end_reason', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id']),
        sa.ForeignKeyConstraint(['staff_session_id'], ['staff_session.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    for column in ('staff_id', 'staff_session_id', 'company_id', 'user_id'):
        op.create_index(f'ix_acting_session_{column}', 'acting_session', [column], unique=False)
    op.create_table(
        'acting_consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('decision', sa.String(length=16), nullable=False),
        sa.Column('valid_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    for column in ('staff_id', 'company_id', 'user_id'):
        op.create_index(f'ix_acting_consent_{column}', 'acting_consent', [column], unique=False)


def downgrade() -> None:
    op.drop_table('acting_consent')
    op.drop_table('acting_session')
    with op.batch_alter_table('company') as batch:
        batch.drop_column('acting_policy')
