"""A large, realistic dataset for benchmarks: companies, users, roles, budgets, chains, orders.

``customer-center demo generate`` writes, at full scale, 1,000 companies, 50,000 users and
500,000 orders with their lines, revisions, approval steps and timeline events; the first
company is the largest (5,000 users, 100,000 orders). Rows are produced company by company
and written in bulk (``COPY`` on PostgreSQL, ``executemany`` on SQLite) with ids chosen here,
so nothing is read back. Every user signs in with :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine

from customer_center.auth.passwords import hash_password
from customer_center.domain.order_states import OrderStatus, StepStatus
from customer_center.domain.people import RuleScope, UserStatus
from customer_center.domain.permissions import BUILTIN_ROLE_ORDER, MAIN_CONTACT_ROLE
from customer_center.models import order as o
from customer_center.models.approval import ApprovalChain
from customer_center.models.budget import BudgetRule
from customer_center.models.company import Company
from customer_center.models.user import Role, User, UserRole

DEMO_PASSWORD = "Demo-passphrase-2026"  # noqa: S105 - published demo data, not a secret
DEMO_DOMAIN = "demo.example"
CHUNK = 20_000

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Emma",
    "Felix",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Klara",
    "Lukas",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Quirin",
    "Rosa",
    "Samuel",
    "Tilda",
    "Ulf",
    "Vera",
    "Willi",
    "Xenia",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Werner",
]
PRODUCTS = tuple(
    (f"DM-{n:04d}", f"{kind} {size}", unit, price)
    for n, (kind, size, unit, price) in enumerate(
        (kind, size, unit, price * factor)
        for kind, unit, price in (
            ("Hex bolt", "pcs", 35),
            ("Bearing", "pcs", 1_290),
            ("Drill bit", "pcs", 480),
            ("Safety gloves", "pair", 650),
            ("Cutting oil", "l", 1_150),
            ("Cable tie", "pack", 390),
        )
        for factor, size in ((1, "S"), (2, "M"), (4, "L"), (9, "XL"))
    )
)
# Weighted order statuses: most orders are long delivered, some are still on their way.
STATUSES = (
    (OrderStatus.DELIVERED, 55),
    (OrderStatus.SHIPPED, 8),
    (OrderStatus.CONFIRMED, 5),
    (OrderStatus.SENT_TO_ERP, 4),
    (OrderStatus.APPROVED, 8),
    (OrderStatus.PENDING_APPROVAL, 10),
    (OrderStatus.REJECTED, 6),
    (OrderStatus.CANCELLED, 4),
)
JOURNEY = (
    OrderStatus.SENT_TO_ERP,
    OrderStatus.CONFIRMED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
)


@dataclass(frozen=True)
class Scale:
    companies: int = 1_000
    users: int = 50_000
    orders: int = 500_000
    largest_users: int = 5_000
    largest_orders: int = 100_000

    def times(self, factor: float) -> Scale:
        """The same shape, smaller or larger (at least one company with a few users)."""

        def scaled(n: int, least: int) -> int:
            return max(least, round(n * factor))

        return Scale(
            companies=scaled(self.companies, 1),
            users=scaled(self.users, 3),
            orders=scaled(self.orders, 1),
            largest_users=scaled(self.largest_users, 3),
            largest_orders=scaled(self.largest_orders, 1),
        )


@dataclass(frozen=True)
class CompanyPlan:
    number: int
    users: int
    orders: int


def company_plans(scale: Scale) -> list[CompanyPlan]:
    """The largest company first, the rest sharing what is left as evenly as possible."""
    plans = [CompanyPlan(0, scale.largest_users, scale.largest_orders)]
    others = scale.companies - 1
    if others <= 0:
        return plans
    users, orders = scale.users - scale.largest_users, scale.orders - scale.largest_orders
    for i in range(others):
        plans.append(
            CompanyPlan(
                i + 1,
                max(3, users // others + (1 if i < users % others else 0)),
                max(0, orders // others + (1 if i < orders % others else 0)),
            )
        )
    return plans


@dataclass
class Ids:
    """The next free id of every table written, read once before generating."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str, count: int = 1) -> int:
        first = self.next[table]
        self.next[table] = first + count
        return first


