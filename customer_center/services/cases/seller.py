"""Support cases on the seller's side: the queue of the companies whose account team the agent
belongs to, one case with its internal notes, assignment, status, replies to the customer.

An agent outside a company's account team sees none of its cases ("not found").
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from customer_center.domain.cases import (
    BODY_MAX,
    CaseEntryKind,
    CaseStatus,
    open_for_messages,
    status_after_seller_reply,
)
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import parse_id
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission, StaffStatus
from customer_center.models.base import utcnow
from customer_center.models.case import SupportCase
from customer_center.models.staff import AccountTeamMember, StaffMember
from customer_center.services.cases import attachments, records
from customer_center.services.cases.attachments import FileContent, FileInfo
from customer_center.services.cases.records import CasePage, CaseView
from customer_center.settings import Settings

NOT_FOUND = "cases.error.not_found"
MINE = "mine"
OPEN = "open"
CLOSED_STATES = (CaseStatus.SOLVED, CaseStatus.CLOSED)


def _team_companies(agent: SellerAgent):  # noqa: ANN202
    return select(AccountTeamMember.company_id).where(AccountTeamMember.staff_id == agent.agent_id)


def queue(session: Session, agent: SellerAgent, *, status: str = OPEN, page: int = 0) -> CasePage:
    """Cases of the agent's account teams: ``open`` (not solved or closed), ``mine``
    (assigned to the agent and open), one status, or ``""`` for all."""
    agent.require(StaffPermission.VIEW)
    query = select(SupportCase).where(col(SupportCase.company_id).in_(_team_companies(agent)))
    if status == OPEN:
        query = query.where(col(SupportCase.status).not_in(CLOSED_STATES))
    elif status == MINE:
        query = query.where(
            SupportCase.assignee_id == agent.agent_id,
            col(SupportCase.status).not_in(CLOSED_STATES),
        )
    elif status in set(CaseStatus):
        query = query.where(SupportCase.status == status)
    return records.case_page(session, query, page=page)


def team_case(session: Session, agent: SellerAgent, *, case_id: object) -> SupportCase:
    agent.require(StaffPermission.VIEW)
    wanted = parse_id(case_id) if isinstance(case_id, str) else case_id
    if not isinstance(wanted, int) or isinstance(wanted, bool):
        raise ServiceError(NOT_FOUND)
    case = session.exec(
        select(SupportCase).where(
            SupportCase.id == wanted, col(SupportCase.company_id).in_(_team_companies(agent))
        )
    ).first()
    if case is None:
        raise ServiceError(NOT_FOUND)
    return case


def read_case(
    session: Session, agent: SellerAgent, *, case_id: object, settings: Settings
) -> CaseView:
    case = team_case(session, agent, case_id=case_id)
    return records.case_view(session, case, internal=True, seller=settings.seller_name)


def _body(text: object) -> str:
    body = text.strip() if isinstance(text, str) else ""
    if not body:
        raise ValidationFailed({"message": ("cases.error.message_required", {})})
    if len(body) > BODY_MAX:
        raise ValidationFailed({"message": ("form.too_long", {"max": BODY_MAX})})
    return body


def reply(
    session: Session,
    agent: SellerAgent,
    *,
    case_id: object,
    text: object,
    settings: Settings,
    files: Sequence[int] = (),
) -> None:
    """A message to the customer: e-mailed to every follower; the first one is the case's
    first answer."""
    case = team_case(session, agent, case_id=case_id)
    body = _body(text)
    if not open_for_messages(case.status):
        raise ServiceError("cases.error.closed")
    if case.first_answer_at is None:
        case.first_answer_at = utcnow()
    case.status = status_after_seller_reply(case.status)
    if case.assignee_id is None:
        case.assignee_id = agent.agent_id
    entry = records.add_entry(session, case, CaseEntryKind.MESSAGE, agent.attribution, body=body)
    session.flush()
    attachments.attach(session, agent.attribution, entry, files)
    author = records.actor_name(session, agent.attribution)
    records.notify_followers(
        session, settings, case, author=author, body=body, by=agent.attribution
    )


def add_note(
    session: Session,
    agent: SellerAgent,
    *,
    case_id: object,
    text: object,
    files: Sequence[int] = (),
) -> None:
    """An internal note: the seller's side only, never e-mailed, never shown to the customer
    (nor are its files)."""
    case = team_case(session, agent, case_id=case_id)
    entry = records.add_entry(
        session, case, CaseEntryKind.NOTE, agent.attribution, body=_body(text)
    )
    session.flush()
    attachments.attach(session, agent.attribution, entry, files)


def set_status(session: Session, agent: SellerAgent, *, case_id: object, status: object) -> None:
    case = team_case(session, agent, case_id=case_id)
    if status not in set(CaseStatus) or status == CaseStatus.NEW:
        raise ValidationFailed({"status": ("error.invalid_input", {})})
    if status == case.status:
        return
    before = case.status
    case.status = str(status)
    if status in CLOSED_STATES and case.solved_at is None:
        case.solved_at = utcnow()
    elif status not in CLOSED_STATES:
        case.solved_at = None
    records.add_entry(
        session,
        case,
        CaseEntryKind.STATUS,
        agent.attribution,
        data={"before": before, "after": str(status)},
    )


def assign(session: Session, agent: SellerAgent, *, case_id: object, staff_id: object) -> None:
    """Assign the case to a member of the company's account team (or to nobody: ``""``)."""
    case = team_case(session, agent, case_id=case_id)
    wanted = parse_id(staff_id) if isinstance(staff_id, str) and staff_id else None
    if wanted is not None and wanted not in {m for m, _ in team_agents(session, agent, case=case)}:
        raise ValidationFailed({"assignee": ("cases.error.agent_not_in_team", {})})
    if wanted == case.assignee_id:
        return
    case.assignee_id = wanted
    name = session.get(StaffMember, wanted).name if wanted else ""  # type: ignore[union-attr]
    records.add_entry(session, case, CaseEntryKind.ASSIGNED, agent.attribution, data={"name": name})


