"""Service-level timings of the user list with 5,000 users in one company.

    .venv/bin/python -m bench.user_list                      # SQLite in a temporary folder
    CC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m bench.user_list                  # PostgreSQL (drops its tables!)

Prints p50/p95/p99 per query shape over repeated runs: the first page, a later page, a
search, a role filter and a sort on another column.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

USERS = 5_000
REPEAT = 50

_tmp = Path(tempfile.mkdtemp(prefix="cc-bench-"))
os.environ["CC_DATA_DIR"] = str(_tmp)
os.environ["CC_DATABASE_URL"] = os.environ.get(
    "CC_BENCH_DATABASE_URL", f"sqlite:///{_tmp / 'bench.db'}"
)

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench import results  # noqa: E402
from customer_center.auth.principals import rights_of  # noqa: E402
from customer_center.db import get_engine  # noqa: E402
from customer_center.domain.principals import CustomerUser  # noqa: E402
from customer_center.models.company import Company  # noqa: E402
from customer_center.models.user import Role, User, UserRole  # noqa: E402
from customer_center.services.identity.activation import create_builtin_roles  # noqa: E402
from customer_center.services.people.user_list import UserQuery, users_page  # noqa: E402
from customer_center.tables import metadata  # noqa: E402

FIRST = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hans", "Ida", "Jonas"]
LAST = ["Müller", "Schmidt", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter"]


def seed(engine) -> CustomerUser:  # type: ignore[no-untyped-def]
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with Session(engine) as session:
        company = Company(customer_number="B-1", name="Bench GmbH")
        session.add(company)
        session.flush()
        roles = create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        session.execute(
            insert(User),
            [
                {
                    "company_id": company.id,
                    "email": f"user{n:05d}@bench.example",
                    "name": f"{FIRST[n % 10]} {LAST[n % 8]} {n:05d}",
                    "language": "de",
                    "status": "active" if n % 17 else "inactive",
                    "is_main_contact": n == 0,
                }
                for n in range(USERS)
            ],
        )
        ids = session.exec(select(User.id).where(User.company_id == company.id)).all()
        session.execute(
            insert(UserRole),
            [{"user_id": uid, "role_id": roles[1 + uid % 4].id} for uid in ids],
        )
        session.commit()
        rights = rights_of(session, ids[0], company.id)  # type: ignore[arg-type]
        return CustomerUser(ids[0], company.id, rights, language="de")  # type: ignore[arg-type]


def measure(engine, actor: CustomerUser, query: UserQuery) -> list[float]:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        with Session(engine) as session:
            users_page(session, actor, query=query)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    engine = get_engine()
    actor = seed(engine)
    with Session(engine) as session:
        approver = session.exec(
            select(Role.id).where(Role.company_id == actor.company_id, Role.code == "approver")
        ).one()
    shapes: dict[str, UserQuery] = {
        "first page, by name": UserQuery(),
        "page 100, by name": UserQuery(page=100, page_size=25),
        "search 'müller 01'": UserQuery(search="müller 01"),
        "role filter": UserQuery(role_id=approver),
        "sort by e-mail, descending": UserQuery(sort="email", descending=True),
        "inactive only": UserQuery(status="inactive"),
    }
    print(f"user list, {USERS} users in one company, {REPEAT} runs each, {engine.dialect.name}")
    print(f"{'query':32} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rows = []
    for name, query in shapes.items():
        r = results.row(name, measure(engine, actor, query))
        print(f"{name:32} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['p99_ms']:8.2f}")
        rows.append(r)
    dialect = engine.dialect.name
    notes = f"{USERS:,} users in one company, {REPEAT} runs of each query shape, {dialect}."
    results.write(f"user_list_{dialect}", f"User list service ({dialect})", rows, notes)
    if engine.dialect.name == "postgresql":
        metadata.drop_all(engine)


if __name__ == "__main__":
    sys.exit(main())
