"""shopping lists (requisition lists): named lists of SKUs and quantities per user, shared
with the company or a role

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 14:00:00.000000

Two new tables; nothing existing changes. The right to share lists (``lists.share``) is a
built-in right of the approver role (rights of built-in roles live in the code).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'shopping_list',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('shared_with', sa.String(length=8), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=True),
        sa.Column('changed_by_kind', sa.String(length=32), nullable=False),
        sa.Column('changed_by_ref', sa.Integer(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.ForeignKeyConstraint(['owner_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['role_id'], ['role.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_shopping_list_company_id', 'shopping_list', ['company_id'])
    op.create_index('ix_shopping_list_owner_id', 'shopping_list', ['owner_id'])
    op.create_table(
        'shopping_list_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('list_id', sa.Integer(), nullable=False),
        sa.Column('sku', sa.String(length=64), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['list_id'], ['shopping_list.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('list_id', 'sku'),
    )
    op.create_index('ix_shopping_list_line_list_id', 'shopping_list_line', ['list_id'])


def downgrade() -> None:
    op.drop_index('ix_shopping_list_line_list_id', table_name='shopping_list_line')
    op.drop_table('shopping_list_line')
    op.drop_index('ix_shopping_list_owner_id', table_name='shopping_list')
    op.drop_index('ix_shopping_list_company_id', table_name='shopping_list')
    op.drop_table('shopping_list')
