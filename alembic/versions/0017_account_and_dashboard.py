"""my account and the dashboard: when a session was last used, e-mail choices, read markers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 14:00:00.000000

``auth_session.last_used_at`` lets the account page say when each signed-in browser was last
used; ``notification_choice`` holds the kinds of e-mail a user turned off;
``conversation_read`` how far a user has read an order's conversation (the dashboard's unread
messages).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('auth_session') as batch:
        batch.add_column(
            sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.create_table(
        'notification_choice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('wanted', sa.Boolean(), nullable=False),
        sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind', name='uq_notification_choice'),
    )
    op.create_index(
        'ix_notification_choice_user_id', 'notification_choice', ['user_id'], unique=False
    )
    op.create_table(
        'conversation_read',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('last_event_id', sa.Integer(), nullable=False),
        sa.Column('read_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['customer_order.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'order_id', name='uq_conversation_read'),
    )
    op.create_index(
        'ix_conversation_read_user_id', 'conversation_read', ['user_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_conversation_read_user_id', table_name='conversation_read')
    op.drop_table('conversation_read')
    op.drop_index('ix_notification_choice_user_id', table_name='notification_choice')
    op.drop_table('notification_choice')
    with op.batch_alter_table('auth_session') as batch:
        batch.drop_column('last_used_at')
