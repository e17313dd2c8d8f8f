"""the seller's staff: members, their sign-in sessions, and account teams

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'staff_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=True),
        sa.Column('rights', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('last_sign_in_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_staff_member_email', 'staff_member', ['email'], unique=True)
    op.create_index('ix_staff_member_status', 'staff_member', ['status'], unique=False)
    op.create_table(
        'staff_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('ip_address', sa.String(length=64), nullable=False),
        sa.Column('user_agent', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_staff_session_token_hash', 'staff_session', ['token_hash'], unique=True)
    op.create_index('ix_staff_session_staff_id', 'staff_session', ['staff_id'], unique=False)
    op.create_table(
        'account_team_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('team_role', sa.String(length=32), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('company_id', 'staff_id'),
    )
    op.create_index(
        'ix_account_team_member_company_id', 'account_team_member', ['company_id'], unique=False
    )
    op.create_index(
        'ix_account_team_member_staff_id', 'account_team_member', ['staff_id'], unique=False
    )


def downgrade() -> None:
    op.drop_table('account_team_member')
    op.drop_table('staff_session')
    op.drop_table('staff_member')
