"""Alembic environment: the portal's metadata and the database URL from the settings."""

from __future__ import annotations

from alembic import context
from customer_center.db import make_engine
from customer_center.settings import get_settings
from customer_center.tables import metadata


def run_migrations() -> None:
    url = context.config.attributes.get("database_url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=url.startswith("sqlite"),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
