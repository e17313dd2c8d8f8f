"""Status updates from the ERP: the order's journey in its timeline, the status moved forward.

Two ways in, one function underneath (:func:`apply_updates`): the authenticated HTTP endpoint
``POST /erp/order-status`` (customer_center.http.erp_status) and the CSV import
``customer-center erp import-status FILE``. The format is documented for the ERP side in
docs/erp-status-updates.md.

- Idempotent: each update carries an ``update_id``; it is the ``external_key`` of the
  timeline event it creates (unique per order), so a repeated update is a no-op.
- Every update lands in its own transaction with the order row locked, so concurrent updates
  of one order are applied one after the other; a bad update never blocks the good ones.
- The status moves only forward (domain.order_journey); an update that does not move it is
  still recorded in the timeline.
- The requester is e-mailed on shipping and on delivery (``CC_ORDER_STATUS_MAILS``), through
  the outbox in the same transaction, with a link to the order's page.

The ERP is trusted to speak for every company (it holds the token), so orders are found by
the ERP's order number alone; nothing here is reachable from a browser session.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from customer_center.db import session_scope
from customer_center.domain import routes
from customer_center.domain.csv_cells import unguard
from customer_center.domain.order_journey import (
    InvalidUpdate,
    Problems,
    StatusUpdate,
    all_shipped,
    is_news_shipment,
    next_status,
    parse_update,
    rank,
    shipped_after,
)
from customer_center.domain.order_states import OrderStatus, erp_event
from customer_center.domain.orders import mail_ref, order_number
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import SYSTEM
from customer_center.domain.user_csv import detect_delimiter
from customer_center.models.base import utcnow
from customer_center.models.order import Order, OrderEvent, OrderLine
from customer_center.models.user import User
from customer_center.services import emails
from customer_center.services.orders.events import add_event
from customer_center.settings import Settings

log = logging.getLogger(__name__)

APPLIED = "applied"  # recorded, and the order's status moved
RECORDED = "recorded"  # recorded in the timeline; the status stays as it was
DUPLICATE = "duplicate"  # this update id was recorded before: nothing changed
REJECTED = "rejected"  # not recorded; ``problems`` say why

SHIPMENT_KINDS = (erp_event(OrderStatus.SHIPPED), erp_event(OrderStatus.PARTIALLY_SHIPPED))
MAX_UPDATES = 1000  # per request or file
CSV_MAX_BYTES = 5 * 1024 * 1024
CSV_COLUMNS = (
    "update_id",
    "erp_order_number",
    "status",
    "occurred_at",
    "carrier",
    "tracking_number",
    "sku",
    "quantity",
    "note",
)
_SHARED_CSV_COLUMNS = tuple(c for c in CSV_COLUMNS if c not in ("sku", "quantity"))


@dataclass(frozen=True)
class UpdateOutcome:
    """What became of one update; ``status`` is the order's status afterwards."""

    update_id: str
    result: str
    status: str = ""
    order_id: int | None = None
    problems: Problems = field(default_factory=dict)
    where: str = ""  # the CSV lines of the update, in the import's report


def apply_updates(
    engine: Engine, settings: Settings, raw_updates: Sequence[object]
) -> list[UpdateOutcome]:
    """Parse and apply each update in its own transaction; one outcome per update, in order."""
    outcomes = []
    for raw in raw_updates:
        try:
            update = parse_update(raw)
        except InvalidUpdate as invalid:
            update_id = raw.get("update_id") if isinstance(raw, Mapping) else None
            outcomes.append(
                UpdateOutcome(
                    update_id=update_id if isinstance(update_id, str) else "",
                    result=REJECTED,
                    problems=invalid.problems,
                )
            )
            continue
        outcomes.append(_apply_in_transaction(engine, settings, update))
    return outcomes


def _apply_in_transaction(
    engine: Engine, settings: Settings, update: StatusUpdate
) -> UpdateOutcome:
    try:
        with session_scope(engine) as session:
            return apply_update(session, settings, update)
    except IntegrityError:
        # The same update arrived twice at the same moment (SQLite does not lock the order
        # row); the other copy is recorded now, so this one is a duplicate.
        with session_scope(engine) as session:
            return apply_update(session, settings, update)


