"""several planned absences per user

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's batch mode reflects the unnamed UNIQUE(user_id) of 0002 under this name.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _user_unique_names() -> list[str]:
    found = sa.inspect(op.get_bind()).get_unique_constraints("absence")
    return [c["name"] for c in found if c["column_names"] == ["user_id"] and c["name"]]


def upgrade() -> None:
    # Existing rows stay as they are: each becomes one of its user's planned absences.
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("absence", naming_convention=NAMING) as batch_op:
            batch_op.drop_constraint("uq_absence_user_id", type_="unique")
            batch_op.create_index(batch_op.f("ix_absence_user_id"), ["user_id"], unique=False)
        return
    for name in _user_unique_names():
        op.drop_constraint(name, "absence", type_="unique")
    op.create_index(op.f("ix_absence_user_id"), "absence", ["user_id"], unique=False)


def downgrade() -> None:
    # Only the latest absence of each user survives the way back to one per user.
    op.execute("DELETE FROM absence WHERE id NOT IN (SELECT MAX(id) FROM absence GROUP BY user_id)")
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absence_user_id"))
        batch_op.create_unique_constraint("absence_user_id_key", ["user_id"])
