"""the seller's console: the e-mails of an order are found by what they refer to

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 11:30:00.000000

``outbox_message.refers_to`` names what a message is about (``order:<id>`` for the e-mails
about an order), indexed: the seller's console lists an order's e-mails by it. Messages
queued before this revision refer to nothing. The company search filters on columns that
are indexed already (customer number, user e-mail, ERP order number, ids).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_message') as batch:
        batch.add_column(sa.Column('refers_to', sa.String(length=64), nullable=True))
        batch.create_index('ix_outbox_message_refers_to', ['refers_to'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_message') as batch:
        batch.drop_index('ix_outbox_message_refers_to')
        batch.drop_column('refers_to')
