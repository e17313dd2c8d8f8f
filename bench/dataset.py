"""The large benchmark dataset, generated once per database and shared by every bench module.

    CC_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench \\
        .venv/bin/python -m bench.dataset

creates the database when it is missing, applies the migrations and, when it holds no company
yet, fills it with ``customer-center demo generate``'s data (about 5 minutes on PostgreSQL).
Two bench modules starting at once do not both generate it: a file lock serializes them.

With ``--fresh`` (``make bench`` starts with it) the database is made anew as generated: the
generated data is kept in ``<name>_pristine`` and copied (a template copy, seconds). A run
writes (orders, approvals, e-mails); without a fresh copy the next run would measure other
data, e.g. a buyer whose month is over budget, so that every order waits for approval.
"""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.auth.principals import rights_of
from customer_center.domain.order_states import StepStatus
from customer_center.domain.principals import CustomerUser
from customer_center.models.order import ApprovalStep, Order
from customer_center.models.user import User

LOCK = Path(tempfile.gettempdir()) / "cc-bench-dataset.lock"


def ensure_database(engine: Engine) -> None:
    """Create the PostgreSQL database named in the URL when it does not exist yet."""
    if engine.dialect.name != "postgresql":
        return
    name = engine.url.database
    server = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()


def ensure_dataset(engine: Engine) -> None:
    """Migrate the database and generate the dataset unless a company is there already."""
    from customer_center.demo.generator import Scale, generate
    from customer_center.migrations import upgrade
    from customer_center.models.company import Company

    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_database(engine)
        upgrade(engine.url.render_as_string(hide_password=False))
        with Session(engine) as session:
            if session.exec(select(func.count()).select_from(Company)).one():
                return
        factor = float(os.environ.get("CC_BENCH_SCALE", "1"))
        print(f"Generating the dataset (scale {factor}) ...", file=sys.stderr)
        generate(engine, Scale().times(factor), progress=lambda line: print(line, file=sys.stderr))
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()


def largest_company(session: Session) -> int:
    return session.exec(
        select(Order.company_id).group_by(col(Order.company_id)).order_by(func.count().desc())
    ).first()  # type: ignore[return-value]


def bench_actors(engine: Engine) -> dict[str, CustomerUser]:
    """The largest company's main contact, its busiest approver and one of its buyers."""
    with Session(engine) as session:
        company_id = largest_company(session)
        main = session.exec(
            select(User.id).where(User.company_id == company_id, User.is_main_contact)
        ).first()
        approver = session.exec(
            select(ApprovalStep.approver_id)
            .where(ApprovalStep.company_id == company_id, ApprovalStep.status == StepStatus.WAITING)
            .group_by(col(ApprovalStep.approver_id))
            .order_by(func.count().desc(), col(ApprovalStep.approver_id))
            .limit(1)
        ).one()
        buyer = session.exec(
            select(Order.requester_id).where(Order.company_id == company_id).limit(1)
        ).one()
        assert main is not None
        people = {"main": main, "approver": approver, "buyer": buyer}
        return {
            name: CustomerUser(user_id, company_id, rights_of(session, user_id, company_id))
            for name, user_id in people.items()
        }


FILL_INBOX = text(
    """
    UPDATE approval_step SET approver_id = :approver WHERE id IN (
        SELECT s.id FROM approval_step s JOIN customer_order o ON o.id = s.order_id
        WHERE s.company_id = :company AND s.status = 'waiting' AND s.approver_id <> :approver
          AND o.status = 'pending_approval' AND o.requester_id <> :approver
          AND NOT EXISTS (SELECT 1 FROM approval_step m
                          WHERE m.order_id = s.order_id AND m.approver_id = :approver)
        ORDER BY s.id LIMIT :missing)
    """
)


def fill_inbox(engine: Engine, approver: CustomerUser, at_least: int) -> int:
    """Hand waiting approval steps of the approver's colleagues to the approver until their
    inbox holds ``at_least`` orders (each benchmark run approves some); returns the count."""
    with Session(engine) as session:
        waiting = session.exec(
            select(func.count(func.distinct(ApprovalStep.order_id))).where(
                ApprovalStep.company_id == approver.company_id,
                ApprovalStep.approver_id == approver.user_id,
                ApprovalStep.status == StepStatus.WAITING,
            )
        ).one()
        missing = at_least - waiting
        if missing > 0:
            ids = {"approver": approver.user_id, "company": approver.company_id}
            session.execute(FILL_INBOX, {**ids, "missing": missing})
            session.commit()
        return max(waiting, at_least)


def fresh_copy(engine: Engine) -> None:
    """Make ``engine``'s PostgreSQL database anew from the generated data (see above)."""
    name = engine.url.database
    pristine = create_engine(engine.url.set(database=f"{name}_pristine"))
    ensure_dataset(pristine)
    pristine.dispose()
    engine.dispose()
    server = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{name}_pristine"'))
    server.dispose()


if __name__ == "__main__":
    from customer_center.db import get_engine

    if "--fresh" in sys.argv[1:]:
        fresh_copy(get_engine())
    else:
        ensure_dataset(get_engine())
