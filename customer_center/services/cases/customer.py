"""Support cases on the customer's side: open one (about an order or a return, if wanted),
list them, read one, reply, add colleagues as followers.

Who sees a case: whoever opened or follows it, and holders of ``cases.view_company`` (all the
company's cases). Anything else is "not found". Internal notes of the seller never leave
:mod:`records` for this side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, or_, select

from customer_center.domain.cases import (
    BODY_MAX,
    SUBJECT_MAX,
    CaseCategory,
    CaseEntryKind,
    open_for_messages,
    status_after_customer_message,
)
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import LIKE_ESCAPE, bounded_text, like_pattern, parse_id
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.case import CaseFollower, SupportCase
from customer_center.models.order import Order
from customer_center.models.returns import ReturnRequest
from customer_center.models.user import User
from customer_center.services.cases import attachments, records
from customer_center.services.cases.attachments import FileContent, FileInfo
from customer_center.services.cases.records import CasePage, CaseView
from customer_center.services.orders.access import visible_order
from customer_center.services.returns import customer as returns
from customer_center.settings import Settings, get_settings

NOT_FOUND = "cases.error.not_found"
COLLEAGUES_PER_PAGE = 8
MAX_COLLEAGUE_PAGE = 1000
QUERY_MAX = 100


def _text(value: object, field: str, limit: int, code: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed({field: (code, {})})
    if len(text) > limit:
        raise ValidationFailed({field: ("form.too_long", {"max": limit})})
    return text


def open_case(
    session: Session,
    principal: CustomerUser,
    *,
    subject: object,
    category: object,
    description: object,
    order_id: object = "",
    return_id: object = "",
    files: Sequence[int] = (),
    settings: Settings | None = None,
) -> int:
    """A new case of the principal's company, opened by (and followed by) the principal;
    the company's account team is told by e-mail."""
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    values: dict[str, str] = {}
    for field, value, limit, code in (
        ("subject", subject, SUBJECT_MAX, "cases.error.subject_required"),
        ("description", description, BODY_MAX, "cases.error.description_required"),
    ):
        try:
            values[field] = _text(value, field, limit, code)
        except ValidationFailed as error:
            errors.update(error.errors)
    if category not in set(CaseCategory):
        errors["category"] = ("cases.error.category_required", {})
    if errors:
        raise ValidationFailed(errors)
    about = _linked_return(session, principal, return_id)
    linked = _linked_order(session, principal, about.order_id if about else order_id)
    case = SupportCase(
        company_id=principal.company_id,
        opened_by_id=principal.user_id,
        subject=values["subject"],
        category=str(category),
        order_id=linked.id if linked else None,
        return_id=about.id if about else None,
    )
    session.add(case)
    session.flush()
    entry = records.add_entry(
        session, case, CaseEntryKind.OPENED, principal.attribution, body=values["description"]
    )
    session.flush()
    attachments.attach(session, principal.attribution, entry, files)
    author = records.actor_name(session, principal.attribution)
    records.notify_team(
        session, settings or get_settings(), case, author=author, body=values["description"]
    )
    return case.id or 0


def _linked_order(session: Session, principal: CustomerUser, order_id: object) -> Order | None:
    """The order a new case is about: one the principal may see, or a field error."""
    if order_id in ("", None):
        return None
    try:
        wanted = parse_id(order_id) if isinstance(order_id, str) else order_id
        return visible_order(session, principal, order_id=wanted)[0]
    except ServiceError:
        raise ValidationFailed({"order": ("cases.error.order_not_found", {})}) from None


def _linked_return(
    session: Session, principal: CustomerUser, return_id: object
) -> ReturnRequest | None:
    """The return a new case is about: one the principal may see (loaded by id and company,
    never as the browser sent it), or a field error; the case is then about its order too."""
    if return_id in ("", None):
        return None
    try:
        return returns.visible_return(session, principal, return_id=return_id)
    except ServiceError:
        raise ValidationFailed({"order": ("cases.error.return_not_found", {})}) from None


def _visible_query(principal: CustomerUser):  # noqa: ANN202
    query = select(SupportCase).where(SupportCase.company_id == principal.company_id)
    if principal.may(Permission.CASES_VIEW_COMPANY):
        return query
    following = select(CaseFollower.case_id).where(CaseFollower.user_id == principal.user_id)
    return query.where(
        or_(SupportCase.opened_by_id == principal.user_id, col(SupportCase.id).in_(following))
    )


def list_cases(session: Session, principal: CustomerUser, *, page: int = 0) -> CasePage:
    """The cases the principal may see, newest activity first, one page."""
    return records.case_page(session, _visible_query(principal), page=page)


