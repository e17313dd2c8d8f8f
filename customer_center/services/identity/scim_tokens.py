"""The bearer tokens of a company's SCIM provisioning endpoint.

Holders of ``company.manage`` create, rotate and revoke them; the raw token is returned once
and only its SHA-256 is stored. :func:`authenticate` turns a presented token into the principal
every SCIM operation runs as, bound to the token's company.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from customer_center.auth.tokens import new_token, token_hash
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser, ScimClient
from customer_center.models.base import utcnow
from customer_center.models.identity import ScimToken
from customer_center.services import audit

SCIM_PATH = "/scim/v2"  # where the endpoint lives below the portal's base URL
LABEL_MAX = 100
MAX_ACTIVE_TOKENS = 10
LISTED_TOKENS = 50  # the page shows the newest ones; older revoked tokens drop off it
# last_used_at is written at most once per this interval, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenView:
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def endpoint_url(base_url: str) -> str:
    """The base URL a company's identity provider is given."""
    return base_url.rstrip("/") + SCIM_PATH


def list_tokens(session: Session, principal: CustomerUser) -> list[TokenView]:
    """The company's tokens, live ones first, newest first."""
    principal.require(Permission.COMPANY_MANAGE)
    return company_tokens(session, principal.company_id)


def company_tokens(session: Session, company_id: int) -> list[TokenView]:
    """:func:`list_tokens` of any company (labels and times, never a secret): also read by
    the seller's console."""
    rows = session.exec(
        select(ScimToken)
        .where(ScimToken.company_id == company_id)
        .order_by(col(ScimToken.revoked_at).is_not(None), col(ScimToken.id).desc())
        .limit(LISTED_TOKENS)
    ).all()
    return [
        TokenView(t.id, t.label, t.created_at, t.last_used_at, t.revoked_at)  # type: ignore[arg-type]
        for t in rows
    ]


def _checked_label(session: Session, principal: CustomerUser, label: object) -> str:
    clean = " ".join(label.split()) if isinstance(label, str) else ""
    if not clean:
        raise ValidationFailed({"label": ("form.required", {})})
    if len(clean) > LABEL_MAX:
        raise ValidationFailed({"label": ("form.too_long", {"max": LABEL_MAX})})
    live = session.exec(
        select(func.count())
        .select_from(ScimToken)
        .where(ScimToken.company_id == principal.company_id, col(ScimToken.revoked_at).is_(None))
    ).one()
    if live >= MAX_ACTIVE_TOKENS:
        raise ValidationFailed(
            {"label": ("scim.error.too_many_tokens", {"max": MAX_ACTIVE_TOKENS})}
        )
    return clean


def _insert(session: Session, principal: CustomerUser, label: str) -> tuple[ScimToken, str]:
    raw = new_token()
    token = ScimToken(
        company_id=principal.company_id,
        token_hash=token_hash(raw),
        label=label,
        created_by_user_id=principal.user_id,
    )
    session.add(token)
    session.flush()
    return token, raw


def create_token(session: Session, principal: CustomerUser, *, label: str) -> str:
    """A new token; the raw value is returned now and never again."""
    principal.require(Permission.COMPANY_MANAGE)
    token, raw = _insert(session, principal, _checked_label(session, principal, label))
    audit.record_admin(
        session,
        principal,
        action="scim_token.created",
        target_type="scim_token",
        target_id=token.id,
        after={"label": token.label},
    )
    return raw


def _live_token(session: Session, principal: CustomerUser, token_id: object) -> ScimToken:
    """A token of the principal's company that is not revoked; anything else is "not found"."""
    valid = isinstance(token_id, int) and not isinstance(token_id, bool)
    token = session.get(ScimToken, token_id, with_for_update=True) if valid else None
    if token is None or token.company_id != principal.company_id or token.revoked_at is not None:
        raise ServiceError("admin.not_found")
    return token


def _revoke(session: Session, token: ScimToken) -> None:
    token.revoked_at = utcnow()
    session.add(token)


def rotate_token(session: Session, principal: CustomerUser, *, token_id: int) -> str:
    """A new token with the same label; the old one stops working in the same transaction."""
    principal.require(Permission.COMPANY_MANAGE)
    old = _live_token(session, principal, token_id)
    _revoke(session, old)
    new, raw = _insert(session, principal, old.label)
    audit.record_admin(
        session,
        principal,
        action="scim_token.rotated",
        target_type="scim_token",
        target_id=new.id,
        before={"token_id": old.id, "label": old.label},
        after={"token_id": new.id, "label": new.label},
    )
    return raw


def revoke_token(session: Session, principal: CustomerUser, *, token_id: int) -> None:
    principal.require(Permission.COMPANY_MANAGE)
    token = _live_token(session, principal, token_id)
    _revoke(session, token)
    audit.record_admin(
        session,
        principal,
        action="scim_token.revoked",
        target_type="scim_token",
        target_id=token.id,
        before={"label": token.label},
    )


def authenticate(session: Session, raw_token: str) -> ScimClient | None:
    """The principal behind a presented bearer token, or None for an unknown or revoked one.

    One indexed lookup by hash; ``last_used_at`` is written only when it is older than
    :data:`LAST_USED_PRECISION`, so a busy provisioning run does not write on every call.
    """
    if not raw_token:
        return None
    row = session.exec(
        select(ScimToken.id, ScimToken.company_id, ScimToken.label).where(
            ScimToken.token_hash == token_hash(raw_token), col(ScimToken.revoked_at).is_(None)
        )
    ).first()
    if row is None:
        return None
    token_id, company_id, label = row
    now = utcnow()
    session.execute(
        update(ScimToken)
        .where(
            col(ScimToken.id) == token_id,
            or_(
                col(ScimToken.last_used_at).is_(None),
                col(ScimToken.last_used_at) < now - LAST_USED_PRECISION,
            ),
        )
        .values(last_used_at=now)
    )
    return ScimClient(token_id=token_id, company_id=company_id, label=label)  # type: ignore[arg-type]