def apply_update(session: Session, settings: Settings, update: StatusUpdate) -> UpdateOutcome:
    """Record ``update`` in its order's timeline and move the status if it moves forward."""
    order = session.exec(
        select(Order).where(Order.erp_order_number == update.erp_order_number).with_for_update()
    ).first()
    if order is None:
        return _rejected(
            update,
            {
                "erp_order_number": (
                    "erp_status.error.order_unknown",
                    {"number": update.erp_order_number},
                )
            },
        )
    assert order.id is not None
    if _recorded(session, order.id, update.update_id):
        return UpdateOutcome(update.update_id, DUPLICATE, order.status, order.id)
    current = order.status
    ordered = _ordered(session, order)
    shipped_before = _shipped_so_far(session, order.id)
    shipped_total: dict[str, int] | None = None
    fully = current != OrderStatus.PARTIALLY_SHIPPED or all_shipped(ordered, shipped_before)
    if (
        update.status == OrderStatus.SHIPPED
        and rank(current) < rank(OrderStatus.SHIPPED)
        and rank(current) >= 0
    ):
        shipped_total, problems = shipped_after(ordered, shipped_before, update)
        if problems:
            return _rejected(update, problems, order)
        fully = all_shipped(ordered, shipped_total)
    new = next_status(current, update.status, fully)
    add_event(
        session,
        order,
        _event_kind(update.status, shipped_total is not None and not fully),
        SYSTEM,
        body=update.note,
        data=_event_data(update, current, new, shipped_total, fully),
        external_key=update.update_id,
    )
    if new is not None:
        order.status = new
        order.version += 1
        order.updated_at = utcnow()
        session.add(order)
    _mail_requester(session, settings, order, update, current, new, fully)
    session.flush()
    return UpdateOutcome(update.update_id, APPLIED if new else RECORDED, order.status, order.id)


def _event_data(
    update: StatusUpdate,
    current: str,
    new: str | None,
    shipped_total: dict[str, int] | None,
    fully: bool,
) -> dict[str, Any]:
    """What the timeline keeps of an update: the figures, never words."""
    data: dict[str, Any] = {
        "reported": update.status,
        "status_before": current,
        "status_after": new or current,
        "moved": new is not None,
        "carrier": update.carrier,
        "tracking_number": update.tracking_number,
        "lines": [{"sku": line.sku, "quantity": line.quantity} for line in update.lines],
        "occurred_at": update.occurred_at.isoformat() if update.occurred_at else None,
    }
    if shipped_total is not None:
        data["shipped_total"] = shipped_total
        data["partial"] = not fully
    return data


def _event_kind(reported: str, partial: bool) -> str:
    """``erp.<status>``; a shipment of part of the order is ``erp.partially_shipped``."""
    return erp_event(OrderStatus.PARTIALLY_SHIPPED if partial else reported)


def _rejected(
    update: StatusUpdate, problems: Problems, order: Order | None = None
) -> UpdateOutcome:
    return UpdateOutcome(
        update.update_id,
        REJECTED,
        order.status if order else "",
        order.id if order else None,
        problems,
    )


def _recorded(session: Session, order_id: int, update_id: str) -> bool:
    found = session.exec(
        select(OrderEvent.id).where(
            OrderEvent.order_id == order_id, OrderEvent.external_key == update_id
        )
    ).first()
    return found is not None


def _ordered(session: Session, order: Order) -> dict[str, int]:
    """Quantities per SKU of the order's current (approved) revision."""
    rows = session.exec(
        select(OrderLine.sku, OrderLine.quantity).where(
            OrderLine.order_id == order.id, OrderLine.revision == order.revision
        )
    ).all()
    ordered: dict[str, int] = {}
    for sku, quantity in rows:
        key = sku.strip().upper()
        ordered[key] = ordered.get(key, 0) + quantity
    return ordered


def _shipped_so_far(session: Session, order_id: int) -> dict[str, int]:
    """What has shipped before: the running total stored with the latest counted shipment."""
    events = session.exec(
        select(OrderEvent.data)
        .where(OrderEvent.order_id == order_id, col(OrderEvent.kind).in_(SHIPMENT_KINDS))
        .order_by(col(OrderEvent.id).desc())
    ).all()
    for data in events:
        total = (data or {}).get("shipped_total")
        if isinstance(total, dict):
            return {str(sku): int(quantity) for sku, quantity in total.items()}
    return {}


