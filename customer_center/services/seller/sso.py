"""Staff single sign-on through the seller's own identity provider (``CC_SELLER_OIDC_*``):
the code flow with PKCE, state and nonce of ``auth.oidc``, like a company's; at its end only
an existing, active staff member with the verified e-mail address is signed in (nobody is
created on the fly: supervisors add staff)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from customer_center.auth import oidc
from customer_center.auth.tokens import new_token
from customer_center.domain import routes
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import SYSTEM
from customer_center.domain.sso import issuer_needs_https
from customer_center.domain.staff import StaffStatus
from customer_center.models.base import utcnow
from customer_center.models.staff import StaffMember
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.rate_limit import minutes_blocked, record_attempt
from customer_center.services.identity.sso_sign_in import (
    _OIDC_REASONS,
    START_LIMIT,
    SsoRefused,
)
from customer_center.services.seller.sign_in import open_for
from customer_center.settings import Settings

STAFF_SSO_START = "staff_sso_start"
STAFF_SSO_LOGIN = "staff_sso_login"
START_TICKET_TTL = timedelta(minutes=2)
TRANSACTION_TTL = timedelta(minutes=10)
_TOKEN_REASONS = {"link.used": "replay", "link.expired": "expired_login", "link.invalid": "state"}


def redirect_uri(settings: Settings) -> str:
    return f"{settings.base_url}{routes.SELLER_SSO_CALLBACK}"


def issue_start_ticket(session: Session, settings: Settings, browser: str) -> str:
    """The ticket that lets this browser (and no other) start a staff single sign-on."""
    if not settings.seller_sso:
        raise ServiceError("seller.sign_in.sso_off")
    return one_time_tokens.issue_for_browser(session, STAFF_SSO_START, START_TICKET_TTL, browser)


@dataclass(frozen=True)
class StartedLogin:
    url: str
    state: str


def start_login(
    session: Session, settings: Settings, ticket: str, browser_key: str | None, ip_address: str
) -> StartedLogin:
    try:
        one_time_tokens.consume_in_browser(
            session, STAFF_SSO_START, ticket[:100] or None, browser_key
        )
    except ServiceError as error:
        reason = "browser" if error.code == "sign_in.other_browser" else "state"
        raise SsoRefused(_TOKEN_REASONS.get(error.code, reason)) from error
    if not settings.seller_sso:
        raise SsoRefused("not_configured")
    if issuer_needs_https(settings.seller_oidc_issuer, settings.is_dev):
        raise SsoRefused("unavailable")
    keys = [f"ip:{ip_address}"]
    if minutes_blocked(session, START_LIMIT, keys, utcnow()):
        raise SsoRefused("busy")
    record_attempt(session, START_LIMIT.kind, keys, succeeded=False)
    try:
        metadata = oidc.discover(settings.seller_oidc_issuer)
    except oidc.OidcError as error:
        raise SsoRefused("unavailable") from error
    nonce, verifier = new_token(), new_token() + new_token()
    state = one_time_tokens.issue(
        session,
        STAFF_SSO_LOGIN,
        TRANSACTION_TTL,
        payload={"nonce": nonce, "code_verifier": verifier, "issuer": metadata.issuer},
    )
    request = oidc.AuthorizationRequest(
        state=state, nonce=nonce, code_verifier=verifier, scope=oidc.SCOPES
    )
    url = oidc.authorization_url(
        metadata, settings.seller_oidc_client_id, redirect_uri(settings), request
    )
    return StartedLogin(url=url, state=state)


@dataclass(frozen=True)
class StaffLogin:
    issuer: str
    nonce: str
    code_verifier: str


def take_transaction(session: Session, state: str, browser_state: str | None) -> StaffLogin:
    """Use up the login transaction (once only), in the browser that started it only."""
    try:
        row = one_time_tokens.consume(session, STAFF_SSO_LOGIN, state[:100] or None)
    except ServiceError as error:
        raise SsoRefused(_TOKEN_REASONS.get(error.code, "state")) from error
    if not browser_state or not secrets.compare_digest(browser_state, state):
        raise SsoRefused("browser")
    payload: dict[str, Any] = row.payload
    return StaffLogin(
        issuer=str(payload["issuer"]),
        nonce=str(payload["nonce"]),
        code_verifier=str(payload["code_verifier"]),
    )


def verify_answer(settings: Settings, tx: StaffLogin, code: str, error: str) -> dict[str, Any]:
    """Exchange the code and verify the ID token (network; no database)."""
    if error or not code:
        raise SsoRefused("denied")
    if oidc.normalize_issuer(settings.seller_oidc_issuer) != tx.issuer:
        raise SsoRefused("not_configured")
    client_id = settings.seller_oidc_client_id
    try:
        metadata = oidc.discover(tx.issuer)
        id_token = oidc.exchange_code(
            metadata,
            client_id,
            settings.seller_oidc_client_secret,
            redirect_uri(settings),
            code,
            tx.code_verifier,
        )
        return oidc.verify_id_token(id_token, metadata, client_id, tx.nonce)
    except oidc.OidcError as failure:
        raise SsoRefused(_oidc_reason(failure.reason)) from failure


def _oidc_reason(reason: str) -> str:
    return _OIDC_REASONS.get(reason, "token")


def complete_login(
    session: Session,
    settings: Settings,
    claims: dict[str, Any],
    *,
    ip_address: str,
    user_agent: str,
) -> str:
    """The staff session of the active member the provider vouches for; refused for anyone
    else (no member is created here)."""
    email = claims.get("email")
    if not isinstance(email, str) or not is_valid_email(email):
        raise SsoRefused("email")
    if claims.get("email_verified") is False:
        raise SsoRefused("email")
    member = session.exec(
        select(StaffMember).where(StaffMember.email == normalize_email(email))
    ).first()
    if member is None or member.status != StaffStatus.ACTIVE:
        raise SsoRefused("unknown_staff")
    return open_for(
        session, member, days=settings.session_days, ip_address=ip_address, user_agent=user_agent
    )


def record_refusal(session: Session, refusal: SsoRefused, ip_address: str) -> None:
    audit.record(
        session,
        "staff.sso_refused",
        company_id=None,
        by=SYSTEM,
        target_type="staff",
        after={"reason": refusal.reason},
        ip_address=ip_address,
    )
