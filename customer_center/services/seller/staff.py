"""The seller's staff, administered by supervisors (``seller.manage_staff``): the list, adding
a member (an invitation e-mail with a link to choose a password), rights, deactivation; and
the invitation itself. Every change is in the audit log, naming the agent who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.auth import staff_sessions
from customer_center.auth.passwords import hash_password
from customer_center.domain import routes
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.password_policy import new_password_errors
from customer_center.domain.principals import Attribution, SellerAgent
from customer_center.domain.staff import ALL_STAFF_RIGHTS, StaffPermission, StaffStatus
from customer_center.models.staff import StaffMember
from customer_center.services.identity import one_time_tokens
from customer_center.services.seller.sign_in import (
    STAFF_ID,
    by_staff,
    issue_staff_ticket,
    record_staff_event,
    staff_of_token,
)
from customer_center.settings import Settings

STAFF_INVITATION = "staff_invitation"
INVITATION_TTL = timedelta(days=7)
PAGE_SIZE = 25
MAX_NAME = 200


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    email: str
    status: str
    rights: tuple[str, ...]
    last_sign_in_at: datetime | None


@dataclass(frozen=True)
class StaffPage:
    rows: list[StaffRow]
    total: int
    page: int
    page_count: int


def staff_page(session: Session, principal: SellerAgent, *, page: int = 0) -> StaffPage:
    """One page of the staff, by name, cut in SQL."""
    principal.require(StaffPermission.MANAGE_STAFF)
    total = session.exec(select(func.count()).select_from(StaffMember)).one()
    page_count = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), page_count - 1)
    members = session.exec(
        select(StaffMember)
        .order_by(col(StaffMember.name), col(StaffMember.id))
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    rows = [
        StaffRow(
            id=m.id or 0,
            name=m.name,
            email=m.email,
            status=m.status,
            rights=_known(m.rights),
            last_sign_in_at=m.last_sign_in_at,
        )
        for m in members
    ]
    return StaffPage(rows=rows, total=total, page=page, page_count=page_count)


def _known(rights: object) -> tuple[str, ...]:
    """The staff rights of a stored list, in the catalogue's order."""
    held = set(rights) if isinstance(rights, list) else set()
    return tuple(right.value for right in StaffPermission if right.value in held)


def _checked_rights(principal: SellerAgent | None, rights: object) -> list[str]:
    """Rights as a list of known staff rights; nobody grants a right they do not hold."""
    if not isinstance(rights, list | tuple | set | frozenset) or not all(
        isinstance(r, str) and r in ALL_STAFF_RIGHTS for r in rights
    ):
        raise ValidationFailed({"rights": ("error.invalid_input", {})})
    if principal is not None and not set(rights) <= principal.rights:
        raise ValidationFailed({"rights": ("seller.staff.rights_not_held", {})})
    return list(_known(list(rights)))


def _checked_identity(session: Session, name: str, email: str) -> tuple[str, str]:
    name, email = name.strip(), normalize_email(email)
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    if not name:
        errors["name"] = ("form.required", {})
    elif len(name) > MAX_NAME:
        errors["name"] = ("error.invalid_input", {})
    if not email:
        errors["email"] = ("form.required", {})
    elif not is_valid_email(email):
        errors["email"] = ("seller.staff.email_invalid", {})
    elif session.exec(select(StaffMember.id).where(StaffMember.email == email)).first():
        errors["email"] = ("seller.staff.email_taken", {})
    if errors:
        raise ValidationFailed(errors)
    return name, email


def _invite(session: Session, settings: Settings, member: StaffMember, by: Attribution) -> str:
    """Queue the invitation e-mail with a fresh single-use link; returns the link."""
    link = one_time_tokens.send_link(
        session,
        purpose=STAFF_INVITATION,
        ttl=INVITATION_TTL,
        base_url=settings.base_url,
        path=routes.SELLER_INVITATION,
        payload={STAFF_ID: member.id},
        to=member.email,
        lang=member.language,
        template="staff_invitation",
        name=member.name,
        seller=settings.seller_name,
    )
    record_staff_event(
        session, "staff.invited", staff_id=member.id, by=by, after={"email": member.email}
    )
    return link


def add_staff(
    session: Session,
    principal: SellerAgent,
    *,
    settings: Settings,
    name: str,
    email: str,
    rights: list[str],
    language: str = "en",
) -> int:
    """A new staff member, invited: they choose a password through the e-mailed link."""
    principal.require(StaffPermission.MANAGE_STAFF)
    name, email = _checked_identity(session, name, email)
    chosen = _checked_rights(principal, rights)
    member = StaffMember(
        email=email,
        name=name,
        rights=chosen,
        status=StaffStatus.INVITED,
        language=language if language in LANGUAGES else "en",
    )
    session.add(member)
    session.flush()
    record_staff_event(
        session,
        "staff.added",
        staff_id=member.id,
        by=principal.attribution,
        after={"name": name, "email": email, "rights": chosen},
    )
    _invite(session, settings, member, principal.attribution)
    return member.id or 0