def _mail_requester(
    session: Session,
    settings: Settings,
    order: Order,
    update: StatusUpdate,
    current: str,
    new: str | None,
    fully: bool,
) -> None:
    if update.status == OrderStatus.SHIPPED and is_news_shipment(current, update.status):
        template = "order_shipped" if fully else "order_partially_shipped"
        if OrderStatus.SHIPPED not in settings.order_status_mails:
            return
    elif new == OrderStatus.DELIVERED:
        template = "order_delivered"
        if OrderStatus.DELIVERED not in settings.order_status_mails:
            return
    else:
        return
    requester = session.get(User, order.requester_id)
    if requester is None or requester.status != UserStatus.ACTIVE:
        return
    emails.queue(
        session,
        to=requester.email,
        lang=requester.language,
        template=template,
        link=routes.link(settings.base_url, routes.order_path(order.id or 0)),
        dedup_key=f"order-status:{order.id}:{update.update_id}",
        refers_to=mail_ref(order.id or 0),
        name=requester.name,
        number=order_number(order),
        reference=order.reference or "—",
        carrier=update.carrier,
        tracking_number=update.tracking_number,
    )


# --- the CSV file ----------------------------------------------------------------------------


class StatusCsvError(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class CsvUpdate:
    """One update as the file has it: the raw values, where it is, whether its rows agree."""

    raw: dict[str, Any]
    line_numbers: list[int]
    rows_disagree: bool = False

    @property
    def where(self) -> str:
        numbers = self.line_numbers
        if len(numbers) == 1:
            return f"line {numbers[0]}"
        return "lines " + ", ".join(map(str, numbers))


def read_status_csv(data: bytes) -> list[CsvUpdate]:
    """The updates of a CSV file as raw mappings (as the JSON endpoint receives them).

    One row per update; a partial shipment repeats the update's row once per shipped line
    (same ``update_id``, each row with its line's ``sku`` and ``quantity``). Rows of one
    update that disagree on the other columns make that update invalid.
    """
    if len(data) > CSV_MAX_BYTES:
        raise StatusCsvError(f"the file is larger than {CSV_MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StatusCsvError("the file is not UTF-8 text") from error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration as error:
        raise StatusCsvError("the file is empty") from error
    except csv.Error as error:
        raise StatusCsvError(f"line 1: {error}") from error
    missing = [name for name in ("update_id", "erp_order_number", "status") if name not in header]
    if missing:
        raise StatusCsvError("the header lacks the column(s) " + ", ".join(missing))
    updates: dict[str, CsvUpdate] = {}
    try:
        for values in reader:
            if not any(cell.strip() for cell in values):
                continue
            row = {
                name: unguard(values[index].strip()) if index < len(values) else ""
                for index, name in enumerate(header)
                if name in CSV_COLUMNS
            }
            key = row.get("update_id", "") or f"(line {reader.line_num})"
            _merge_row(updates, key, row, reader.line_num)
            if len(updates) > MAX_UPDATES:
                raise StatusCsvError(f"more than {MAX_UPDATES} updates in one file")
    except csv.Error as error:
        raise StatusCsvError(f"line {reader.line_num}: {error}") from error
    return list(updates.values())


def _merge_row(updates: dict[str, CsvUpdate], key: str, row: dict[str, str], line: int) -> None:
    shared = {name: row.get(name, "") for name in _SHARED_CSV_COLUMNS if row.get(name, "")}
    found = updates.get(key)
    if found is None:
        found = updates[key] = CsvUpdate({**shared, "lines": []}, [])
    elif any(found.raw.get(name, "") != value for name, value in shared.items()):
        found.rows_disagree = True
    found.line_numbers.append(line)
    if row.get("sku", "") or row.get("quantity", ""):
        found.raw["lines"].append({"sku": row.get("sku", ""), "quantity": row.get("quantity", "")})


def import_status_csv(engine: Engine, settings: Settings, data: bytes) -> list[UpdateOutcome]:
    """Apply every update of the file; an update whose rows disagree is rejected."""
    outcomes = []
    for update in read_status_csv(data):
        if update.rows_disagree:
            update_id = str(update.raw.get("update_id", ""))
            problems: Problems = {"": ("erp_status.error.rows_disagree", {})}
            outcome = UpdateOutcome(update_id, REJECTED, problems=problems)
        else:
            [outcome] = apply_updates(engine, settings, [update.raw])
        outcomes.append(dataclasses.replace(outcome, where=update.where))
    return outcomes
