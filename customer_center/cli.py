"""``customer-center``: database migrations, ERP data import and the demo data summary."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from customer_center.settings import Settings

DEMO_TEXT = """\
Demo activation data (embedded ERP):
  Customer number  10001  (Müller Maschinenbau GmbH)
  Invoice number   2026-10001-001
  E-mail           anna.mueller@mueller-maschinenbau.example
Other allowed customer: 10002 / 2026-10002-001 / jane.doe@acme-industrial.example
Not allowed:            10003 / 2026-10003-001 / max.meier@northwind.example
E-mails arrive in the dev mailbox: {base_url}/dev/mailbox
"""


def _mail_settings() -> Settings:
    """The settings of a command that e-mails links: outside dev mode only with CC_BASE_URL,
    so no link points at the default http://localhost:CC_PORT instead of the portal."""
    from customer_center.settings import get_settings

    settings = get_settings()
    if not settings.base_url_configured and not settings.is_dev:
        print(
            "CC_BASE_URL is not set: e-mails would link to "
            f"{settings.base_url}. Set it to the address users open the portal at "
            "(the same value the portal runs with), e.g. https://portal.example.com.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return settings


def _db_upgrade(_args: argparse.Namespace) -> None:
    from customer_center.migrations import upgrade

    upgrade()
    print("Database is up to date.")


def _erp_import(args: argparse.Namespace) -> None:
    from customer_center.db import get_engine
    from customer_center.integrations.erp.csv_import import ErpImportError, import_erp_directory

    try:
        report = import_erp_directory(get_engine(), Path(args.directory))
    except ErpImportError as error:
        print(f"Import failed, nothing was saved: {error}", file=sys.stderr)
        raise SystemExit(1) from error
    print(f"ERP data imported: {report}")
    _announce_price_changes(report.rows)
    _reconcile_contacts()


def _announce_price_changes(rows: Mapping[str, int]) -> None:
    """Prices or products imported: every worker's price cache drops what it holds (through
    Redis; without Redis the workers' caches expire by their TTL)."""
    from customer_center.integrations.erp.http.price_invalidation import generations_for
    from customer_center.settings import get_settings

    redis_url = get_settings().redis_url
    if not redis_url or not ({"prices.csv", "products.csv"} & set(rows)):
        return
    try:
        generations_for(redis_url).bump(None)
    except Exception as error:  # the import stands; the caches expire by their TTL
        print(f"Price caches not told (Redis: {type(error).__name__})", file=sys.stderr)


def _reconcile_contacts() -> None:
    """After an import: ERP contacts who are portal users, compared (the portal wins)."""
    from sqlmodel import select

    from customer_center.db import get_engine, session_scope
    from customer_center.integrations.erp.embedded import EmbeddedErpClient
    from customer_center.models.company import Company
    from customer_center.services.people.erp_contact_inbound import (
        PORTAL_WINS,
        reconcile_company,
    )
    from customer_center.settings import get_settings

    erp, settings = EmbeddedErpClient(get_engine()), get_settings()
    conflicts = 0
    with session_scope(get_engine()) as session:
        for company in session.exec(select(Company)):
            contacts = erp.list_contacts(company.customer_number)
            outcomes = reconcile_company(
                session, settings=settings, company=company, contacts=contacts
            )
            conflicts += outcomes.count(PORTAL_WINS)
    if conflicts:
        print(
            f"{conflicts} ERP contacts differ from the portal's users: kept the portal's "
            "values (see the companies' audit logs)"
        )


def _erp_demo(_args: argparse.Namespace) -> None:
    from customer_center.integrations.erp.demo import demo_data_dir, write_demo_datasheets
    from customer_center.settings import get_settings

    _erp_import(argparse.Namespace(directory=str(demo_data_dir())))
    folder = get_settings().datasheet_dir
    written = write_demo_datasheets(folder)
    print(f"Demo data sheets: {len(written)} PDF files in {folder}")


def _erp_issue_documents(args: argparse.Namespace) -> None:
    from customer_center.db import get_engine
    from customer_center.integrations.erp.embedded import EmbeddedErpClient

    kinds = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    unknown = sorted(set(kinds) - {"order_confirmation", "invoice", "delivery_note", "credit_note"})
    if unknown or not kinds:
        print(f"Unknown document kinds: {', '.join(unknown) or '(none)'}", file=sys.stderr)
        raise SystemExit(2)
    numbers = EmbeddedErpClient(get_engine()).issue_order_documents(args.order_number, kinds)
    if not numbers:
        print(f"The embedded ERP has no order {args.order_number}", file=sys.stderr)
        raise SystemExit(1)
    print(f"Documents of {args.order_number}: {', '.join(numbers)}")


def _erp_import_status(args: argparse.Namespace) -> None:
    """Apply ERP status updates from a CSV file (docs/erp-status-updates.md)."""
    from customer_center.db import get_engine
    from customer_center.presenters.erp_updates import problem_messages
    from customer_center.services.orders.erp_status import (
        REJECTED,
        StatusCsvError,
        import_status_csv,
    )

    settings = _mail_settings()
    try:
        data = Path(args.file).read_bytes()
        outcomes = import_status_csv(get_engine(), settings, data)
    except (OSError, StatusCsvError) as error:
        print(f"Import failed, nothing was applied: {error}", file=sys.stderr)
        raise SystemExit(1) from error
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.result] = counts.get(outcome.result, 0) + 1
        if outcome.result == REJECTED:
            for field, message in problem_messages(outcome).items():
                name = f" {field}:" if field else ""
                label = outcome.update_id or "(no update_id)"
                print(f"{outcome.where}: {label}:{name} {message}", file=sys.stderr)
    summary = ", ".join(f"{count} {result}" for result, count in sorted(counts.items()))
    print(f"Status updates: {summary or 'none in the file'}")
    if counts.get(REJECTED):
        raise SystemExit(1)


