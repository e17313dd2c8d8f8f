"""Service-level timings of the hot queries on the large dataset, with their query plans.

    CC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench \\
        .venv/bin/python -m bench.hot_queries

The database must hold the dataset of ``customer-center demo generate`` (this module
generates it when the database has no companies yet). Every figure is measured as the
largest company's users see it (5,000 users, 100,000 orders): p50/p95/p99 over repeated
runs, each run in its own database session as an event handler would do it. On PostgreSQL,
every statement a query shape sends is EXPLAINed, and a sequential scan of a large table is
reported.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPEAT = 30
LARGE_TABLES = ("customer_order", "order_line", "approval_step", "order_event", "user_account")

_tmp = Path(tempfile.mkdtemp(prefix="cc-bench-"))
os.environ.setdefault("CC_DATA_DIR", str(_tmp))
os.environ["CC_DATABASE_URL"] = os.environ.get(
    "CC_BENCH_DATABASE_URL", f"sqlite:///{_tmp / 'bench.db'}"
)

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench import results  # noqa: E402
from bench.dataset import bench_actors, ensure_dataset  # noqa: E402
from customer_center.db import get_engine  # noqa: E402
from customer_center.domain.budgets import OrderFigures  # noqa: E402
from customer_center.domain.order_states import OrderStatus  # noqa: E402
from customer_center.domain.principals import CustomerUser  # noqa: E402
from customer_center.models.order import Order  # noqa: E402
from customer_center.services.orders import lists  # noqa: E402
from customer_center.services.orders.detail import order_detail  # noqa: E402
from customer_center.services.orders.inbox import inbox, waiting_count  # noqa: E402
from customer_center.services.people.budgets import order_breaches  # noqa: E402
from customer_center.services.people.user_list import UserQuery, users_page  # noqa: E402

Shape = Callable[[Session], Any]


def _pending_order(engine: Engine, actor: CustomerUser) -> int:
    with Session(engine) as session:
        return session.exec(
            select(Order.id).where(
                Order.company_id == actor.company_id, Order.status == OrderStatus.PENDING_APPROVAL
            )
        ).first()  # type: ignore[return-value]


def shapes(engine: Engine) -> dict[str, Shape]:
    a = bench_actors(engine)
    main, approver, buyer = a["main"], a["approver"], a["buyer"]
    pending = _pending_order(engine, main)
    all_orders = lists.OrderFilter(scope=lists.SCOPE_ALL)
    delivered = lists.OrderFilter(scope=lists.SCOPE_ALL, status="delivered")
    figures = OrderFigures(total_cents=250_000, total_quantity=12)
    return {
        "user list, first page": lambda s: users_page(s, main, query=UserQuery()),
        "user list, search": lambda s: users_page(s, main, query=UserQuery(search="müller")),
        "approvals inbox, first page": lambda s: inbox(s, approver),
        "approvals waiting count (nav)": lambda s: waiting_count(s, approver),
        "order page (pending order)": lambda s: order_detail(s, main, order_id=pending),
        "all orders, first page": lambda s: lists.orders_page(
            s, main, order_filter=all_orders, page=0
        ),
        "all orders, page 100": lambda s: lists.orders_page(
            s, main, order_filter=all_orders, page=99
        ),
        "all orders, status filter": lambda s: lists.orders_page(
            s, main, order_filter=delivered, page=0
        ),
        "my orders, first page": lambda s: lists.orders_page(
            s, buyer, order_filter=lists.OrderFilter(), page=0
        ),
        "budget evaluation (submit)": lambda s: order_breaches(
            s, buyer.company_id, buyer.user_id, figures
        ),
    }


def measure(engine: Engine, shape: Shape) -> list[float]:
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        with Session(engine) as session:
            shape(session)
            session.rollback()  # the budget check locks the requester: release it
        timings.append((time.perf_counter() - start) * 1000)
    return timings


@contextmanager
def captured(engine: Engine):  # type: ignore[no-untyped-def]
    statements: list[tuple[str, Any]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def sequential_scans(engine: Engine, shape: Shape) -> list[str]:
    """Large tables a shape reads by sequential scan (PostgreSQL plans only)."""
    if engine.dialect.name != "postgresql":
        return []
    with captured(engine) as statements, Session(engine) as session:
        shape(session)
        session.rollback()
    found: set[str] = set()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            for statement, parameters in statements:
                cursor.execute("EXPLAIN " + statement, parameters)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                found.update(t for t in LARGE_TABLES if f"Seq Scan on {t} " in plan + " ")
    return sorted(found)


def main() -> None:
    engine = get_engine()
    ensure_dataset(engine)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
            connection.commit()
    print(f"hot queries, largest company of the generated dataset, {REPEAT} runs each, "
          f"{engine.dialect.name}")  # fmt: skip
    print(f"{'query':34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  sequential scans")
    rows = []
    for name, shape in shapes(engine).items():
        scans = ", ".join(sequential_scans(engine, shape)) or "-"
        r = results.row(name, measure(engine, shape), sequential_scans=scans)
        print(f"{name:34} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['p99_ms']:8.2f}  {scans}")
        rows.append(r)
    notes = (
        f"Service calls as the largest company's users make them (5,000 users, 100,000 "
        f"orders), {REPEAT} runs each, each in its own database session, "
        f"{engine.dialect.name}. Every SELECT a call sends is EXPLAINed; a sequential scan of "
        f"a large table ({', '.join(LARGE_TABLES)}) would be listed."
    )
    results.write("hot_queries", "Hot queries at the service level (benchmark 4)", rows, notes)


if __name__ == "__main__":
    main()
