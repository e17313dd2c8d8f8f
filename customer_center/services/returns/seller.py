"""Returns on the seller's side: the queue of the companies whose account team the agent is
in, one return, and the decisions: approve (RMA number), reject (with a reason), record the
receipt (accepted pieces per line), ask the ERP for the credit note (through the outbox),
settle with a replacement, close; and the return window per company (``seller.settings``).

An agent outside a company's account team sees none of its returns ("not found").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import parse_id, parse_whole
from customer_center.domain.principals import SellerAgent
from customer_center.domain.returns import (
    MAX_WINDOW_DAYS,
    OPEN_STATES,
    REJECTION_MAX,
    ReturnAction,
    ReturnState,
    accepted_fits,
    closable,
    credit_due,
    rma_number,
)
from customer_center.domain.staff import StaffPermission
from customer_center.models.base import utcnow
from customer_center.models.returns import ReturnPolicy, ReturnRequest
from customer_center.models.staff import AccountTeamMember
from customer_center.services.audit import record
from customer_center.services.returns import records
from customer_center.services.returns.credit import (
    company_return,
    credit_given_up,
    credit_messages,
    enqueue_credit_note,
)
from customer_center.services.returns.records import ReturnPage, ReturnView
from customer_center.settings import Settings

NOT_FOUND = "returns.error.not_found"
OPEN = "open"


def _team_companies(principal: SellerAgent):  # noqa: ANN202
    return select(AccountTeamMember.company_id).where(
        AccountTeamMember.staff_id == principal.agent_id
    )


def queue(
    session: Session, principal: SellerAgent, *, state: str = OPEN, page: int = 0
) -> ReturnPage:
    """Returns of the agent's account teams: ``open`` (something still to do), one state,
    or ``""`` for all."""
    principal.require(StaffPermission.VIEW)
    query = select(ReturnRequest).where(
        col(ReturnRequest.company_id).in_(_team_companies(principal))
    )
    if state == OPEN:
        query = query.where(col(ReturnRequest.state).in_(list(OPEN_STATES)))
    elif state in set(ReturnState):
        query = query.where(ReturnRequest.state == state)
    return records.return_page(session, query, page=page)


def team_return(session: Session, principal: SellerAgent, *, return_id: object) -> ReturnRequest:
    principal.require(StaffPermission.VIEW)
    wanted = parse_id(return_id) if isinstance(return_id, str) else return_id
    if not isinstance(wanted, int) or isinstance(wanted, bool):
        raise ServiceError(NOT_FOUND)
    found = session.exec(
        select(ReturnRequest).where(
            ReturnRequest.id == wanted,
            col(ReturnRequest.company_id).in_(_team_companies(principal)),
        )
    ).first()
    if found is None:
        raise ServiceError(NOT_FOUND)
    return found


def read_return(
    session: Session, principal: SellerAgent, *, return_id: object, settings: Settings
) -> ReturnView:
    found = team_return(session, principal, return_id=return_id)
    view = records.return_view(session, found, seller=settings.seller_name)
    return dataclasses.replace(view, credit_given_up=credit_given_up(session, found))


def approve(session: Session, principal: SellerAgent, *, return_id: object) -> str:
    """Approve: a goods return gets its RMA number (printed on the return slip)."""
    found = team_return(session, principal, return_id=return_id)
    records.move(session, found, ReturnAction.APPROVE, principal.attribution)
    if found.kind == "goods":
        found.rma_number = rma_number(found.id or 0, utcnow())
        session.add(found)
    return found.rma_number


def reject(session: Session, principal: SellerAgent, *, return_id: object, reason: object) -> None:
    found = team_return(session, principal, return_id=return_id)
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationFailed({"rejection": ("returns.error.rejection_required", {})})
    if len(text) > REJECTION_MAX:
        raise ValidationFailed({"rejection": ("form.too_long", {"max": REJECTION_MAX})})
    found.rejection_reason = text
    records.move(session, found, ReturnAction.REJECT, principal.attribution, body=text)


def receive(
    session: Session, principal: SellerAgent, *, return_id: object, accepted: Mapping[str, object]
) -> None:
    """Record the goods received: accepted pieces per line (0 up to what was asked for),
    keyed by the return line's id; the credit is then worth the accepted pieces."""
    found = team_return(session, principal, return_id=return_id)
    lines = records.lines_of(session, found)
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    counted: list[int] = []
    for line in lines:
        pieces = parse_whole(accepted.get(str(line.id), ""), line.quantity)
        if pieces is None or not accepted_fits(pieces, line.quantity):
            errors[f"accepted_{line.id}"] = ("returns.error.accepted", {"max": line.quantity})
        counted.append(pieces or 0)
    if errors:
        raise ValidationFailed(errors)
    records.move(
        session,
        found,
        ReturnAction.RECEIVE,
        principal.attribution,
        data={"accepted": sum(counted)},
    )
    for line, pieces in zip(lines, counted, strict=True):
        line.accepted_quantity = pieces
        session.add(line)
    found.credit_cents = sum(
        pieces * line.unit_credit_cents for line, pieces in zip(lines, counted, strict=True)
    )
    session.add(found)