def _erp_serve(args: argparse.Namespace) -> None:
    """The reference ERP service on the embedded tables (docs/erp-api.md)."""
    import os

    import uvicorn

    from customer_center.db import get_engine
    from customer_center.integrations.erp.http.reference_service import ReferenceErp

    service = ReferenceErp(
        get_engine(),
        token=os.environ.get("CC_ERP_SERVE_TOKEN", ""),
        client_id=os.environ.get("CC_ERP_SERVE_CLIENT_ID", ""),
        client_secret=os.environ.get("CC_ERP_SERVE_CLIENT_SECRET", ""),
    )
    print(f"Reference ERP service on http://{args.host}:{args.port}/v1")
    uvicorn.run(service.app, host=args.host, port=args.port, log_level="warning")


def _demo_info(_args: argparse.Namespace) -> None:
    from customer_center.settings import get_settings

    print(DEMO_TEXT.format(base_url=get_settings().base_url))


def _demo_generate(args: argparse.Namespace) -> None:
    from customer_center.db import get_engine
    from customer_center.demo.generator import DEMO_PASSWORD, Scale, as_rows, generate

    scale = Scale().times(args.scale)
    print(
        f"Generating {scale.companies:,} companies, {scale.users:,} users, {scale.orders:,} orders"
    )
    for line in as_rows(generate(get_engine(), scale, seed=args.seed)):
        print(line)
    print(f"Every demo user signs in with the password {DEMO_PASSWORD}")


def _approvals_remind(_args: argparse.Namespace) -> None:
    from customer_center.db import session_scope
    from customer_center.services.orders.approval_reminders import send_reminders

    settings = _mail_settings()
    with session_scope() as session:
        report = send_reminders(session, settings)
    print(f"Approval reminders: {report.reminded} reminded, {report.escalated} escalated")


def _access_map(_args: argparse.Namespace) -> None:
    """Every event handler of every state and who may call it: the registry, for reviews."""
    import customer_center.customer_center  # noqa: F401 - registers every state
    from customer_center.state.access import access_of, describe
    from customer_center.state.middleware import handler_functions, is_framework_event, short_name

    for name, fn in sorted(handler_functions().items()):
        if is_framework_event(name, fn):
            continue
        rule = describe(access_of(fn))
        print(f"{rule:20} {short_name(name)}")


def _seller_create_admin(args: argparse.Namespace) -> None:
    """The first supervisor of the seller's staff: invited, with every staff right; the link
    to choose a password is printed and e-mailed. No default password, ever."""
    from customer_center.db import session_scope
    from customer_center.domain.errors import ServiceError, ValidationFailed
    from customer_center.services.seller.staff import create_first_admin

    settings = _mail_settings()
    try:
        with session_scope() as session:
            link = create_first_admin(session, settings, email=args.email, name=args.name or "")
    except ServiceError as error:
        problems = error.errors if isinstance(error, ValidationFailed) else {"": (error.code, {})}
        codes = {code for code, _params in problems.values()}
        reason = (
            "a staff member with this e-mail address already exists"
            if "seller.staff.email_taken" in codes
            else "the e-mail address or the name is not valid"
        )
        print(f"Not created: {reason}.", file=sys.stderr)
        raise SystemExit(1) from error
    print(f"Supervisor {args.email} added (invited, every staff right).")
    print("The link to choose a password (single use, valid 7 days) was e-mailed, and is:")
    print(link)


