"""A portal database with users who have work to do, and what must hold in it after a fault.

The data is the benchmark's (customer_center/demo/generator.py, scaled down: a largest company
with ten users and 200 orders, many waiting for approval) plus the demo ERP's catalogue; the
simulated users are the benchmark's (bench/concurrency.py), signed in by cookie.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.live_portal import SimUser, sign_in_users
from bench.reflex_client import ReflexClient
from customer_center.db import make_engine
from customer_center.demo.generator import Scale, generate
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from tests.faults.conftest import migrated_database
from tests.faults.servers import ThrowawayPostgres

SCALE = Scale().times(0.002)
_copies = itertools.count(1)


def demo_database(postgres: ThrowawayPostgres, prefix: str) -> tuple[str, Engine]:
    """A new database with the demo data: generated once per server, then copied."""
    if not postgres.template:
        url, engine = migrated_database(postgres, "demo_template")
        generate(engine, SCALE, progress=lambda _line: None)
        import_erp_directory(engine, demo_data_dir())
        engine.dispose()  # a template must have no connections when it is copied
        postgres.template = url.rsplit("/", 1)[1]
    url = postgres.create_database(f"{prefix}_{next(_copies)}", template=postgres.template)
    return url, make_engine(url)


def simulated_users(engine: Engine, count: int) -> list[SimUser]:
    return sign_in_users(engine, count)


# Every order has what placing it writes in one transaction: its lines, its first revision
# and the timeline's "placed" event; a decision writes its event with the step's status.
HALF_WRITTEN = {
    "orders without lines": """SELECT count(*) FROM customer_order o
        WHERE NOT EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id)""",
    "orders without a revision": """SELECT count(*) FROM customer_order o
        WHERE NOT EXISTS (SELECT 1 FROM order_revision r WHERE r.order_id = o.id)""",
    "orders without a timeline": """SELECT count(*) FROM customer_order o
        WHERE NOT EXISTS (SELECT 1 FROM order_event e WHERE e.order_id = o.id)""",
}


def half_written(engine: Engine) -> dict[str, int]:
    """Each kind of half-written order and how many there are (all zero when sound)."""
    with engine.connect() as connection:
        return {
            name: int(connection.execute(text(q)).scalar_one()) for name, q in HALF_WRITTEN.items()
        }


def count(engine: Engine, query: str, **params: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(query), params).scalar_one())


class WatchingClient(ReflexClient):
    """A tab that also keeps the text of every toast the portal sent it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.toasts: list[str] = []

    def _update(self, update: dict[str, Any]) -> None:
        for event in update.get("events") or []:
            if "toast" in json.dumps(event):
                self.toasts.append(json.dumps(event, ensure_ascii=False))
        super()._update(update)
