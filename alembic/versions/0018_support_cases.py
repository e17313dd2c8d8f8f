"""support cases: a customer company's cases, their timeline and followers

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 14:40:00.000000

``support_case`` holds a case of a customer company (subject, category, status, the order it
is about, the agent it is assigned to, when the seller first answered and when it was
solved); ``case_entry`` its timeline (messages both ways, the seller's internal notes,
status changes, assignments, followers added), each with who acted and for whom;
``case_follower`` the colleagues who follow it besides its opener.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'support_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('assignee_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('first_answer_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('solved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['assignee_id'], ['staff_member.id']),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.ForeignKeyConstraint(['opened_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['order_id'], ['customer_order.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_support_case_company_created', 'support_case', ['company_id', 'created_at']
    )
    for column in ('opened_by_id', 'status', 'assignee_id'):
        op.create_index(f'ix_support_case_{column}', 'support_case', [column], unique=False)
    op.create_table(
        'case_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('actor_kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('actor_ref', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('data', sa.JSON(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['case_id'], ['support_case.id']),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_entry_case_created', 'case_entry', ['case_id', 'created_at'])
    op.create_index('ix_case_entry_company_id', 'case_entry', ['company_id'], unique=False)
    op.create_table(
        'case_follower',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['support_case.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'user_id'),
    )
    op.create_index('ix_case_follower_case_id', 'case_follower', ['case_id'], unique=False)
    op.create_index('ix_case_follower_user_id', 'case_follower', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('case_follower')
    op.drop_table('case_entry')
    op.drop_table('support_case')
