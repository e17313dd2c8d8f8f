"""The PostgreSQL pool's check before it lends a connection: no round trip for a connection
that is fine, a new connection in place of one the server ended (a restart, a killed
backend), so the first statement after it just works."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from customer_center.db import make_engine
from tests.conftest import IS_POSTGRES, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="the check reads PostgreSQL's sockets")


@pytest.fixture
def pool() -> Iterator[Engine]:
    """An engine of its own: its pool holds only this test's connections."""
    engine = make_engine(TEST_DATABASE_URL)
    yield engine
    engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _last_query(watcher: Engine, pid: int) -> str:
    with watcher.connect() as connection:
        sql = text("SELECT query FROM pg_stat_activity WHERE pid = :pid")
        return connection.execute(sql, {"pid": pid}).scalar_one()


def test_a_connection_lent_again_is_not_asked_anything(pool: Engine, db: Engine) -> None:
    pid = _backend_pid(pool)  # returned to the pool with a rollback
    with pool.connect() as connection:
        connection.connection  # noqa: B018 - lent: the pool's checks have run
        assert _last_query(db, pid) == "ROLLBACK"


def test_a_connection_the_server_ended_is_replaced_before_use(pool: Engine, db: Engine) -> None:
    pid = _backend_pid(pool)
    with db.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        deadline = time.monotonic() + 10
        while connection.execute(gone, {"pid": pid}).scalar_one():
            assert time.monotonic() < deadline, "the backend did not end"
            connection.rollback()  # a fresh snapshot of the activity view
    assert _backend_pid(pool) != pid