def create_first_admin(session: Session, settings: Settings, *, email: str, name: str) -> str:
    """The command line's supervisor with every staff right, invited; returns the link to
    choose a password (also e-mailed). Refused when the address is taken."""
    name, email = _checked_identity(session, name or email.split("@", 1)[0], email)
    member = StaffMember(
        email=email, name=name, rights=_checked_rights(None, list(ALL_STAFF_RIGHTS))
    )
    session.add(member)
    session.flush()
    record_staff_event(
        session,
        "staff.added",
        staff_id=member.id,
        by=by_staff(None),
        after={"name": name, "email": email, "rights": member.rights},
    )
    return _invite(session, settings, member, by_staff(None))


def _other_member(session: Session, principal: SellerAgent, staff_id: int) -> StaffMember:
    """Another member than the agent: nobody changes their own rights or status (no one
    locks the seller out of administering its staff)."""
    principal.require(StaffPermission.MANAGE_STAFF)
    member = session.get(StaffMember, staff_id)
    if member is None:
        raise ServiceError("seller.staff.not_found")
    if member.id == principal.agent_id:
        raise ServiceError("seller.staff.not_yourself")
    return member


def set_rights(
    session: Session, principal: SellerAgent, *, staff_id: int, rights: list[str]
) -> None:
    member = _other_member(session, principal, staff_id)
    before = list(_known(member.rights))
    chosen = _checked_rights(principal, rights)
    if chosen == before:
        return
    member.rights = chosen
    session.add(member)
    record_staff_event(
        session,
        "staff.rights_changed",
        staff_id=member.id,
        by=principal.attribution,
        before={"rights": before},
        after={"rights": chosen},
    )


def deactivate(session: Session, principal: SellerAgent, *, staff_id: int) -> None:
    """The member can no longer sign in; their sessions end at once; history is kept."""
    member = _other_member(session, principal, staff_id)
    if member.status == StaffStatus.INACTIVE:
        return
    before = member.status
    member.status = StaffStatus.INACTIVE
    session.add(member)
    staff_sessions.revoke_all_staff_sessions(session, staff_id)
    record_staff_event(
        session,
        "staff.deactivated",
        staff_id=member.id,
        by=principal.attribution,
        before={"status": before},
        after={"status": member.status},
    )


def reactivate(session: Session, principal: SellerAgent, *, staff_id: int) -> None:
    """Back to active (or invited, if they never chose a password)."""
    member = _other_member(session, principal, staff_id)
    if member.status != StaffStatus.INACTIVE:
        return
    member.status = StaffStatus.ACTIVE if member.password_hash else StaffStatus.INVITED
    session.add(member)
    record_staff_event(
        session,
        "staff.reactivated",
        staff_id=member.id,
        by=principal.attribution,
        before={"status": StaffStatus.INACTIVE},
        after={"status": member.status},
    )


def resend_invitation(
    session: Session, principal: SellerAgent, *, settings: Settings, staff_id: int
) -> None:
    member = _other_member(session, principal, staff_id)
    if member.status != StaffStatus.INVITED:
        raise ServiceError("seller.staff.not_invited")
    _invite(session, settings, member, principal.attribution)


# --- the invitation ------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffInvitation:
    name: str
    email: str


def _invited(session: Session, raw_token: str) -> StaffMember:
    token = one_time_tokens.peek(session, STAFF_INVITATION, raw_token)
    member = staff_of_token(session, token.payload)
    if member is None or member.status != StaffStatus.INVITED:
        raise ServiceError("link.invalid")
    return member


def check_invitation(session: Session, raw_token: str) -> StaffInvitation:
    member = _invited(session, raw_token)
    return StaffInvitation(name=member.name, email=member.email)


def accept_invitation(
    session: Session,
    *,
    raw_token: str,
    password: str,
    password_repeat: str,
    browser: str,
    ip_address: str = "",
) -> str:
    """Choose the password, become active, and get a sign-in ticket for this browser."""
    member = _invited(session, raw_token)
    errors = new_password_errors(password, password_repeat, member.email)
    if errors:
        raise ValidationFailed(errors)
    one_time_tokens.consume(session, STAFF_INVITATION, raw_token)
    member.password_hash = hash_password(password)
    member.status = StaffStatus.ACTIVE
    session.add(member)
    record_staff_event(
        session,
        "staff.invitation_accepted",
        staff_id=member.id,
        by=by_staff(member.id),
        ip_address=ip_address,
    )
    return issue_staff_ticket(session, member, browser)