def _serve(args: argparse.Namespace) -> None:
    from customer_center.production import serve

    raise SystemExit(serve(build=args.build, relay=args.relay))


def build_parser() -> argparse.ArgumentParser:
    """Every command and its arguments (tests walk it, so a new command is tested too)."""
    parser = argparse.ArgumentParser(prog="customer-center")
    commands = parser.add_subparsers(required=True)
    commands.add_parser("db-upgrade", help="apply database migrations").set_defaults(
        run=_db_upgrade
    )
    erp = commands.add_parser("erp", help="the embedded ERP").add_subparsers(required=True)
    erp_import = erp.add_parser("import", help="load ERP master data from CSV files in DIR")
    erp_import.add_argument("directory")
    erp_import.set_defaults(run=_erp_import)
    erp.add_parser("import-demo", help="load the shipped demo ERP data").set_defaults(run=_erp_demo)
    erp_serve = erp.add_parser(
        "serve", help="serve the ERP contract (/v1) on the embedded tables: a reference ERP"
    )
    erp_serve.add_argument("--host", default="127.0.0.1")
    erp_serve.add_argument("--port", type=int, default=8100)
    erp_serve.set_defaults(run=_erp_serve)
    erp_status = erp.add_parser(
        "import-status", help="apply order status updates from a CSV FILE (idempotent)"
    )
    erp_status.add_argument("file")
    erp_status.set_defaults(run=_erp_import_status)
    issue = erp.add_parser(
        "issue-documents",
        help="the embedded ERP issues documents (PDF on download) for one of its orders",
    )
    issue.add_argument("order_number", help="the ERP's order number, e.g. SO-100042")
    issue.add_argument(
        "--kinds",
        default="order_confirmation,delivery_note,invoice",
        help="comma-separated: order_confirmation, delivery_note, invoice, credit_note",
    )
    issue.set_defaults(run=_erp_issue_documents)
    commands.add_parser("demo-info", help="print the demo activation data").set_defaults(
        run=_demo_info
    )
    demo = commands.add_parser("demo", help="demo data").add_subparsers(required=True)
    demo_generate = demo.add_parser(
        "generate", help="fill the database with a large dataset for benchmarks"
    )
    demo_generate.add_argument(
        "--scale", type=float, default=1.0, help="1 = 1,000 companies, 50,000 users, 500,000 orders"
    )
    demo_generate.add_argument("--seed", type=int, default=2026)
    demo_generate.set_defaults(run=_demo_generate)
    approvals = commands.add_parser("approvals", help="approvals").add_subparsers(required=True)
    approvals.add_parser(
        "remind", help="e-mail approvers of approvals waiting too long; escalate the oldest"
    ).set_defaults(run=_approvals_remind)
    seller = commands.add_parser("seller", help="the seller's staff").add_subparsers(required=True)
    create_admin = seller.add_parser(
        "create-admin",
        help="add the first supervisor (every staff right) and print the link to set a password",
    )
    create_admin.add_argument("email")
    create_admin.add_argument("--name", default="")
    create_admin.set_defaults(run=_seller_create_admin)
    commands.add_parser(
        "access-map", help="list every event handler and the right it requires"
    ).set_defaults(run=_access_map)
    serve = commands.add_parser(
        "serve", help="production: check the settings, migrate, start the portal and the relay"
    )
    serve.add_argument(
        "--no-build", dest="build", action="store_false", help="serve the build already in .web"
    )
    serve.add_argument(
        "--no-relay", dest="relay", action="store_false", help="the outbox relay runs elsewhere"
    )
    serve.set_defaults(run=_serve)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    from customer_center.logs import configure_logging, start_system_context

    configure_logging()
    start_system_context("cli." + args.run.__name__.lstrip("_").replace("_", "-"))
    # Every table, so that foreign keys between models resolve whichever a command touches.
    import customer_center.tables  # noqa: F401

    args.run(args)


if __name__ == "__main__":
    main()
