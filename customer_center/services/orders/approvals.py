"""Approving orders: the inbox, decisions, changes, resubmission, cancellation, the conversation.

Who decides a waiting step: its designated approver, whoever stands in for them today (a
substitute while they are away, the main contact for a deactivated approver), and, once a
step has been escalated, the main contact. Nobody decides their own order.

Every decision and change takes the order ``version`` the deciding person saw and bumps it
in one ``UPDATE ... WHERE version = :seen``: of two people deciding at once exactly one
counts; the other gets ``orders.error.stale`` and reloads the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, func, or_, update
from sqlmodel import Session, col, select

from customer_center.domain.budgets import (
    LimitBreach,
    OrderFigures,
    breaches_now,
    describe_breach,
    money,
)
from customer_center.domain.chains import effective_approver, stands_in_for
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.order_states import EventKind, OrderStatus, StepStatus
from customer_center.domain.orders import (
    COMMENT_MAX,
    SHIPPING_METHODS,
    Difference,
    LineSnapshot,
    Revision,
    address_errors,
    apply_line_changes,
    change_errors,
    clean_address,
    is_open,
    order_number,
    revision_diff,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.i18n import translate
from customer_center.i18n.catalog import catalog
from customer_center.i18n.formatting import format_moment
from customer_center.models.base import utcnow
from customer_center.models.order import ApprovalStep, Order, OrderEvent, OrderLine, OrderRevision
from customer_center.models.user import User
from customer_center.services.orders import order_mails
from customer_center.services.orders.order_handoff import enqueue_handoff
from customer_center.services.orders.ordering import (
    add_event,
    decide_on_submission,
    header_of,
    write_revision,
)
from customer_center.services.people.budgets import (
    BudgetSituation,
    local_today,
    order_breaches,
    situation_of,
)
from customer_center.services.people.chains import decider_today, deputy_directory
from customer_center.settings import Settings

PAGE_SIZE = 20
REASON_EVENTS = (EventKind.SUBMITTED, EventKind.RESUBMITTED)


# --- who may do what ---------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """The actor as one order sees them."""

    actor: CustomerUser
    rights: frozenset[str]
    stands_in_for: frozenset[int]  # designated approvers whose steps they decide today
    is_main_contact: bool

    @property
    def deciding_for(self) -> frozenset[int]:
        return self.stands_in_for | {self.actor.user_id}

    def may_decide(self, step: ApprovalStep) -> bool:
        if Permission.APPROVALS_DECIDE not in self.rights:
            return False
        return step.approver_id in self.deciding_for or (
            self.is_main_contact and step.escalated_at is not None
        )


def viewer_of(session: Session, actor: CustomerUser, today: date | None = None) -> Viewer:
    directory = deputy_directory(session, actor.company_id)
    return Viewer(
        actor,
        actor.rights,
        stands_in_for(actor.user_id, directory, today or local_today()),
        directory.main_contact_id == actor.user_id,
    )


def _decidable_clause(viewer: Viewer) -> Any:
    escalated = col(ApprovalStep.escalated_at).is_not(None) if viewer.is_main_contact else false()
    return or_(col(ApprovalStep.approver_id).in_(sorted(viewer.deciding_for)), escalated)


def _company_order(session: Session, actor: CustomerUser, order_id: object) -> Order:
    order = session.get(Order, order_id) if type(order_id) is int else None
    if order is None or order.company_id != actor.company_id:
        raise ServiceError("orders.error.not_found")
    return order


def _may_view(session: Session, viewer: Viewer, order: Order) -> bool:
    if order.requester_id == viewer.actor.user_id:
        return True
    if Permission.ORDERS_VIEW_ALL in viewer.rights:
        return True
    involved = session.exec(
        select(ApprovalStep.id).where(
            ApprovalStep.order_id == order.id,
            or_(
                _decidable_clause(viewer),
                col(ApprovalStep.decided_by_id) == viewer.actor.user_id,
            ),
        )
    ).first()
    return involved is not None


def visible_order(session: Session, actor: CustomerUser, order_id: object) -> tuple[Order, Viewer]:
    """The order if the actor may see it (requester, its approvers and those standing in
    for them, holders of orders.view_all); anything else is "not found"."""
    order = _company_order(session, actor, order_id)
    viewer = viewer_of(session, actor)
    if not _may_view(session, viewer, order):
        raise ServiceError("orders.error.not_found")
    return order, viewer


def _lock_version(session: Session, order: Order, seen_version: object) -> None:
    """Bump the version if it is still the one the client saw; else refuse as stale."""
    if type(seen_version) is not int:
        raise ServiceError("orders.error.stale")
    result = session.execute(
        update(Order)
        .where(
            col(Order.id) == order.id,
            col(Order.company_id) == order.company_id,
            col(Order.version) == seen_version,
        )
        .values(version=col(Order.version) + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError("orders.error.stale")
    session.refresh(order)


def _current_steps(session: Session, order: Order) -> list[ApprovalStep]:
    return list(
        session.exec(
            select(ApprovalStep)
            .where(ApprovalStep.order_id == order.id, ApprovalStep.revision == order.revision)
            .order_by(col(ApprovalStep.level), col(ApprovalStep.id))
        ).all()
    )


def _steps_to_decide(
    session: Session, viewer: Viewer, order: Order
) -> tuple[list[ApprovalStep], list[ApprovalStep]]:
    """(all steps of the current revision, the waiting ones the viewer decides)."""
    if order.status != OrderStatus.PENDING_APPROVAL:
        raise ServiceError("orders.error.not_open")
    if order.requester_id == viewer.actor.user_id:
        raise ServiceError("approvals.error.own_order")
    steps = _current_steps(session, order)
    mine = [s for s in steps if s.status == StepStatus.WAITING and viewer.may_decide(s)]
    if not mine:
        raise ServiceError("approvals.error.not_yours")
    return steps, mine


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.name if user else ""


# --- the inbox ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    order_id: int
    number: str
    requester: str
    total_cents: int
    currency: str
    waiting_since: datetime
    reasons: list[str]
    on_behalf_of: list[str]  # names of the approvers the viewer stands in for here
    escalated: bool


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    page_count: int


def _inbox_query(viewer: Viewer) -> Any:
    return (
        select(
            col(ApprovalStep.order_id),
            func.min(ApprovalStep.due_since).label("since"),
        )
        .join(Order, col(Order.id) == col(ApprovalStep.order_id))
        .where(
            ApprovalStep.company_id == viewer.actor.company_id,
            ApprovalStep.status == StepStatus.WAITING,
            Order.status == OrderStatus.PENDING_APPROVAL,
            Order.requester_id != viewer.actor.user_id,
            _decidable_clause(viewer),
        )
        .group_by(col(ApprovalStep.order_id))
    )


def waiting_count(session: Session, actor: CustomerUser) -> int:
    """How many orders wait for the actor's decision (the navigation badge)."""
    viewer = viewer_of(session, actor)
    if Permission.APPROVALS_DECIDE not in viewer.rights:
        return 0
    query = select(func.count()).select_from(_inbox_query(viewer).subquery())
    return int(session.exec(query).one())


