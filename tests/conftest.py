"""Shared fixtures: a test database (SQLite file, or PostgreSQL via CC_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="cc-tests-"))
TEST_DATABASE_URL = os.environ.get("CC_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.db'}"
IS_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")

# Before any project module reads the settings.
os.environ["CC_DATABASE_URL"] = TEST_DATABASE_URL
os.environ["CC_DATA_DIR"] = str(_TMP)
os.environ.setdefault("CC_ENV", "test")
os.environ["CC_BASE_URL"] = "http://portal.test"
# Argon2 with cheap parameters for the thousands of test users (and the servers the browser
# tests start, which inherit it); tests/unit/test_passwords.py checks the production ones.
os.environ.setdefault("CC_PASSWORD_HASHING", "fast")

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Connection, Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from customer_center.db import get_engine  # noqa: E402
from customer_center.integrations.erp import transaction_guard  # noqa: E402
from customer_center.tables import metadata  # noqa: E402

# An ERP call inside a database transaction that wrote fails the test (in the portal it is
# logged): see customer_center/integrations/erp/transaction_guard.py.
transaction_guard.STRICT = True

DATABASE_FIXTURE = "engine"  # `db` and `session` (and every fixture on them) depend on it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``pure`` every test that reaches no database fixture: the same on SQLite and on
    PostgreSQL, so the Makefile's PostgreSQL pass deselects them (``-m "not pure"``) after
    the SQLite pass has run them."""
    for item in items:
        if DATABASE_FIXTURE not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pure)


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    engine = get_engine()
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    """A database with every table empty at the start of the test."""
    _empty_all_tables(engine)
    yield engine


def _empty_all_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        if IS_POSTGRES:
            _truncate_filled_tables(connection)
        else:
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())


# One round trip names the tables that hold rows; TRUNCATE costs per table (about 150 ms for
# all 34 on every test), so only those are emptied; every id sequence starts again at 1.
_FILLED_TABLES = " UNION ALL ".join(
    f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in metadata.sorted_tables
)
_RESTART_SEQUENCES = (
    "SELECT setval(c.oid, 1, false) FROM pg_class c "
    "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
)


def _truncate_filled_tables(connection: Connection) -> None:
    filled = connection.execute(text(_FILLED_TABLES)).scalars().all()
    if filled:
        names = ", ".join(f'"{name}"' for name in filled)
        connection.execute(text(f"TRUNCATE {names} CASCADE"))
    connection.execute(text(_RESTART_SEQUENCES))


@pytest.fixture
def session(db: Engine) -> Iterator[Session]:
    with Session(db, expire_on_commit=False) as session:
        yield session