def team_agents(
    session: Session, agent: SellerAgent, *, case: SupportCase
) -> list[tuple[int, str]]:
    """The active members of the case's company's account team (id, name), by name."""
    rows = session.exec(
        select(StaffMember.id, StaffMember.name)
        .join(AccountTeamMember, col(AccountTeamMember.staff_id) == StaffMember.id)
        .where(
            AccountTeamMember.company_id == case.company_id,
            StaffMember.status == StaffStatus.ACTIVE,
        )
        .order_by(col(StaffMember.name))
    ).all()
    return [(staff_id or 0, name) for staff_id, name in rows]


def stage_files(
    session: Session,
    agent: SellerAgent,
    *,
    case_id: object,
    staged: Sequence[int],
    files: Sequence[tuple[object, object]],
) -> list[FileInfo]:
    """Files for the agent's next reply or note on the case (attached on sending)."""
    case = team_case(session, agent, case_id=case_id)
    return attachments.stage(
        session, agent.attribution, company_id=case.company_id, staged=staged, files=files
    )


def discard_files(
    session: Session, agent: SellerAgent, *, case_id: object, ids: Sequence[int]
) -> None:
    case = team_case(session, agent, case_id=case_id)
    attachments.discard(session, agent.attribution, company_id=case.company_id, ids=ids)


def file_content(session: Session, agent: SellerAgent, *, attachment_id: object) -> FileContent:
    """A file of a case of the agent's account teams (notes' files too); refused alike
    otherwise."""
    agent.require(StaffPermission.VIEW)
    wanted = parse_id(attachment_id) if isinstance(attachment_id, str) else None
    case_ids = select(SupportCase.id).where(col(SupportCase.company_id).in_(_team_companies(agent)))
    return attachments.content(session, wanted, case_ids=case_ids, internal=True)
