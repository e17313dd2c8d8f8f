"""Returns and credit requests on the customer's side: what an order allows to return, asking
for a return or a credit, withdrawing one, the list (one page in SQL) and one return.

Who: asking needs ``returns.request`` and an order the principal may see; the list and a
return show the principal's own requests, and every request of the company to holders of
``orders.view_all`` (the main contact holds every right). Anything else is "not found". An
agent acting for a user is a customer user here: the timeline, the order's timeline and the
audit log name the agent as actor and the user as whom it counts for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import bounded_text, parse_id, parse_money, parse_whole
from customer_center.domain.orders import order_number
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.returns import (
    COMMENT_MAX,
    NOT_COUNTING,
    Condition,
    Outcome,
    ReturnAction,
    ReturnKind,
    ReturnReason,
    ReturnState,
    available,
    quantity_fits,
    reason_fits,
    window_ends,
    within_window,
)
from customer_center.models.order import Order, OrderLine
from customer_center.models.returns import ReturnLine, ReturnRequest
from customer_center.services.audit import record
from customer_center.services.orders.access import visible_order
from customer_center.services.people.budgets import local_today
from customer_center.services.returns import records
from customer_center.services.returns.records import ReturnPage, ReturnView
from customer_center.settings import Settings

NOT_FOUND = "returns.error.not_found"
WINDOW_CLOSED = "returns.error.window_closed"


@dataclass(frozen=True)
class ReturnableLine:
    id: int
    position: int
    sku: str
    name: str
    unit: str
    delivered: int
    available: int
    unit_price_cents: int


@dataclass(frozen=True)
class Returnable:
    """A delivered order as the return form shows it."""

    order_id: int
    order_number: str
    currency: str
    delivered_on: date | None
    last_day: date | None
    open: bool  # delivered and within the window
    lines: list[ReturnableLine]


def returnable(
    session: Session,
    principal: CustomerUser,
    *,
    order_id: object,
    kind: str = ReturnKind.GOODS,
    settings: Settings,
    today: date | None = None,
) -> Returnable:
    """The order's lines with the delivered quantity and how many may still be asked for."""
    principal.require(Permission.RETURNS_REQUEST)
    wanted = parse_id(order_id) if isinstance(order_id, str) else order_id
    order, _viewer = visible_order(session, principal, order_id=wanted)
    delivered_on = records.delivered_on(session, order)
    days = records.window_days(session, order.company_id, settings.return_window_days)
    lines = _order_lines(session, order)
    already = _already(session, [line.id or 0 for line in lines], kind)
    delivered = delivered_on is not None
    return Returnable(
        order_id=order.id or 0,
        order_number=order_number(order),
        currency=order.currency,
        delivered_on=delivered_on,
        last_day=window_ends(delivered_on, days) if delivered_on else None,
        open=within_window(delivered_on, days, today or local_today()),
        lines=[
            ReturnableLine(
                id=line.id or 0,
                position=line.position,
                sku=line.sku,
                name=line.name,
                unit=line.unit,
                delivered=line.quantity if delivered else 0,
                available=available(
                    line.quantity if delivered else 0, already.get(line.id or 0, 0)
                ),
                unit_price_cents=line.unit_price_cents,
            )
            for line in lines
        ],
    )


def _order_lines(session: Session, order: Order) -> list[OrderLine]:
    return list(
        session.exec(
            select(OrderLine)
            .where(OrderLine.order_id == order.id, OrderLine.revision == order.revision)
            .order_by(col(OrderLine.position))
        ).all()
    )


def _already(session: Session, line_ids: list[int], kind: str) -> dict[int, int]:
    """Pieces per order line that other requests of ``kind`` (not rejected or withdrawn)
    already ask for."""
    if not line_ids:
        return {}
    rows = session.exec(
        select(ReturnLine.order_line_id, func.sum(ReturnLine.quantity))
        .join(ReturnRequest, col(ReturnRequest.id) == ReturnLine.return_id)
        .where(
            col(ReturnLine.order_line_id).in_(line_ids),
            ReturnRequest.kind == kind,
            col(ReturnRequest.state).not_in(list(NOT_COUNTING)),
        )
        .group_by(col(ReturnLine.order_line_id))
    ).all()
    return {line_id: int(total or 0) for line_id, total in rows}


