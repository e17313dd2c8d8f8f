"""Every ``customer-center`` command, run the way an operator runs it: a fresh Python process
(``python -m customer_center.cli ...``) against a SQLite database of its own.

The commands are read from the argument parser, so a command added later fails
:func:`test_every_command_is_run_here` until it is run here too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.cli import build_parser
from customer_center.domain.order_states import OrderStatus
from customer_center.domain.staff import StaffPermission
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.tables import ErpDocumentRow, ErpOrderRow, ErpProductRow
from customer_center.migrations import alembic_config
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.order import ApprovalStep, Order
from customer_center.models.outbox import OutboxMessage
from customer_center.models.staff import StaffMember
from customer_center.models.user import User
from tests.factories import actor_for
from tests.live_server import free_port
from tests.order_factories import FakeErp, Shop

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://orders.seller.example:8443"


def leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every runnable command as it is typed (``erp import-status``), from the parser."""
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += leaf_commands(sub, (*prefix, name))
    return found or [" ".join(prefix)]


@dataclass
class Portal:
    """A temp folder with the portal's database (migrated by ``db-upgrade``) and data."""

    folder: Path
    engine: Engine
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "customer_center.cli", *args],
            cwd=PROJECT_ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    folder = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{folder / 'portal.db'}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CC_") and key != "PYTHONPATH"
    }
    env.update(CC_DATABASE_URL=url, CC_DATA_DIR=str(folder), CC_ENV="dev", CC_BASE_URL=BASE_URL)
    engine = create_engine(url)
    portal = Portal(folder, engine, env)
    assert "Database is up to date." in _ok(portal.run("db-upgrade"))
    yield portal
    engine.dispose()


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result.stdout


# --- one check per command; the order is the order they run in ----------------------------


def check_db_upgrade(portal: Portal) -> None:
    """The fixture ran it on the new database; again it has nothing to do."""
    assert "Database is up to date." in _ok(portal.run("db-upgrade"))
    with portal.engine.connect() as connection:
        [version] = connection.execute(text("SELECT version_num FROM alembic_version")).one()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def check_erp_import(portal: Portal) -> None:
    out = _ok(portal.run("erp", "import", str(demo_data_dir())))
    assert "customers.csv: 4" in out
    broken = portal.folder / "broken"
    broken.mkdir()
    (broken / "customers.csv").write_text("no,such,columns\n1,2,3\n")
    refused = portal.run("erp", "import", str(broken))
    assert refused.returncode == 1
    assert "Import failed, nothing was saved" in refused.stderr
    assert "Traceback" not in refused.stderr


def check_erp_import_demo(portal: Portal) -> None:
    out = _ok(portal.run("erp", "import-demo"))
    assert "products.csv: 8" in out
    assert "Demo data sheets: 8 PDF files" in out
    sheets = sorted((portal.folder / "datasheets").glob("*.pdf"))
    assert len(sheets) == 8
    assert all(sheet.read_bytes().startswith(b"%PDF-1.4") for sheet in sheets)
    with portal.session() as session:
        assert session.exec(select(func.count()).select_from(ErpProductRow)).one() == 8


def check_erp_issue_documents(portal: Portal) -> None:
    """The embedded ERP issues an order's documents once; an unknown order is refused."""
    with portal.session() as session:
        session.add(
            ErpOrderRow(
                message_id="cli-docs",
                erp_order_number="SO-900001",
                customer_number="10001",
                portal_order_id=1,
                total=Decimal("10.00"),
                header={"shipping_method": "standard"},
            )
        )
        session.commit()
    out = _ok(portal.run("erp", "issue-documents", "so-900001", "--kinds", "invoice,delivery_note"))
    assert "INV-900001, DN-900001" in out
    again = _ok(portal.run("erp", "issue-documents", "SO-900001", "--kinds", "invoice"))
    assert "INV-900001" in again
    with portal.session() as session:
        rows = session.exec(
            select(ErpDocumentRow).where(ErpDocumentRow.order_number == "SO-900001")
        )
        assert sorted(r.kind for r in rows) == ["delivery_note", "invoice"]
    assert portal.run("erp", "issue-documents", "SO-1").returncode == 1
    assert portal.run("erp", "issue-documents", "SO-900001", "--kinds", "bill").returncode == 2


def check_demo_info(portal: Portal) -> None:
    out = _ok(portal.run("demo-info"))
    assert "10001" in out
    assert f"{BASE_URL}/dev/mailbox" in out


def check_access_map(portal: Portal) -> None:
    out = _ok(portal.run("access-map"))
    assert "anyone" in out
    assert "users.manage" in out
    assert len(out.splitlines()) > 50


def check_approvals_remind(portal: Portal) -> None:
    """An approval waiting three days: the reminder links to the configured base URL."""
    with portal.session() as session:
        shop = _shop(session)
        shop.chain(("all", [shop.anna]))
        order_id = shop.order().order_id
        step = session.exec(select(ApprovalStep).where(ApprovalStep.order_id == order_id)).one()
        step.due_since = utcnow() - timedelta(days=3)
        session.add(step)
        session.commit()
    unset = portal.run("approvals", "remind", CC_ENV="test", CC_BASE_URL="")
    assert unset.returncode == 2
    assert "CC_BASE_URL is not set: e-mails would link to http://localhost:8000" in unset.stderr
    assert _mails(portal, "anna@acme.example", "Reminder") == []
    assert "1 reminded" in _ok(portal.run("approvals", "remind"))
    [reminder] = _mails(portal, "anna@acme.example", "Reminder")
    assert f"{BASE_URL}/orders/{order_id}" in reminder
    assert "localhost" not in reminder
    assert "0 reminded" in _ok(portal.run("approvals", "remind"))  # once only


