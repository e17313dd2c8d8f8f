"""Writing the audit log: one call per account or administrative change."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from customer_center.domain.principals import (
    SYSTEM,
    Attribution,
    Principal,
    ScimClient,
    by_user,
)
from customer_center.models.audit import AuditEntry

# The key of an audit entry's ``after`` that names the SCIM token a change came through (its
# label, which outlives the token).
AUDIT_TOKEN_KEY = "scim_token"  # noqa: S105 - a JSON key, no secret


def record(
    session: Session,
    action: str,
    *,
    company_id: int | None,
    by: Attribution,
    target_type: str = "",
    target_id: object = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str = "",
) -> None:
    session.add(
        AuditEntry(
            company_id=company_id,
            actor_user_id=by.user_id,
            actor_kind=by.actor_kind,
            actor_ref=by.actor_id,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            before=before,
            after=after,
            ip_address=ip_address[:64],
            session_id=by.session_id,
        )
    )


def record_admin(
    session: Session,
    principal: Principal,
    *,
    action: str,
    target_type: str,
    target_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An administrative change made by a signed-in user, tied to their session; or by a
    company's SCIM token: no user, no session, the token's label in ``after``."""
    if isinstance(principal, ScimClient):
        after = {**(after or {}), AUDIT_TOKEN_KEY: principal.label}
    record(
        session,
        action,
        company_id=principal.company_id,
        by=principal.attribution,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
    )


def record_account_event(
    session: Session,
    action: str,
    *,
    company_id: int | None,
    user_id: int | None,
    by_the_user: bool = True,
    ip_address: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """A change to a user's own account, made by that user (or by nobody signed in)."""
    record(
        session,
        action,
        company_id=company_id,
        by=by_user(user_id) if by_the_user else SYSTEM,
        target_type="user",
        target_id=user_id,
        before=before,
        after=after,
        ip_address=ip_address,
    )