def inbox(
    session: Session, actor: CustomerUser, page: int = 0, page_size: int = PAGE_SIZE
) -> InboxPage:
    """The orders waiting for the actor, oldest first, one page."""
    viewer = viewer_of(session, actor)
    if Permission.APPROVALS_DECIDE not in viewer.rights:
        raise ServiceError("error.permission_denied")
    query = _inbox_query(viewer)
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    page_count = max(1, -(-total // page_size))
    page = min(max(page if type(page) is int else 0, 0), page_count - 1)
    found = session.exec(
        query.order_by("since", col(ApprovalStep.order_id))
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    ids = [order_id for order_id, _since in found]
    orders = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_(ids)))}
    reasons = _reasons_now(session, list(orders.values()))
    steps = session.exec(
        select(ApprovalStep).where(
            col(ApprovalStep.order_id).in_(ids), ApprovalStep.status == StepStatus.WAITING
        )
    ).all()
    names = UserNames(session, actor.company_id)
    names.load([o.requester_id for o in orders.values()] + [s.approver_id for s in steps])
    rows = []
    for order_id, since in found:
        order = orders[order_id]
        own = [s for s in steps if s.order_id == order_id and viewer.may_decide(s)]
        rows.append(
            InboxRow(
                order_id=order_id,
                number=order_number(order),
                requester=names.get(order.requester_id, ""),
                total_cents=order.total_cents,
                currency=order.currency,
                waiting_since=since,
                reasons=[
                    describe_breach(b, actor.language, order.currency)
                    for b in reasons.get(order_id, [])
                ],
                on_behalf_of=sorted(
                    {names.get(s.approver_id, "?") for s in own if s.approver_id != actor.user_id}
                ),
                escalated=any(s.escalated_at is not None for s in own),
            )
        )
    return InboxPage(rows, total, page, page_count)