def request_return(
    session: Session,
    principal: CustomerUser,
    *,
    order_id: object,
    kind: object,
    reason: object,
    condition: object = "",
    outcome: object = Outcome.CREDIT,
    comment: object = "",
    quantities: Mapping[str, object],
    amounts: Mapping[str, object] | None = None,
    settings: Settings,
    today: date | None = None,
) -> int:
    """A return (``goods``) or a credit request (``credit``) about lines of a delivered order
    within its return window; ``quantities`` and ``amounts`` (a credit request for a price
    difference: the difference per unit) are keyed by the order line's id. Nothing is saved
    when anything is wrong."""
    if kind not in set(ReturnKind):
        raise ValidationFailed({"kind": ("error.invalid_input", {})})
    kind = ReturnKind(str(kind))
    found = returnable(
        session, principal, order_id=order_id, kind=kind, settings=settings, today=today
    )
    if not found.open:
        raise ServiceError(WINDOW_CLOSED)
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    _check_choices(errors, kind, reason, condition, outcome)
    lines = _chosen_lines(errors, kind, reason, found, quantities, amounts or {})
    if errors:
        raise ValidationFailed(errors)
    request = ReturnRequest(
        company_id=principal.company_id,
        order_id=found.order_id,
        requested_by_id=principal.user_id,
        kind=kind,
        reason=str(reason),
        condition=str(condition) if kind == ReturnKind.GOODS else "",
        outcome=str(outcome) if kind == ReturnKind.GOODS else Outcome.CREDIT,
        comment=bounded_text(comment, COMMENT_MAX).strip(),
        currency=found.currency,
        credit_cents=sum(quantity * unit for _line, quantity, unit in lines),
    )
    session.add(request)
    session.flush()
    for line, quantity, unit in lines:
        session.add(
            ReturnLine(
                return_id=request.id or 0,
                order_line_id=line.id,
                position=line.position,
                sku=line.sku,
                name=line.name,
                quantity=quantity,
                unit_credit_cents=unit,
            )
        )
    data = {"lines": len(lines), "pieces": sum(q for _line, q, _unit in lines)}
    records.add_entry(
        session,
        request,
        records.entry_kind(ReturnState.REQUESTED),
        principal.attribution,
        body=request.comment,
        data=data,
    )
    record(
        session,
        "return.request",
        company_id=principal.company_id,
        by=principal.attribution,
        target_type="return",
        target_id=request.id,
        after={"kind": kind.value, "order_id": found.order_id, **data},
    )
    return request.id or 0


def _check_choices(
    errors: dict[str, tuple[str, dict[str, object]]],
    kind: ReturnKind,
    reason: object,
    condition: object,
    outcome: object,
) -> None:
    if not isinstance(reason, str) or not reason_fits(kind, reason):
        errors["reason"] = ("returns.error.reason_required", {})
    if kind == ReturnKind.GOODS:
        if condition not in set(Condition):
            errors["condition"] = ("returns.error.condition_required", {})
        if outcome not in set(Outcome):
            errors["outcome"] = ("returns.error.outcome_required", {})


def _chosen_lines(
    errors: dict[str, tuple[str, dict[str, object]]],
    kind: ReturnKind,
    reason: object,
    found: Returnable,
    quantities: Mapping[str, object],
    amounts: Mapping[str, object],
) -> list[tuple[ReturnableLine, int, int]]:
    """(line, quantity, unit value in cents) of every line asked for; errors per line."""
    chosen: list[tuple[ReturnableLine, int, int]] = []
    before = len(errors)
    for line in found.lines:
        raw = quantities.get(str(line.id), "")
        if raw in ("", None, "0", 0):
            continue
        quantity = parse_whole(raw, 1_000_000)
        field = f"qty_{line.id}"
        already = line.delivered - line.available
        if quantity is None or not quantity_fits(quantity, line.delivered, already):
            errors[field] = ("returns.error.quantity", {"max": line.available})
            continue
        unit = line.unit_price_cents
        if kind == ReturnKind.CREDIT and reason == ReturnReason.PRICE_DIFFERENCE:
            amount = parse_money(amounts.get(str(line.id), ""))
            cents = int(amount * 100) if amount is not None else 0
            if not 0 < cents <= line.unit_price_cents:
                errors[f"amount_{line.id}"] = ("returns.error.amount", {})
                continue
            unit = cents
        chosen.append((line, quantity, unit))
    if not chosen and len(errors) == before:
        errors["lines"] = ("returns.error.no_lines", {})
    return chosen


def _visible_query(principal: CustomerUser):  # noqa: ANN202
    query = select(ReturnRequest).where(ReturnRequest.company_id == principal.company_id)
    if principal.may(Permission.ORDERS_VIEW_ALL):
        return query
    return query.where(ReturnRequest.requested_by_id == principal.user_id)


def list_returns(
    session: Session, principal: CustomerUser, *, page: int = 0, order_id: int | None = None
) -> ReturnPage:
    """The returns the principal may see (of one order, if given), newest activity first."""
    query = _visible_query(principal)
    if order_id is not None:
        query = query.where(ReturnRequest.order_id == order_id)
    return records.return_page(session, query, page=page)


def visible_return(
    session: Session, principal: CustomerUser, *, return_id: object
) -> ReturnRequest:
    wanted = parse_id(return_id) if isinstance(return_id, str) else return_id
    if not isinstance(wanted, int) or isinstance(wanted, bool):
        raise ServiceError(NOT_FOUND)
    found = session.exec(_visible_query(principal).where(ReturnRequest.id == wanted)).first()
    if found is None:
        raise ServiceError(NOT_FOUND)
    return found


def read_return(
    session: Session, principal: CustomerUser, *, return_id: object, settings: Settings
) -> ReturnView:
    found = visible_return(session, principal, return_id=return_id)
    return records.return_view(session, found, seller=settings.seller_name)


def withdraw(session: Session, principal: CustomerUser, *, return_id: object) -> None:
    """The customer takes back a request the seller has not decided yet."""
    principal.require(Permission.RETURNS_REQUEST, refusal=NOT_FOUND)
    found = visible_return(session, principal, return_id=return_id)
    records.move(session, found, ReturnAction.WITHDRAW, principal.attribution)
