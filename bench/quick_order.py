"""Service-level timing of the quick order's check: 200 lines against a catalogue of 20,000
products with contract prices and quantity breaks.

    .venv/bin/python -m bench.quick_order                    # SQLite in a temporary folder
    CC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m bench.quick_order                # PostgreSQL (drops its tables!)

The check of all lines is one ERP call (the embedded ERP: one query for the products, one
for their contract prices), however many lines there are. The target: p95 below 300 ms.
Exits non-zero when the target is missed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

PRODUCTS = 20_000
LINES = 200
REPEAT = 50
TARGET_P95_MS = 300.0

_tmp = Path(tempfile.mkdtemp(prefix="cc-bench-"))
os.environ["CC_DATA_DIR"] = str(_tmp)
os.environ["CC_DATABASE_URL"] = os.environ.get(
    "CC_BENCH_DATABASE_URL", f"sqlite:///{_tmp / 'bench.db'}"
)

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench import results  # noqa: E402
from customer_center.auth.principals import rights_of  # noqa: E402
from customer_center.db import get_engine  # noqa: E402
from customer_center.domain.order_lines import LineProblem, parse_text  # noqa: E402
from customer_center.domain.principals import CustomerUser  # noqa: E402
from customer_center.integrations.erp.embedded import EmbeddedErpClient  # noqa: E402
from customer_center.integrations.erp.tables import (  # noqa: E402
    ErpCustomerRow,
    ErpPriceRow,
    ErpProductRow,
)
from customer_center.models.company import Company  # noqa: E402
from customer_center.models.user import User, UserRole  # noqa: E402
from customer_center.services.identity.activation import create_builtin_roles  # noqa: E402
from customer_center.services.shop.quick_order import check_lines  # noqa: E402
from customer_center.tables import metadata  # noqa: E402

CUSTOMER = "B-QO"


def seed(engine) -> CustomerUser:  # type: ignore[no-untyped-def]
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with Session(engine) as session:
        session.add(ErpCustomerRow(customer_number=CUSTOMER, name="Bench KG", allowed=True))
        session.execute(
            insert(ErpProductRow),
            [
                {
                    "sku": f"P-{n:06d}",
                    "name": f"Product {n:06d}",
                    "description": "",
                    "unit": "pc",
                    "list_price": Decimal(f"{n % 500 + 1}.90"),
                    "currency": "EUR",
                }
                for n in range(PRODUCTS)
            ],
        )
        session.execute(
            insert(ErpPriceRow),
            [
                {
                    "customer_number": CUSTOMER,
                    "sku": f"P-{n:06d}",
                    "price": Decimal(f"{n % 400 + 1}.50"),
                    "currency": "EUR",
                    "min_quantity": minimum,
                }
                for n in range(0, PRODUCTS, 3)
                for minimum in (1, 50)
            ],
        )
        company = Company(customer_number=CUSTOMER, name="Bench KG")
        session.add(company)
        session.flush()
        roles = create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        buyer = User(company_id=company.id, email="buyer@bench.example", name="Bench Buyer")  # type: ignore[arg-type]
        session.add(buyer)
        session.flush()
        session.add(UserRole(user_id=buyer.id, role_id=roles[1].id))  # type: ignore[arg-type]
        session.commit()
        rights = rights_of(session, buyer.id, company.id)  # type: ignore[arg-type]
        return CustomerUser(buyer.id, company.id, rights)  # type: ignore[arg-type]


def pasted_lines() -> str:
    """200 lines as from a spreadsheet: spread over the catalogue, every 20th one wrong (the
    lines beyond the cart's 100 products are reported too: all are checked)."""
    lines = []
    for n in range(LINES):
        if n % 20 == 7:
            lines.append(f"UNKNOWN-{n}\t1")
        else:
            lines.append(f"P-{(n * 97) % PRODUCTS:06d}\t{n % 120 + 1}")
    return "\n".join(lines)


def measure(engine, actor: CustomerUser) -> list[float]:  # type: ignore[no-untyped-def]
    erp = EmbeddedErpClient(engine)
    text = pasted_lines()
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        with Session(engine) as session:
            check = check_lines(session, actor, erp=erp, lines=parse_text(text))
        timings.append((time.perf_counter() - start) * 1000)
    unknown = [line for line in check.lines if line.problem is LineProblem.UNKNOWN]
    assert len(unknown) == LINES // 20 and len(check.lines) == LINES
    return timings


def main() -> int:
    engine = get_engine()
    actor = seed(engine)
    dialect = engine.dialect.name
    name = f"quick order check, {LINES} lines"
    r = results.row(name, measure(engine, actor))
    print(f"quick order, {PRODUCTS:,} products, {REPEAT} runs, {dialect}")
    print(f"{name:36} p50 {r['p50_ms']:.2f} ms  p95 {r['p95_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms")
    notes = (
        f"{LINES} pasted lines (every 20th unknown) checked against {PRODUCTS:,} products with "
        f"contract prices and quantity breaks, parsing included; {REPEAT} runs, {dialect}. "
        f"Target: p95 below {TARGET_P95_MS:.0f} ms."
    )
    results.write(f"quick_order_{dialect}", f"Quick order check ({dialect})", [r], notes)
    if dialect == "postgresql":
        metadata.drop_all(engine)
    if r["p95_ms"] >= TARGET_P95_MS:
        print(f"p95 {r['p95_ms']:.1f} ms misses the target of {TARGET_P95_MS:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