@dataclass
class Batch:
    """Rows waiting to be written, per table, in column order of :data:`COLUMNS`."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)

    def size(self) -> int:
        return sum(len(r) for r in self.rows.values())


def _table(model: Any) -> Table:
    return model.__table__


TABLES: dict[str, Table] = {
    "company": _table(Company),
    "role": _table(Role),
    "user_account": _table(User),
    "user_role": _table(UserRole),
    "budget_rule": _table(BudgetRule),
    "approval_chain": _table(ApprovalChain),
    "customer_order": _table(o.Order),
    "order_line": _table(o.OrderLine),
    "order_revision": _table(o.OrderRevision),
    "approval_step": _table(o.ApprovalStep),
    "order_event": _table(o.OrderEvent),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "company": ("id", "customer_number", "name", "street", "postal_code", "city", "country",
                "currency", "language", "password_sign_in_enabled", "activated_at"),
    "role": ("id", "company_id", "code", "name", "is_builtin", "created_at", "updated_at"),
    "user_account": ("id", "company_id", "email", "name", "language", "password_hash",
                     "is_main_contact", "status", "created_at", "updated_at", "last_sign_in_at"),
    "user_role": ("user_id", "role_id"),
    "budget_rule": ("id", "company_id", "scope", "subject_id", "max_quantity_per_order",
                    "max_order_value_cents", "period", "period_budget_cents", "updated_at"),
    "approval_chain": ("id", "company_id", "scope", "subject_id", "levels", "updated_at"),
    "customer_order": ("id", "company_id", "requester_id", "status", "currency", "total_cents",
                       "total_quantity", "version", "revision", "reference", "delivery_address",
                       "billing_address", "payment_method", "shipping_method",
                       "erp_order_number", "created_at", "submitted_at", "decided_at",
                       "updated_at"),
    "order_line": ("id", "order_id", "revision", "position", "sku", "name", "unit", "quantity",
                   "unit_price_cents", "line_total_cents"),
    "order_revision": ("id", "order_id", "number", "author_id", "reason", "comment", "header",
                       "total_cents", "created_at"),
    "approval_step": ("id", "company_id", "order_id", "revision", "level", "rule",
                      "approver_id", "status", "due_since", "decided_by_id", "decided_at",
                      "reminded_at", "escalated_at"),
    "order_event": ("id", "company_id", "order_id", "kind", "actor_id", "revision", "body",
                    "data", "external_key", "created_at"),
}  # fmt: skip
JSON_COLUMNS = {"levels", "delivery_address", "billing_address", "header", "data"}


@dataclass(frozen=True)
class Report:
    companies: int
    users: int
    orders: int
    rows: int
    seconds: float


def generate(
    engine: Engine, scale: Scale, seed: int = 2026, progress: Callable[[str], object] = print
) -> Report:
    """Write the dataset into the (migrated) database behind ``engine``; returns counts."""
    started = datetime.now(UTC)
    rng = random.Random(seed)
    password_hash = hash_password(DEMO_PASSWORD)
    written = 0
    with engine.begin() as connection:
        ids = _next_ids(connection)
        first_company = ids.next["company"]
        batch = Batch()
        for plan in company_plans(scale):
            _company(batch, ids, plan, first_company, rng, password_hash)
            if batch.size() >= CHUNK:
                written += _flush(connection, batch)
                batch = Batch()
            if plan.number % 100 == 0:
                progress(f"  company {plan.number + 1} of {scale.companies}, {written:,} rows")
        written += _flush(connection, batch)
        _reset_sequences(connection)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return Report(scale.companies, scale.users, scale.orders, written, seconds)


def _next_ids(connection: Connection) -> Ids:
    ids = Ids()
    for name, table in TABLES.items():
        if "id" in table.c:
            ids.next[name] = (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    return ids


def _company(
    batch: Batch, ids: Ids, plan: CompanyPlan, first_company: int, rng: random.Random, pw: str
) -> None:
    company_id = ids.take("company")
    now = datetime.now(UTC)
    founded = now - timedelta(days=540)
    number = f"D{first_company + plan.number:06d}"
    batch.add("company", (company_id, number, f"Demo {_surname(rng)} {plan.number + 1} GmbH",
                          f"Werkstraße {plan.number % 200 + 1}", f"{10000 + plan.number:05d}",
                          "Berlin", "DE", "EUR", "de" if plan.number % 3 else "en", True,
                          founded))  # fmt: skip
    roles = {code: ids.take("role") for code in BUILTIN_ROLE_ORDER}
    for code, role_id in roles.items():
        batch.add("role", (role_id, company_id, code, code, True, founded, founded))
    people = _users(batch, ids, company_id, plan, roles, rng, pw, founded)
    _rules(batch, ids, company_id, roles, people, now)
    for _ in range(plan.orders):
        _order(batch, ids, company_id, people, rng, now)


@dataclass(frozen=True)
class People:
    main_contact: int
    buyers: Sequence[int]
    approvers: Sequence[int]


def _surname(rng: random.Random) -> str:
    return rng.choice(LAST_NAMES)


def _users(
    batch: Batch,
    ids: Ids,
    company_id: int,
    plan: CompanyPlan,
    roles: dict[str, int],
    rng: random.Random,
    pw: str,
    since: datetime,
) -> People:
    first = ids.take("user_account", plan.users)
    buyers: list[int] = []
    approvers: list[int] = []
    for n in range(plan.users):
        user_id = first + n
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = f"u{n}.c{company_id}@{DEMO_DOMAIN}"
        main = n == 0
        status = UserStatus.ACTIVE if main or n % 40 else UserStatus.INACTIVE
        batch.add("user_account", (user_id, company_id, email, name, "de", pw, main, status,
                                   since, since, None))  # fmt: skip
        for code in _roles_of(n):
            batch.add("user_role", (user_id, roles[code]))
        if status == UserStatus.ACTIVE and (main or "buyer" in _roles_of(n)):
            buyers.append(user_id)
        if status == UserStatus.ACTIVE and "approver" in _roles_of(n):
            approvers.append(user_id)
    return People(first, buyers or [first], approvers or [first])


def _roles_of(n: int) -> tuple[str, ...]:
    if n == 0:
        return (MAIN_CONTACT_ROLE,)
    kind = n % 20
    if kind < 12:
        return ("buyer",)
    if kind < 15:
        return ("approver",)
    if kind < 16:
        return ("buyer", "approver")
    if kind < 17:
        return ("controller",)
    return ("technician",)


def _rules(
    batch: Batch, ids: Ids, company_id: int, roles: dict[str, int], people: People, now: datetime
) -> None:
    batch.add("budget_rule", (ids.take("budget_rule"), company_id, RuleScope.COMPANY, 0, 500,
                              500_000, "month", 2_000_000, now))  # fmt: skip
    batch.add("budget_rule", (ids.take("budget_rule"), company_id, RuleScope.ROLE, roles["buyer"],
                              1_000, 1_000_000, "month", 5_000_000, now))  # fmt: skip
    approvers = [{"role_id": roles["approver"]}]
    levels = [
        {"rule": "any", "min_order_value_cents": None, "approvers": approvers},
        {"rule": "any", "min_order_value_cents": 1_000_000,
         "approvers": [{"user_id": people.main_contact}]},
    ]  # fmt: skip
    batch.add("approval_chain", (ids.take("approval_chain"), company_id, RuleScope.COMPANY, 0,
                                 json.dumps(levels), now))  # fmt: skip


def _status(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]


def _order(
    batch: Batch, ids: Ids, company_id: int, people: People, rng: random.Random, now: datetime
) -> None:
    order_id = ids.take("customer_order")
    requester = rng.choice(people.buyers)
    status = _status(rng)
    submitted = now - timedelta(minutes=rng.randrange(1, 540 * 24 * 60))
    if status == OrderStatus.PENDING_APPROVAL:
        submitted = now - timedelta(minutes=rng.randrange(1, 14 * 24 * 60))
    total, quantity = _lines(batch, ids, order_id, rng)
    needs_approval = (
        status in (OrderStatus.PENDING_APPROVAL, OrderStatus.REJECTED) or rng.random() < 0.3
    )
    decided = None if status == OrderStatus.PENDING_APPROVAL else submitted + timedelta(hours=2)
    address = {"name": "Wareneingang", "street": "Werkstraße 1", "postal_code": "10115",
               "city": "Berlin", "country": "DE"}  # fmt: skip
    erp_number = f"SO-{order_id:08d}" if status in JOURNEY else None
    batch.add("customer_order", (order_id, company_id, requester, status, "EUR", total, quantity,
                                 1, 1, f"PO-{order_id}", json.dumps(address), json.dumps(address),
                                 "invoice", "standard", erp_number, submitted, submitted, decided,
                                 decided or submitted))  # fmt: skip
    batch.add("order_revision", (ids.take("order_revision"), order_id, 1, requester, "submitted",
                                 "", json.dumps({"reference": f"PO-{order_id}"}), total,
                                 submitted))  # fmt: skip
    _event(batch, ids, company_id, order_id, "submitted", requester, submitted)
    if needs_approval:
        _approval(batch, ids, company_id, order_id, status, people, rng, submitted, decided)
    elif status != OrderStatus.CANCELLED:
        _event(batch, ids, company_id, order_id, "approved", None, submitted)
    if status in JOURNEY:
        for step in JOURNEY[: JOURNEY.index(status) + 1]:
            _event(batch, ids, company_id, order_id, f"erp.{step}", None, decided or submitted)
    if status == OrderStatus.CANCELLED:
        _event(batch, ids, company_id, order_id, "cancelled", requester, submitted)
    if rng.random() < 0.2:
        _event(batch, ids, company_id, order_id, "comment", requester, submitted,
               body="Bitte vor Monatsende liefern.")  # fmt: skip


def _lines(batch: Batch, ids: Ids, order_id: int, rng: random.Random) -> tuple[int, int]:
    count = rng.randint(1, 5)
    total = quantity = 0
    first = ids.take("order_line", count)
    for position, product in enumerate(rng.sample(PRODUCTS, count)):
        sku, name, unit, price = product
        qty = rng.randint(1, 40)
        batch.add("order_line", (first + position, order_id, 1, position + 1, sku, name, unit,
                                 qty, price, price * qty))  # fmt: skip
        total, quantity = total + price * qty, quantity + qty
    return total, quantity


def _approval(
    batch: Batch,
    ids: Ids,
    company_id: int,
    order_id: int,
    status: str,
    people: People,
    rng: random.Random,
    submitted: datetime,
    decided: datetime | None,
) -> None:
    approver = rng.choice(people.approvers)
    step_status = {
        OrderStatus.PENDING_APPROVAL: StepStatus.WAITING,
        OrderStatus.REJECTED: StepStatus.REJECTED,
    }.get(OrderStatus(status), StepStatus.APPROVED)
    done = step_status != StepStatus.WAITING
    batch.add("approval_step", (ids.take("approval_step"), company_id, order_id, 1, 0, "any",
                                approver, step_status, submitted, approver if done else None,
                                decided if done else None, None, None))  # fmt: skip
    if status == OrderStatus.REJECTED:
        _event(batch, ids, company_id, order_id, "rejected", approver, decided,
               body="Bitte die Menge reduzieren.")  # fmt: skip
    elif done:
        _event(batch, ids, company_id, order_id, "approved", approver, decided)


def _event(
    batch: Batch,
    ids: Ids,
    company_id: int,
    order_id: int,
    kind: str,
    actor: int | None,
    when: datetime | None,
    body: str = "",
) -> None:
    batch.add("order_event", (ids.take("order_event"), company_id, order_id, kind, actor, 1, body,
                              "{}", None, when))  # fmt: skip


def _flush(connection: Connection, batch: Batch) -> int:
    written = 0
    for name in TABLES:  # parents before children
        rows = batch.rows.get(name)
        if rows:
            _write(connection, name, rows)
            written += len(rows)
    return written


def _write(connection: Connection, name: str, rows: list[tuple[Any, ...]]) -> None:
    columns = COLUMNS[name]
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        statement = f"COPY {name} ({', '.join(columns)}) FROM STDIN"  # names from TABLES
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    table = TABLES[name]
    connection.execute(
        table.insert(), [_decoded(dict(zip(columns, row, strict=True))) for row in rows]
    )


def _decoded(values: dict[str, Any]) -> dict[str, Any]:
    """SQLAlchemy's JSON type wants Python values, COPY wants text: rows carry text."""
    for key in JSON_COLUMNS & values.keys():
        values[key] = json.loads(values[key])
    return values


def _reset_sequences(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for name, table in TABLES.items():
        if "id" in table.c:
            highest = connection.execute(select(func.max(table.c.id))).scalar() or 1
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :highest)"),
                {"table": name, "highest": highest},
            )


def as_rows(report: Report) -> Iterable[str]:
    yield f"companies {report.companies:,}, users {report.users:,}, orders {report.orders:,}"
    yield f"{report.rows:,} rows written in {report.seconds:.1f} s"