class UserNames(Mapping[int, str]):
    """Names of the company's users, read when first asked for (an order or an inbox page
    names a handful of people; a company may have thousands)."""

    def __init__(self, session: Session, company_id: int) -> None:
        self._session, self._company_id = session, company_id
        self._known: dict[int, str | None] = {}

    def load(self, user_ids: Iterable[int]) -> None:
        missing = {u for u in user_ids if u not in self._known}
        if not missing:
            return
        found = dict(
            self._session.exec(
                select(User.id, User.name).where(
                    User.company_id == self._company_id, col(User.id).in_(missing)
                )
            ).all()
        )
        self._known.update({u: found.get(u) for u in missing})  # type: ignore[misc]

    def __getitem__(self, user_id: int) -> str:
        self.load([user_id])
        name = self._known[user_id]
        if name is None:
            raise KeyError(user_id)
        return name

    def __iter__(self) -> Iterator[int]:
        return (u for u, name in self._known.items() if name is not None)

    def __len__(self) -> int:
        return sum(1 for name in self._known.values() if name is not None)


def _latest_reasons(session: Session, order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The reasons of each order's latest submission or resubmission."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not order_ids:
        return found
    events = session.exec(
        select(OrderEvent.order_id, OrderEvent.data)
        .where(col(OrderEvent.order_id).in_(order_ids), col(OrderEvent.kind).in_(REASON_EVENTS))
        .order_by(col(OrderEvent.id))
    ).all()
    for order_id, data in events:
        found[order_id] = list((data or {}).get("reasons", []))
    return found


def _recorded_breach(reason: Mapping[str, Any]) -> LimitBreach | None:
    try:
        return LimitBreach(
            str(reason["kind"]),
            int(reason["actual"]),
            int(reason["limit"]),
            int(reason.get("already_used") or 0),
            reason.get("period"),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _reasons_now(session: Session, orders: list[Order]) -> dict[int, list[LimitBreach]]:
    """Why each order waits: the limits of its latest (re)submission, with the figures of its
    current revision."""
    recorded = _latest_reasons(session, [o.id for o in orders if o.id is not None])
    return {
        order.id: breaches_now(
            [b for r in recorded.get(order.id, []) if (b := _recorded_breach(r)) is not None],
            OrderFigures(order.total_quantity, order.total_cents),
        )
        for order in orders
        if order.id is not None
    }


# --- decisions ---------------------------------------------------------------------------


def approve(
    session: Session,
    actor: CustomerUser,
    settings: Settings,
    order_id: object,
    seen_version: object,
    comment: str = "",
) -> str:
    """Approve the actor's part of the current level; returns the order's new status."""
    comment = _comment(comment, required=False)
    order, viewer = visible_order(session, actor, order_id)
    _lock_version(session, order, seen_version)
    steps, mine = _steps_to_decide(session, viewer, order)
    now = utcnow()
    level = mine[0].level
    for step in mine:
        if step.level == level:
            step.status, step.decided_by_id, step.decided_at = (
                StepStatus.APPROVED,
                actor.user_id,
                now,
            )
            session.add(step)
    for step in steps:
        if step.level == level and step.status == StepStatus.WAITING and step.rule == "any":
            step.status = StepStatus.SKIPPED
            session.add(step)
    level_done = not any(s.level == level and s.status == StepStatus.WAITING for s in steps)
    later = [s for s in steps if s.status == StepStatus.QUEUED]
    final = level_done and not later
    add_event(
        session,
        order,
        EventKind.APPROVED,
        actor.user_id,
        body=comment,
        data={
            "level": level,
            "final": final,
            "on_behalf_of": sorted({s.approver_id for s in mine if s.approver_id != actor.user_id}),
        },
    )
    if final:
        order.status, order.decided_at = OrderStatus.APPROVED, now
        session.add(order)
        session.flush()
        enqueue_handoff(session, order)
        order_mails.order_approved(session, settings, order, _name(session, actor.user_id))
    elif level_done:
        _start_level(session, settings, order, later, now)
    session.flush()
    return order.status


def _start_level(
    session: Session,
    settings: Settings,
    order: Order,
    queued: list[ApprovalStep],
    now: datetime,
) -> None:
    """The next level becomes due: its steps wait, whoever decides them today is mailed."""
    level = min(s.level for s in queued)
    today = local_today()
    for step in queued:
        if step.level != level:
            continue
        step.status, step.due_since = StepStatus.WAITING, now
        session.add(step)
    session.flush()
    for step in queued:
        if step.level == level:
            decider = decider_today(session, order.company_id, step.approver_id, today)
            if decider.user_id != order.requester_id:
                order_mails.approval_requested(session, settings, order, decider.user_id)


def reject(
    session: Session,
    actor: CustomerUser,
    settings: Settings,
    order_id: object,
    seen_version: object,
    comment: str,
) -> None:
    """Reject (or send back) the order with a comment; the requester may change and resubmit."""
    comment = _comment(comment, required=True)
    order, viewer = visible_order(session, actor, order_id)
    _lock_version(session, order, seen_version)
    steps, mine = _steps_to_decide(session, viewer, order)
    now = utcnow()
    mine_ids = {s.id for s in mine if s.level == mine[0].level}
    for step in steps:
        if step.id in mine_ids:
            step.status, step.decided_by_id, step.decided_at = (
                StepStatus.REJECTED,
                actor.user_id,
                now,
            )
        elif step.status in (StepStatus.WAITING, StepStatus.QUEUED):
            step.status = StepStatus.SKIPPED
        session.add(step)
    order.status, order.decided_at = OrderStatus.REJECTED, now
    session.add(order)
    add_event(session, order, EventKind.REJECTED, actor.user_id, body=comment)
    session.flush()
    order_mails.order_rejected(session, settings, order, _name(session, actor.user_id), comment)


@dataclass(frozen=True)
class OrderChange:
    """What a change asks for: new quantities by SKU, SKUs to remove, a new delivery address
    and shipping method (``None``: unchanged), and a comment."""

    quantities: dict[str, int] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()
    delivery_address: dict[str, str] | None = None
    shipping_method: str | None = None
    comment: str = ""


def _lines_of(session: Session, order: Order) -> tuple[LineSnapshot, ...]:
    rows = session.exec(
        select(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.revision == order.revision)
        .order_by(col(OrderLine.position))
    ).all()
    return tuple(LineSnapshot(r.sku, r.name, r.quantity, r.unit_price_cents) for r in rows)


def _new_revision(
    session: Session,
    actor: CustomerUser,
    order: Order,
    change: OrderChange,
    reason: str,
    *,
    allow_header: bool = True,
    allow_unchanged: bool = False,
) -> list[Difference]:
    """Apply ``change`` as the order's next revision; returns its difference to the last."""
    lines = _lines_of(session, order)
    quantities = dict(change.quantities) if isinstance(change.quantities, dict) else {}
    removed = set(change.removed) if isinstance(change.removed, frozenset | set) else set()
    errors = change_errors(lines, quantities, removed)
    delivery = None
    if allow_header and change.delivery_address is not None:
        delivery = clean_address(change.delivery_address)
        errors.update(address_errors("delivery_address", delivery))
    shipping = change.shipping_method if allow_header else None
    if shipping is not None and shipping not in SHIPPING_METHODS:
        errors["shipping_method"] = ("orders.error.shipping_method", {})
    if errors:
        raise ValidationFailed(errors)
    before = Revision(lines, header_of(order))
    new_lines = apply_line_changes(lines, quantities, removed)
    if delivery is not None:
        order.delivery_address = delivery
    if shipping is not None:
        order.shipping_method = shipping
    differences = revision_diff(before, Revision(new_lines, header_of(order)))
    if not differences and not allow_unchanged:
        raise ServiceError("orders.error.no_change")
    order.revision += 1
    order.total_cents = sum(line.total_cents for line in new_lines)
    order.total_quantity = sum(line.quantity for line in new_lines)
    session.add(order)
    write_revision(session, order, new_lines, actor.user_id, reason, change.comment.strip())
    return differences


def change_order(
    session: Session,
    actor: CustomerUser,
    settings: Settings,
    order_id: object,
    seen_version: object,
    change: OrderChange,
) -> None:
    """An approver changes quantities, removes lines, the delivery address or the shipping
    method: a new revision; the approval continues where it stands and the requester is told."""
    comment = _comment(change.comment, required=False)
    order, viewer = visible_order(session, actor, order_id)
    _lock_version(session, order, seen_version)
    _steps_to_decide(session, viewer, order)
    old_revision = order.revision
    differences = _new_revision(session, actor, order, change, "changed")
    session.execute(
        update(ApprovalStep)
        .where(col(ApprovalStep.order_id) == order.id, col(ApprovalStep.revision) == old_revision)
        .values(revision=order.revision)
    )
    add_event(
        session,
        order,
        EventKind.CHANGED,
        actor.user_id,
        body=comment,
        data={"diff": [_diff_dict(d) for d in differences]},
    )
    session.flush()
    requester = session.get(User, order.requester_id)
    lang = requester.language if requester else "en"
    summary = "; ".join(difference_words(_diff_dict(d), lang, order.currency) for d in differences)
    order_mails.order_changed(session, settings, order, _name(session, actor.user_id), summary)


def resubmit(
    session: Session,
    actor: CustomerUser,
    settings: Settings,
    order_id: object,
    seen_version: object,
    change: OrderChange,
    today: date | None = None,
) -> str:
    """After a rejection the requester changes quantities or removes lines and sends the order
    again with a comment: a new revision, decided from the start like a new submission."""
    comment = _comment(change.comment, required=True)
    order, viewer = visible_order(session, actor, order_id)
    if Permission.ORDERS_CREATE not in viewer.rights:
        raise ServiceError("error.permission_denied")
    if order.requester_id != actor.user_id:
        raise ServiceError("orders.error.not_requester")
    _lock_version(session, order, seen_version)
    if order.status != OrderStatus.REJECTED:
        raise ServiceError("orders.error.not_open")
    session.execute(
        update(ApprovalStep)
        .where(
            col(ApprovalStep.order_id) == order.id,
            col(ApprovalStep.status).in_((StepStatus.WAITING, StepStatus.QUEUED)),
        )
        .values(status=StepStatus.SUPERSEDED)
    )
    differences = _new_revision(
        session, actor, order, change, "resubmitted", allow_header=False, allow_unchanged=True
    )
    figures = OrderFigures(order.total_quantity, order.total_cents)
    breaches = order_breaches(session, actor.company_id, actor.user_id, figures, today)
    order.submitted_at = utcnow()
    add_event(
        session,
        order,
        EventKind.RESUBMITTED,
        actor.user_id,
        body=comment,
        data={
            "diff": [_diff_dict(d) for d in differences],
            "reasons": [
                {
                    "kind": b.kind,
                    "actual": b.actual,
                    "limit": b.limit,
                    "already_used": b.already_used,
                    "period": b.period,
                }
                for b in breaches
            ],
        },
    )
    decide_on_submission(session, settings, order, breaches, today or local_today())
    return order.status


def cancel(
    session: Session, actor: CustomerUser, order_id: object, seen_version: object, comment: str = ""
) -> None:
    """The requester withdraws an order that is waiting or was rejected."""
    comment = _comment(comment, required=False)
    order, _viewer = visible_order(session, actor, order_id)
    if order.requester_id != actor.user_id:
        raise ServiceError("orders.error.not_requester")
    _lock_version(session, order, seen_version)
    if not is_open(order.status):
        raise ServiceError("orders.error.not_open")
    session.execute(
        update(ApprovalStep)
        .where(
            col(ApprovalStep.order_id) == order.id,
            col(ApprovalStep.status).in_((StepStatus.WAITING, StepStatus.QUEUED)),
        )
        .values(status=StepStatus.SUPERSEDED)
    )
    order.status, order.decided_at = OrderStatus.CANCELLED, utcnow()
    session.add(order)
    add_event(session, order, EventKind.CANCELLED, actor.user_id, body=comment)


def add_comment(session: Session, actor: CustomerUser, order_id: object, text: str) -> None:
    """A message in the order's conversation, by anyone who may see it, while it is open."""
    body = _comment(text, required=True)
    order, _viewer = visible_order(session, actor, order_id)
    if not is_open(order.status):
        raise ServiceError("orders.error.not_open")
    add_event(session, order, EventKind.COMMENT, actor.user_id, body=body)


def _comment(text: object, *, required: bool) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if required and not value:
        raise ValidationFailed({"comment": ("orders.error.comment_required", {})})
    if len(value) > COMMENT_MAX:
        raise ValidationFailed({"comment": ("form.too_long", {"max": COMMENT_MAX})})
    return value


# --- differences in words ----------------------------------------------------------------


def _diff_dict(difference: Difference) -> dict[str, Any]:
    return {
        "kind": difference.kind,
        "sku": difference.sku,
        "name": difference.name,
        "before": difference.before,
        "after": difference.after,
    }


def _address_line(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [value.get(k, "") for k in ("name", "street")]
    parts.append(f"{value.get('postal_code', '')} {value.get('city', '')}".strip())
    parts.append(value.get("country", ""))
    return ", ".join(str(p) for p in parts if p)


def difference_words(d: Mapping[str, Any], lang: str, currency: str) -> str:
    """One difference as a sentence part: "Motor: quantity 2 → 1"."""
    kind = d.get("kind")
    name = d.get("name") or d.get("sku") or ""
    before, after = d.get("before"), d.get("after")
    if kind in ("quantity", "removed", "added"):
        return translate(lang, f"approvals.diff.{kind}", name=name, before=before, after=after)
    if kind in ("price", "total"):
        return translate(
            lang,
            f"approvals.diff.{kind}",
            name=name,
            before=money(int(before or 0), currency, lang),
            after=money(int(after or 0), currency, lang),
        )
    if kind in ("delivery_address", "billing_address"):
        return translate(
            lang,
            f"approvals.diff.{kind}",
            before=_address_line(before),
            after=_address_line(after),
        )
    if kind in ("shipping_method", "payment_method"):
        group = "shipping" if kind == "shipping_method" else "payment"
        return translate(
            lang,
            f"approvals.diff.{kind}",
            before=translate(lang, f"orders.{group}.{before}"),
            after=translate(lang, f"orders.{group}.{after}"),
        )
    return translate(lang, "approvals.diff.other", field=str(kind), before=before, after=after)


# --- the order as its readers see it -----------------------------------------------------


@dataclass(frozen=True)
class ChainMember:
    approver: str
    decider: str  # who decides it today, if not the approver ("" otherwise)
    status: str
    decided_by: str
    decided_at: datetime | None


@dataclass(frozen=True)
class ChainLevel:
    number: int  # 1-based
    rule: str
    members: list[ChainMember]
    current: bool


@dataclass(frozen=True)
class RevisionView:
    number: int
    reason: str
    author: str
    created_at: datetime
    comment: str
    total_cents: int
    differences: list[str]


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    who: str
    when: datetime
    text: str
    body: str


@dataclass(frozen=True)
class OrderDetail:
    id: int
    number: str
    status: str
    version: int
    revision: int
    requester: str
    is_requester: bool
    submitted_at: datetime | None
    currency: str
    total_cents: int
    total_quantity: int
    reference: str
    delivery_address: dict[str, str]
    billing_address: dict[str, str]
    payment_method: str
    shipping_method: str
    erp_order_number: str
    lines: list[LineSnapshot]
    reasons: list[str]  # why it waits: the current revision's figures; empty unless waiting
    budget: BudgetSituation | None
    chain: list[ChainLevel]
    revisions: list[RevisionView]
    timeline: list[TimelineEntry]
    can_decide: bool
    can_resubmit: bool
    can_cancel: bool
    can_comment: bool


def order_detail(session: Session, actor: CustomerUser, order_id: object) -> OrderDetail:
    """Everything about one order the actor may see, in the actor's language."""
    order, viewer = visible_order(session, actor, order_id)
    lang = actor.language
    today = local_today()
    names = UserNames(session, actor.company_id)
    steps = _current_steps(session, order)
    directory = deputy_directory(session, actor.company_id, {s.approver_id for s in steps})
    names.load(
        [order.requester_id, *directory.names]
        + [u for s in steps for u in (s.approver_id, s.decided_by_id) if u is not None]
    )
    chain = []
    current_level = min((s.level for s in steps if s.status == StepStatus.WAITING), default=None)
    for level in sorted({s.level for s in steps}):
        members = []
        level_steps = [s for s in steps if s.level == level]
        for step in level_steps:
            decider = effective_approver(step.approver_id, directory, today).user_id
            members.append(
                ChainMember(
                    approver=names.get(step.approver_id, "?"),
                    decider=names.get(decider, "?")
                    if decider != step.approver_id and step.status == StepStatus.WAITING
                    else "",
                    status=step.status,
                    decided_by=names.get(step.decided_by_id or 0, ""),
                    decided_at=step.decided_at,
                )
            )
        chain.append(ChainLevel(level + 1, level_steps[0].rule, members, level == current_level))
    can_decide = (
        order.status == OrderStatus.PENDING_APPROVAL
        and order.requester_id != actor.user_id
        and any(s.status == StepStatus.WAITING and viewer.may_decide(s) for s in steps)
    )
    is_requester = order.requester_id == actor.user_id
    assert order.id is not None
    waiting = order.status == OrderStatus.PENDING_APPROVAL
    reasons = _reasons_now(session, [order]).get(order.id, []) if waiting else []
    return OrderDetail(
        id=order.id,  # type: ignore[arg-type]
        number=order_number(order),
        status=order.status,
        version=order.version,
        revision=order.revision,
        requester=names.get(order.requester_id, ""),
        is_requester=is_requester,
        submitted_at=order.submitted_at,
        currency=order.currency,
        total_cents=order.total_cents,
        total_quantity=order.total_quantity,
        reference=order.reference,
        delivery_address=dict(order.delivery_address),
        billing_address=dict(order.billing_address),
        payment_method=order.payment_method,
        shipping_method=order.shipping_method,
        erp_order_number=order.erp_order_number or "",
        lines=list(_lines_of(session, order)),
        reasons=[describe_breach(b, lang, order.currency) for b in reasons],
        budget=situation_of(session, order.company_id, order.requester_id, today),
        chain=chain,
        revisions=_revisions(session, order, names, lang),
        timeline=_timeline(session, order, names, lang),
        can_decide=can_decide,
        can_resubmit=is_requester
        and order.status == OrderStatus.REJECTED
        and Permission.ORDERS_CREATE in viewer.rights,
        can_cancel=is_requester and is_open(order.status),
        can_comment=is_open(order.status),
    )


def _revisions(
    session: Session, order: Order, names: Mapping[int, str], lang: str
) -> list[RevisionView]:
    revisions = session.exec(
        select(OrderRevision)
        .where(OrderRevision.order_id == order.id)
        .order_by(col(OrderRevision.number))
    ).all()
    lines = session.exec(
        select(OrderLine)
        .where(OrderLine.order_id == order.id)
        .order_by(col(OrderLine.revision), col(OrderLine.position))
    ).all()
    by_revision: dict[int, list[LineSnapshot]] = {}
    for line in lines:
        by_revision.setdefault(line.revision, []).append(
            LineSnapshot(line.sku, line.name, line.quantity, line.unit_price_cents)
        )
    views = []
    previous: Revision | None = None
    for rev in revisions:
        current = Revision(tuple(by_revision.get(rev.number, [])), dict(rev.header))
        differences = (
            [
                difference_words(_diff_dict(d), lang, order.currency)
                for d in revision_diff(previous, current)
            ]
            if previous is not None
            else []
        )
        views.append(
            RevisionView(
                number=rev.number,
                reason=rev.reason,
                author=names.get(rev.author_id, ""),
                created_at=rev.created_at,
                comment=rev.comment,
                total_cents=rev.total_cents,
                differences=differences,
            )
        )
        previous = current
    return views


def _timeline(
    session: Session, order: Order, names: Mapping[int, str], lang: str
) -> list[TimelineEntry]:
    events = session.exec(
        select(OrderEvent)
        .where(OrderEvent.order_id == order.id)
        .order_by(col(OrderEvent.created_at), col(OrderEvent.id))
    ).all()
    return [
        TimelineEntry(
            kind=event.kind,
            who=names.get(event.actor_id or 0, "") or translate(lang, "approvals.event.system"),
            when=event.created_at,
            text=event_words(event.kind, event.data or {}, lang, order.currency, names),
            body=event.body,
        )
        for event in events
    ]


def event_words(
    kind: str, data: Mapping[str, Any], lang: str, currency: str, names: Mapping[int, str]
) -> str:
    """What happened, in words: "approved level 2 (for Anna)", "shipped by DHL, 00340…"."""
    messages = catalog(lang)
    if kind == EventKind.APPROVED:
        if data.get("automatic"):
            key = (
                "approvals.event.approved_self"
                if data.get("self")
                else ("approvals.event.approved_within_budget")
            )
            return translate(lang, key)
        text = translate(
            lang,
            "approvals.event.approved_final" if data.get("final") else "approvals.event.approved",
            level=int(data.get("level") or 0) + 1,
        )
        behalf = [names.get(u, "?") for u in data.get("on_behalf_of") or [] if isinstance(u, int)]
        if behalf:
            text += " " + translate(lang, "approvals.on_behalf", names=", ".join(behalf))
        return text
    if kind in (EventKind.CHANGED, EventKind.RESUBMITTED):
        parts = [difference_words(d, lang, currency) for d in data.get("diff") or []]
        text = translate(lang, f"approvals.event.{kind}")
        return f"{text}: {'; '.join(parts)}" if parts else text
    if kind.startswith("erp."):
        status = kind.removeprefix("erp.")
        if status == "sent":
            return translate(
                lang, "approvals.event.erp_sent", number=data.get("erp_order_number", "")
            )
        label = messages.get(f"orders.status.{status}", status)
        text = translate(lang, "approvals.event.erp_status", status=label)
        if data.get("carrier") or data.get("tracking_number"):
            text += " " + translate(
                lang,
                "approvals.event.shipment",
                carrier=data.get("carrier") or "–",
                tracking=data.get("tracking_number") or "–",
            )
        return text
    key = f"approvals.event.{kind}"
    return messages.get(key, kind)


def moment_words(value: datetime | None, lang: str) -> str:
    return format_moment(value, lang) if value else ""