def check_erp_import_status(portal: Portal) -> None:
    """The status of a handed-off order moves, and the requester's mail links to the portal."""
    with portal.session() as session:
        order = session.get(Order, _shop(session).order().order_id)
        assert order is not None
        order.status, order.erp_order_number = OrderStatus.SENT_TO_ERP, "SO-4711"
        session.add(order)
        session.commit()
        order_id = order.id
    csv_file = portal.folder / "status.csv"
    csv_file.write_text(
        "update_id,erp_order_number,status,carrier\n"
        "SO-4711-1,SO-4711,confirmed,\n"
        "SO-4711-2,SO-4711,shipped,DHL\n"
    )
    unset = portal.run("erp", "import-status", str(csv_file), CC_ENV="test", CC_BASE_URL="")
    assert (unset.returncode, unset.stdout) == (2, "")
    assert "2 applied" in _ok(portal.run("erp", "import-status", str(csv_file)))
    with portal.session() as session:
        assert session.get(Order, order_id).status == "shipped"  # type: ignore[union-attr]
    [mail] = _mails(portal, "ben@acme.example", "shipped")
    assert f"{BASE_URL}/orders/{order_id}" in mail
    again = _ok(portal.run("erp", "import-status", str(csv_file)))
    assert "applied" not in again  # idempotent: recorded before
    missing = portal.run("erp", "import-status", str(portal.folder / "missing.csv"))
    assert missing.returncode == 1
    assert "Import failed, nothing was applied" in missing.stderr
    assert "Traceback" not in missing.stderr


def check_demo_generate(portal: Portal) -> None:
    out = _ok(portal.run("demo", "generate", "--scale", "0.0001", "--seed", "7"))
    assert "Every demo user signs in with the password" in out
    with portal.session() as session:
        assert session.exec(select(func.count()).select_from(Order)).one() > 2


def check_serve(portal: Portal) -> None:
    """Only what does not start servers: the help, and the production settings check."""
    assert "--no-build" in _ok(portal.run("serve", "--help"))
    refused = portal.run("serve", CC_ENV="production", CC_BASE_URL="http://insecure.example")
    assert refused.returncode != 0
    assert "CC_BASE_URL must be an https:// address" in refused.stderr + refused.stdout
    assert "Traceback" not in refused.stderr


def check_erp_serve(portal: Portal) -> None:
    """The reference ERP service answers the contract over HTTP with its bearer token (the
    demo data is loaded by the commands before)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "customer_center.cli", "erp", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={**portal.env, "CC_ERP_SERVE_TOKEN": "cli-test-token"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/v1/customers/10001"
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(url, headers={"Authorization": "Bearer cli-test-token"})
                break
            except httpx.ConnectError:
                assert server.poll() is None, server.stderr.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the ERP service did not start"
                time.sleep(0.1)
        assert answer.status_code == 200 and answer.json()["customer_number"] == "10001"
        assert httpx.get(url).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)


def check_seller_create_admin(portal: Portal) -> None:
    """The first supervisor: invited with every staff right and no password; the printed
    link is the e-mailed one; a second run for the same address is refused."""
    out = _ok(portal.run("seller", "create-admin", "Chief@Seller.example", "--name", "Chris"))
    [link] = [line for line in out.splitlines() if line.startswith(BASE_URL)]
    assert link.startswith(f"{BASE_URL}/seller/invitation?token=")
    [mail] = _mails(portal, "chief@seller.example", "staff access")
    assert link in mail
    with portal.session() as session:
        member = session.exec(
            select(StaffMember).where(StaffMember.email == "chief@seller.example")
        ).one()
        assert (member.name, member.status, member.password_hash) == ("Chris", "invited", None)
        assert sorted(member.rights) == sorted(StaffPermission)
    again = portal.run("seller", "create-admin", "chief@seller.example")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr
    unset = portal.run("seller", "create-admin", "x@seller.example", CC_ENV="test", CC_BASE_URL="")
    assert unset.returncode == 2


CHECKS: dict[str, Callable[[Portal], None]] = {
    "db-upgrade": check_db_upgrade,
    "erp import": check_erp_import,
    "erp import-demo": check_erp_import_demo,
    "erp serve": check_erp_serve,
    "demo-info": check_demo_info,
    "access-map": check_access_map,
    "approvals remind": check_approvals_remind,
    "erp import-status": check_erp_import_status,
    "erp issue-documents": check_erp_issue_documents,
    "demo generate": check_demo_generate,
    "seller create-admin": check_seller_create_admin,
    "serve": check_serve,
}


def _shop(session: Session) -> Shop:
    """Acme (tests.order_factories), made the first time; Ben may order up to €1,000."""
    if session.exec(select(Company)).first() is None:
        shop = Shop.create(session)
        shop.limit(shop.ben, max_value=100_000)
    users = {u.email.split("@")[0]: u for u in session.exec(select(User)).all()}
    main = session.exec(select(User).where(User.email == "main@c-1.example")).one()
    other = session.exec(select(User).where(User.email == "main@c-2.example")).one()
    return Shop(
        session,
        actor_for(session, main),
        users["ben"],
        users["anna"],
        users["carl"],
        users["tina"],
        actor_for(session, other),
        FakeErp(),
    )


def _mails(portal: Portal, to: str, subject_part: str) -> list[str]:
    with portal.session() as session:
        mails = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email")).all()
        return [
            m.payload["text"]
            for m in mails
            if m.payload["to"] == to and subject_part in m.payload["subject"]
        ]


def test_every_command_is_run_here() -> None:
    assert sorted(leaf_commands(build_parser())) == sorted(CHECKS)


@pytest.mark.parametrize("command", list(CHECKS))
def test_the_command_runs_from_a_fresh_shell(portal: Portal, command: str) -> None:
    CHECKS[command](portal)