def visible_case(session: Session, principal: CustomerUser, *, case_id: object) -> SupportCase:
    """The case if the principal may see it; "not found" for anything else."""
    wanted = parse_id(case_id) if isinstance(case_id, str) else case_id
    if not isinstance(wanted, int) or isinstance(wanted, bool):
        raise ServiceError(NOT_FOUND)
    case = session.exec(_visible_query(principal).where(SupportCase.id == wanted)).first()
    if case is None:
        raise ServiceError(NOT_FOUND)
    return case


def read_case(
    session: Session, principal: CustomerUser, *, case_id: object, settings: Settings
) -> CaseView:
    case = visible_case(session, principal, case_id=case_id)
    return records.case_view(session, case, internal=False, seller=settings.seller_name)


def reply(
    session: Session,
    principal: CustomerUser,
    *,
    case_id: object,
    text: object,
    settings: Settings,
    files: Sequence[int] = (),
) -> None:
    """A message of the customer's side; the author follows the case from now on."""
    case = visible_case(session, principal, case_id=case_id)
    body = _text(text, "message", BODY_MAX, "cases.error.message_required")
    if not open_for_messages(case.status):
        raise ServiceError("cases.error.closed")
    records.follow(session, case, principal.user_id)
    case.status = status_after_customer_message(case.status)
    entry = records.add_entry(
        session, case, CaseEntryKind.MESSAGE, principal.attribution, body=body
    )
    session.flush()
    attachments.attach(session, principal.attribution, entry, files)
    author = records.actor_name(session, principal.attribution)
    records.notify_followers(
        session, settings, case, author=author, body=body, by=principal.attribution
    )
    records.notify_team(session, settings, case, author=author, body=body)


def add_follower(
    session: Session, principal: CustomerUser, *, case_id: object, user_id: object
) -> None:
    """Anyone on the case adds a colleague (an active user of the company) as a follower."""
    case = visible_case(session, principal, case_id=case_id)
    wanted = parse_id(user_id) if isinstance(user_id, str) else None
    user = session.get(User, wanted) if wanted else None
    if user is None or user.company_id != principal.company_id or user.status != UserStatus.ACTIVE:
        raise ValidationFailed({"follower": ("cases.error.colleague_not_found", {})})
    if records.follow(session, case, user.id or 0):
        records.add_entry(
            session,
            case,
            CaseEntryKind.FOLLOWER,
            principal.attribution,
            data={"name": user.name},
        )


@dataclass(frozen=True)
class ColleaguePage:
    rows: list[tuple[int, str, str]]  # id, name, e-mail
    page: int
    more: bool  # a further page exists


def colleagues(
    session: Session, principal: CustomerUser, *, case_id: object, query: object, page: int = 0
) -> ColleaguePage:
    """Active colleagues not following the case yet whose name or e-mail contains ``query``
    (nothing for an empty one), by name, one page of ``COLLEAGUES_PER_PAGE`` in SQL."""
    case = visible_case(session, principal, case_id=case_id)
    term = bounded_text(query, QUERY_MAX).strip().lower()
    page = page if isinstance(page, int) and 0 <= page <= MAX_COLLEAGUE_PAGE else 0
    if not term:
        return ColleaguePage([], 0, False)
    pattern = like_pattern(term)
    rows = session.exec(
        select(User.id, User.name, User.email)
        .where(
            User.company_id == principal.company_id,
            User.status == UserStatus.ACTIVE,
            col(User.id).not_in(records.follower_ids(session, case)),
            or_(
                func.lower(User.name).like(pattern, escape=LIKE_ESCAPE),
                func.lower(User.email).like(pattern, escape=LIKE_ESCAPE),
            ),
        )
        .order_by(col(User.name), col(User.id))
        .offset(page * COLLEAGUES_PER_PAGE)
        .limit(COLLEAGUES_PER_PAGE + 1)
    ).all()
    found = [(user_id or 0, name, email) for user_id, name, email in rows]
    more = len(found) > COLLEAGUES_PER_PAGE
    return ColleaguePage(found[:COLLEAGUES_PER_PAGE], page, more)


def stage_files(
    session: Session,
    principal: CustomerUser,
    *,
    staged: Sequence[int],
    files: Sequence[tuple[object, object]],
) -> list[FileInfo]:
    """Files for the principal's next case or message (checked now, attached on sending)."""
    return attachments.stage(
        session, principal.attribution, company_id=principal.company_id, staged=staged, files=files
    )


def discard_files(session: Session, principal: CustomerUser, *, ids: Sequence[int]) -> None:
    attachments.discard(session, principal.attribution, company_id=principal.company_id, ids=ids)


def file_content(
    session: Session, principal: CustomerUser, *, attachment_id: object
) -> FileContent:
    """A file of a case the principal sees, not of a seller's note; refused alike otherwise."""
    wanted = parse_id(attachment_id) if isinstance(attachment_id, str) else None
    case_ids = _visible_query(principal).with_only_columns(col(SupportCase.id))
    return attachments.content(session, wanted, case_ids=case_ids, internal=False)
