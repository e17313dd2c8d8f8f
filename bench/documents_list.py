"""The documents list of a company with 100,000 documents from the ERP (issue 16).

    CC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench \\
        .venv/bin/python -m bench.documents_list

On the dataset of :mod:`bench.dataset`: the largest company becomes a customer of the
embedded ERP (when it is not one yet) with :data:`DOCUMENTS` documents spread over five
years and every kind, a tenth of them belonging to its orders. Measured as its main contact
sees the documents page: the first page, a deep page, each filter and an order's documents,
p50/p95/p99 over repeated runs in their own database sessions. On PostgreSQL every statement
is EXPLAINed and a sequential scan of ``erp_document`` is reported.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

_tmp = Path(tempfile.mkdtemp(prefix="cc-bench-docs-"))
os.environ.setdefault("CC_DATA_DIR", str(_tmp))
os.environ["CC_DATABASE_URL"] = os.environ.get(
    "CC_BENCH_DATABASE_URL", f"sqlite:///{_tmp / 'bench.db'}"
)

from sqlalchemy import func, insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from bench import hot_queries, results  # noqa: E402
from bench.dataset import bench_actors, ensure_dataset  # noqa: E402
from customer_center.db import get_engine  # noqa: E402
from customer_center.integrations.erp.embedded import EmbeddedErpClient  # noqa: E402
from customer_center.integrations.erp.protocol import DOCUMENT_KINDS  # noqa: E402
from customer_center.integrations.erp.tables import ErpCustomerRow, ErpDocumentRow  # noqa: E402
from customer_center.models.company import Company  # noqa: E402
from customer_center.models.order import Order  # noqa: E402
from customer_center.services.documents.documents import (  # noqa: E402
    DocumentQuery,
    list_documents,
    order_documents,
)

DOCUMENTS = int(os.environ.get("CC_BENCH_DOCUMENTS", "100000"))
BATCH = 10_000
FIRST_DAY = date(2022, 1, 1)


def _rows(customer: str, order_numbers: list[str]) -> Any:
    """The documents as plain dicts: kinds in turn, days over five years, every tenth one of
    an order (the company's ERP orders first, then made-up numbers)."""
    for n in range(DOCUMENTS):
        order = None
        if n % 10 == 0:
            index = n // 10
            order = order_numbers[index] if index < len(order_numbers) else f"SO-{900000 + index}"
        yield {
            "document_number": f"B-{customer[:12]}-{n:07d}",
            "customer_number": customer,
            "kind": DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)],
            "issued_on": FIRST_DAY + timedelta(days=n % 1800),
            "order_number": order,
            "sku": None,
            "title": "",
            "currency": "EUR",
        }


def ensure_documents(engine: Engine, company_id: int) -> tuple[str, int]:
    """The company's ERP customer number and one of its orders that has documents (made once;
    the dataset's own rows are not changed)."""
    with Session(engine) as session:
        company = session.get(Company, company_id)
        assert company is not None
        customer = company.customer_number
        if session.get(ErpCustomerRow, customer) is None:
            session.add(ErpCustomerRow(customer_number=customer, name=company.name, allowed=True))
            session.commit()
        # Orders the ERP has already (the generator gives them an SO number): their documents.
        handed_off = session.exec(
            select(Order.id, Order.erp_order_number)
            .where(Order.company_id == company_id, col(Order.erp_order_number).is_not(None))
            .order_by(col(Order.id))
            .limit(DOCUMENTS // 10)
        ).all()
        have = session.exec(
            select(func.count())
            .select_from(ErpDocumentRow)
            .where(ErpDocumentRow.customer_number == customer)
        ).one()
    if have < DOCUMENTS:
        numbers = [number for _, number in handed_off if number]
        pending: list[dict[str, Any]] = []
        with engine.begin() as connection:
            connection.execute(
                ErpDocumentRow.__table__.delete().where(  # type: ignore[attr-defined]
                    ErpDocumentRow.__table__.c.customer_number == customer  # type: ignore[attr-defined]
                )
            )
            for row in _rows(customer, numbers):
                pending.append(row)
                if len(pending) == BATCH:
                    connection.execute(insert(ErpDocumentRow), pending)
                    pending = []
            if pending:
                connection.execute(insert(ErpDocumentRow), pending)
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.execute(text("ANALYZE erp_document"))
                connection.commit()
    first = handed_off[0][0]
    assert first is not None
    return customer, first


def shapes(engine: Engine) -> dict[str, hot_queries.Shape]:
    main = bench_actors(engine)["main"]
    _customer, order_id = ensure_documents(engine, main.company_id)
    erp = EmbeddedErpClient(engine)

    def page(query: DocumentQuery, offset: int = 0) -> hot_queries.Shape:
        return lambda s: list_documents(s, main, erp=erp, query=query, offset=offset)

    return {
        "documents, first page": page(DocumentQuery()),
        "documents, page 1000": page(DocumentQuery(), offset=999 * 25),
        "documents, invoices only": page(DocumentQuery(kind="invoice")),
        "documents, one month": page(
            DocumentQuery(issued_from="2024-03-01", issued_to="2024-03-31")
        ),
        "documents, by order (PO)": page(DocumentQuery(order=f"PO-{order_id:06d}")),
        "order page documents": lambda s: order_documents(s, main, erp=erp, order_id=order_id),
    }


def sequential_scans(engine: Engine, shape: hot_queries.Shape) -> list[str]:
    if engine.dialect.name != "postgresql":
        return []
    with hot_queries.captured(engine) as statements, Session(engine) as session:
        shape(session)
        session.rollback()
    found: set[str] = set()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            for statement, parameters in statements:
                cursor.execute("EXPLAIN " + statement, parameters)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if "Seq Scan on erp_document" in plan:
                    found.add("erp_document")
    return sorted(found)


def main() -> None:
    engine = get_engine()
    ensure_dataset(engine)
    print(f"documents list, {DOCUMENTS} documents of one company, {hot_queries.REPEAT} runs "
          f"each, {engine.dialect.name}")  # fmt: skip
    print(f"{'query':34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  sequential scans")
    rows = []
    for name, shape in shapes(engine).items():
        scans = ", ".join(sequential_scans(engine, shape)) or "-"
        r = results.row(name, hot_queries.measure(engine, shape), sequential_scans=scans)
        print(f"{name:34} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['p99_ms']:8.2f}  {scans}")
        rows.append(r)
    notes = (
        f"The documents page of the largest company with {DOCUMENTS:,} documents in the "
        f"embedded ERP, as its main contact calls it (list and count, 25 per page), "
        f"{hot_queries.REPEAT} runs each, each in its own database session, "
        f"{engine.dialect.name}. A sequential scan of erp_document would be listed."
    )
    results.write("documents_list", "Documents list of a company (issue 16)", rows, notes)


if __name__ == "__main__":
    main()