def request_credit(session: Session, principal: SellerAgent, *, return_id: object) -> None:
    """Ask the ERP for the credit note (once: the outbox message's dedup key is the return's
    number); the relay's handler records the number and the return becomes ``credited``."""
    found = team_return(session, principal, return_id=return_id)
    if not credit_due(found.kind, found.state, found.outcome):
        raise ServiceError("returns.error.not_allowed")
    if found.credit_requested_at is not None:
        return
    if found.credit_cents <= 0:
        raise ServiceError("returns.error.nothing_to_credit")
    found.credit_requested_at = utcnow()
    session.add(found)
    records.add_entry(session, found, "return.credit_requested", principal.attribution)
    record(
        session,
        "return.credit_requested",
        company_id=found.company_id,
        by=principal.attribution,
        target_type="return",
        target_id=found.id,
        after={"credit_cents": found.credit_cents},
    )
    session.flush()
    enqueue_credit_note(session, found)


def request_credit_again(session: Session, principal: SellerAgent, *, return_id: object) -> None:
    """Ask the ERP again after the outbox gave the request up (its message is dead): a new
    message with a new dedup key, on the timeline and in the audit log. Refused otherwise
    (nothing requested yet, credited, or the request still on its way)."""
    found = team_return(session, principal, return_id=return_id)
    # Locked while decided, so two agents clicking at once queue one message.
    found = company_return(session, found.id or 0, found.company_id, lock=True)
    if not credit_given_up(session, found):
        raise ServiceError("returns.error.not_allowed")
    attempt = len(credit_messages(session, found)) + 1
    records.add_entry(session, found, "return.credit_requested_again", principal.attribution)
    record(
        session,
        "return.credit_requested_again",
        company_id=found.company_id,
        by=principal.attribution,
        target_type="return",
        target_id=found.id,
        after={"credit_cents": found.credit_cents, "attempt": attempt},
    )
    session.flush()
    enqueue_credit_note(session, found, attempt=attempt)


def replace(session: Session, principal: SellerAgent, *, return_id: object) -> None:
    """The replacement went out: a return that wanted one is settled."""
    found = team_return(session, principal, return_id=return_id)
    if found.outcome != "replacement":
        raise ServiceError("returns.error.not_allowed")
    records.move(session, found, ReturnAction.REPLACE, principal.attribution)


def close(session: Session, principal: SellerAgent, *, return_id: object) -> None:
    found = team_return(session, principal, return_id=return_id)
    if not closable(found.kind, found.state, found.credit_cents):
        raise ServiceError("returns.error.not_allowed")
    records.move(session, found, ReturnAction.CLOSE, principal.attribution)


def set_window(
    session: Session, principal: SellerAgent, *, company_id: int, days: object, default: int
) -> int:
    """The return window of one company (``seller.settings``); the portal's default when
    ``days`` is empty. Returns the window now in force."""
    principal.require(StaffPermission.SETTINGS)
    policy = session.exec(select(ReturnPolicy).where(ReturnPolicy.company_id == company_id)).first()
    before = policy.window_days if policy else default
    if days in ("", None):
        if policy is not None:
            session.delete(policy)
        after = default
    else:
        wanted = parse_whole(days, MAX_WINDOW_DAYS)
        if wanted is None:
            raise ValidationFailed({"window": ("returns.error.window", {"max": MAX_WINDOW_DAYS})})
        policy = policy or ReturnPolicy(company_id=company_id, window_days=wanted)
        policy.window_days, policy.set_by_id, policy.updated_at = (
            wanted,
            principal.agent_id,
            utcnow(),
        )
        session.add(policy)
        after = wanted
    record(
        session,
        "return.window",
        company_id=company_id,
        by=principal.attribution,
        target_type="company",
        target_id=company_id,
        before={"days": before},
        after={"days": after},
    )
    return after
