"""Backups as README "Backup and restore" describes them: a PostgreSQL dump (pg_dump -Fc)
restored into a new database, on which the portal starts and shows every order with its
timeline; and a SQLite ``.backup`` taken while the portal has the file open."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.reflex_client import ReflexClient, state_name, var
from customer_center.auth.sessions import open_session
from customer_center.db import make_engine
from customer_center.migrations import upgrade
from customer_center.models.user import User
from tests.faults.portal_data import demo_database
from tests.faults.processes import portal_env, running_portal
from tests.faults.servers import ThrowawayPostgres
from tests.order_factories import Shop

ORDER = state_name("order_view", "order_view_state")
# Every order with its status, total, lines and timeline, as one comparable list.
ORDERS = """SELECT o.id, o.status, o.total_cents, o.version,
    (SELECT count(*) FROM order_line l WHERE l.order_id = o.id),
    (SELECT count(*) FROM order_event e WHERE e.order_id = o.id),
    (SELECT max(e.id) FROM order_event e WHERE e.order_id = o.id)
    FROM customer_order o ORDER BY o.id"""
ACTIVE_REQUESTER = """SELECT o.id, o.requester_id FROM customer_order o
    JOIN user_account u ON u.id = o.requester_id
    WHERE u.status = 'active' ORDER BY o.id LIMIT 1"""


def _orders(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(ORDERS))]


def _dump_and_restore(postgres: ThrowawayPostgres, source: str, tmp_path: Path) -> str:
    dump = tmp_path / "portal.dump"
    server = ["-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres"]
    subprocess.run(
        [str(postgres.program("pg_dump")), *server, "-Fc", "-f", str(dump), source], check=True
    )
    restored = postgres.create_database("restored_from_dump")
    subprocess.run(
        [str(postgres.program("pg_restore")), *server, "--no-owner", "-d", "restored_from_dump",
         str(dump)],
        check=True,
    )  # fmt: skip
    return restored


async def _order_page(url: str, cookie: str, order_id: int) -> ReflexClient:
    tab = ReflexClient(url, cookie, timeout=30)
    await tab.connect(f"/orders/{order_id}", {"order_id": str(order_id)})
    await tab.close()
    return tab


def test_a_dump_restored_into_a_new_database_serves_every_order_and_its_timeline(
    postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    url, engine = demo_database(postgres, "backup_source")
    restored_url = _dump_and_restore(postgres, url.rsplit("/", 1)[1], tmp_path)
    restored = make_engine(restored_url)
    assert _orders(restored) == _orders(engine) and len(_orders(engine)) >= 100

    upgrade(restored_url)  # the restored schema is the current one: nothing to migrate
    with restored.connect() as connection:
        order_id, user_id = connection.execute(text(ACTIVE_REQUESTER)).one()
    with Session(restored) as session:
        user = session.get(User, user_id)
        assert user is not None
        cookie = open_session(session, user, days=1)
        session.commit()
    with running_portal(portal_env(restored_url), workers=1) as portal:
        assert portal.health().json()["database"] == "ok"
        tab = asyncio.run(_order_page(portal.url, cookie, order_id))
    assert tab.errors == [] and var(tab.state, ORDER, "found") is True
    assert var(tab.state, ORDER, "timeline")  # its history came along


def test_a_sqlite_backup_taken_while_the_portal_writes_is_whole(tmp_path: Path) -> None:
    source_url = f"sqlite:///{tmp_path / 'customer_center.db'}"
    upgrade(source_url)
    source = make_engine(source_url)
    shop = Shop.create(Session(source, expire_on_commit=False))
    for _ in range(3):
        shop.order()
    backup = tmp_path / "backup.db"
    # WAL mode, the portal's connection open: the command README gives the operator.
    subprocess.run(
        ["sqlite3", str(tmp_path / "customer_center.db"), f".backup '{backup}'"], check=True
    )
    shop.order()  # written after the backup: not in it

    copy = make_engine(f"sqlite:///{backup}")
    with copy.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert _orders(copy) == _orders(source)[:3]
