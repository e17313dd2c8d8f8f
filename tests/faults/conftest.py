"""The fault tests' own servers: a throwaway PostgreSQL for the whole pass (each test makes a
database of its own on it), started and stopped by the tests as they please."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from customer_center.db import make_engine
from customer_center.migrations import upgrade
from tests.faults.processes import SCRATCH
from tests.faults.servers import ThrowawayPostgres, ThrowawayRedis

_names = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _scratch() -> Iterator[None]:
    yield
    shutil.rmtree(SCRATCH, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def redis_server() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    yield server
    server.remove()


def migrated_database(postgres: ThrowawayPostgres, prefix: str) -> tuple[str, Engine]:
    """A new database on the throwaway server with the portal's schema (the migrations)."""
    if not postgres.answers():
        postgres.start()  # a test that failed while the server was down
    url = postgres.create_database(f"{prefix}_{next(_names)}")
    upgrade(url)
    return url, make_engine(url)
