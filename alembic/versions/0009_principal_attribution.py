"""every recorded change names the kind of principal that acted, and its id

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 10:50:00.000000

``audit_entry.actor_user_id`` and ``order_event.actor_id`` keep naming the customer user a
change counts for; ``actor_kind`` and ``actor_ref`` name who acted: the same user, a company's
SCIM token, or the portal itself (and later an agent of the seller acting for the user).
Rows written before this revision were a user's when they name one, else the portal's; SCIM
changes before it keep their token's label in ``after``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = {'audit_entry': 'actor_user_id', 'order_event': 'actor_id'}


def upgrade() -> None:
    for table, user_column in _TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column('actor_kind', sa.String(length=32), nullable=False,
                          server_default='system')
            )
            batch.add_column(sa.Column('actor_ref', sa.Integer(), nullable=True))
        op.execute(
            f"UPDATE {table} SET actor_kind = 'customer_user', actor_ref = {user_column} "
            f"WHERE {user_column} IS NOT NULL"
        )


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('actor_ref')
            batch.drop_column('actor_kind')
