"""Signing in through the company's identity provider: the choice on the sign-in page, the
start of the code flow (PKCE, state, nonce) and its end (checks, just-in-time user, roles).

The login transaction lives on the server as a single-use token bound to the company, issuer
and client it was started for; its raw value is the OAuth ``state``. Network calls happen
between two short database transactions, never inside one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from customer_center.auth import oidc, secret_box
from customer_center.auth.tokens import new_token
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError
from customer_center.domain.next_page import safe_next
from customer_center.domain.principals import SYSTEM
from customer_center.domain.sso import email_domain, issuer_needs_https
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.identity import SsoConfig, SsoDomain
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.rate_limit import Limit, minutes_blocked, record_attempt
from customer_center.services.identity.sso_settings import company_config, redirect_uri
from customer_center.settings import Settings

SSO_LOGIN = "sso_login"
TRANSACTION_TTL = timedelta(minutes=10)
START_TICKET_TTL = timedelta(minutes=2)
START_LIMIT = Limit(kind="sso_start", max_failures=30, window=timedelta(minutes=15))


class SsoRefused(Exception):
    """Single sign-on said no; ``reason`` becomes the notice ``sso_<reason>``."""

    def __init__(self, reason: str, company_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.company_id = company_id


@dataclass(frozen=True)
class SsoChoice:
    """What the sign-in page offers for an e-mail address."""

    sso: bool
    password_allowed: bool


def _enabled_config(session: Session, domain: str) -> tuple[SsoConfig, Company] | None:
    row = session.exec(
        select(SsoConfig, Company)
        .join(SsoDomain, SsoDomain.company_id == SsoConfig.company_id)  # type: ignore[arg-type]
        .join(Company, Company.id == SsoConfig.company_id)  # type: ignore[arg-type]
        .where(SsoDomain.domain == domain, SsoConfig.enabled == True)  # noqa: E712
    ).first()
    return (row[0], row[1]) if row else None


def choice_for_email(session: Session, email: str) -> SsoChoice:
    """SSO for addresses in a domain of a company with SSO switched on; the password as long
    as that company keeps password sign-in on."""
    found = _enabled_config(session, email_domain(normalize_email(email)))
    if found is None:
        return SsoChoice(sso=False, password_allowed=True)
    return SsoChoice(sso=True, password_allowed=found[1].password_sign_in_enabled)


def check_password_allowed(session: Session, company_id: int) -> None:
    """Refuse a password sign-in for a company that has switched it off."""
    company = session.get(Company, company_id)
    if company is not None and not company.password_sign_in_enabled:
        raise ServiceError("sign_in.password_off")


# --- start -------------------------------------------------------------------------------

_TOKEN_REASONS = {"link.used": "replay", "link.expired": "expired_login", "link.invalid": "state"}
_START_REASONS = {**_TOKEN_REASONS, "sign_in.other_browser": "browser"}


@dataclass(frozen=True)
class StartedLogin:
    url: str  # the provider's authorization endpoint with all parameters
    state: str  # also set as a short-lived cookie: the callback must come to this browser


def issue_start_ticket(session: Session, email: str, next_page: str, browser: str) -> str:
    """The ticket that lets this browser (``browser``: the binding of its key) and no other
    start a single sign-on: a link to the start route alone cannot send anyone's browser
    through a provider that would sign it into someone else's account."""
    return one_time_tokens.issue_for_browser(
        session,
        one_time_tokens.SSO_START,
        START_TICKET_TTL,
        browser,
        payload={"email": normalize_email(email)[:254], "next": safe_next(next_page)},
    )


def _start_request(session: Session, ticket: str, browser_key: str | None) -> tuple[str, str]:
    """The (e-mail, next page) of a start ticket, if this browser is the one it was made for."""
    try:
        row = one_time_tokens.consume_in_browser(
            session, one_time_tokens.SSO_START, ticket[:100] or None, browser_key
        )
    except ServiceError as error:
        raise SsoRefused(_START_REASONS.get(error.code, "state")) from error
    return str(row.payload.get("email", "")), str(row.payload.get("next", ""))


def start_login(
    session: Session,
    settings: Settings,
    ticket: str,
    browser_key: str | None,
    ip_address: str = "",
) -> StartedLogin:
    email, next_page = _start_request(session, ticket, browser_key)
    found = _enabled_config(session, email_domain(email)) if is_valid_email(email) else None
    if found is None:
        raise SsoRefused("not_configured")
    config = found[0]
    if issuer_needs_https(config.issuer, settings.is_dev):  # saved before https was required
        raise SsoRefused("unavailable", config.company_id)
    # Every start stores a login transaction: one address cannot start them without end.
    keys = [f"ip:{ip_address}"]
    if minutes_blocked(session, START_LIMIT, keys, utcnow()):
        raise SsoRefused("busy", config.company_id)
    record_attempt(session, START_LIMIT.kind, keys, succeeded=False)
    try:
        metadata = oidc.discover(config.issuer)
    except oidc.OidcError as error:
        raise SsoRefused("unavailable", config.company_id) from error
    nonce, verifier = new_token(), new_token() + new_token()
    payload = {
        "company_id": config.company_id,
        "issuer": config.issuer,
        "client_id": config.client_id,
        "nonce": nonce,
        "code_verifier": verifier,
        "next": safe_next(next_page),
    }
    state = one_time_tokens.issue(session, SSO_LOGIN, TRANSACTION_TTL, payload=payload)
    request = oidc.AuthorizationRequest(
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        scope=oidc.scope_for(metadata, config.role_claim),
    )
    url = oidc.authorization_url(metadata, config.client_id, redirect_uri(settings), request)
    return StartedLogin(url=url, state=state)


# --- callback ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginTransaction:
    company_id: int
    issuer: str
    client_id: str
    nonce: str
    code_verifier: str
    next: str


def take_transaction(session: Session, state: str) -> LoginTransaction:
    """Use up the login transaction: once only, so a replayed state (and its nonce) is
    refused. Commit this before any further check, so a refused answer uses it up too."""
    try:
        row = one_time_tokens.consume(session, SSO_LOGIN, state[:100] or None)
    except ServiceError as error:
        raise SsoRefused(_TOKEN_REASONS.get(error.code, "state")) from error
    payload: dict[str, Any] = row.payload
    return LoginTransaction(
        company_id=int(payload["company_id"]),
        issuer=str(payload["issuer"]),
        client_id=str(payload["client_id"]),
        nonce=str(payload["nonce"]),
        code_verifier=str(payload["code_verifier"]),
        next=str(payload["next"]),
    )


def check_browser(tx: LoginTransaction, state: str, browser_state: str | None) -> None:
    """The answer must come back to the browser that started the login (its state cookie):
    nobody can slip their own login into someone else's browser."""
    if not browser_state or not secrets.compare_digest(browser_state, state):
        raise SsoRefused("browser", tx.company_id)


@dataclass(frozen=True)
class ProviderAnswer:
    code: str
    error: str


def client_secret_of(session: Session, settings: Settings, tx: LoginTransaction) -> str:
    """The stored secret, if the company's provider is still the one the login began with."""
    config = company_config(session, tx.company_id)
    if (
        config is None
        or not config.enabled
        or config.issuer != tx.issuer
        or config.client_id != tx.client_id
    ):
        raise SsoRefused("not_configured", tx.company_id)
    try:
        return secret_box.decrypt(settings.secret_key, config.client_secret_encrypted)
    except secret_box.SecretUnreadable as error:
        raise SsoRefused("unavailable", tx.company_id) from error


_OIDC_REASONS = {
    "unreachable": "unavailable",
    "code_refused": "code",
    "no_id_token": "code",
    "signature": "signature",
    "issuer": "issuer",
    "audience": "audience",
    "expired": "expired",
    "nonce": "nonce",
    "claims": "token",
}


def verify_answer(
    settings: Settings, tx: LoginTransaction, answer: ProviderAnswer, secret: str
) -> dict[str, Any]:
    """Exchange the code and verify the ID token (network; no database)."""
    if answer.error or not answer.code:
        raise SsoRefused("denied", tx.company_id)
    try:
        metadata = oidc.discover(tx.issuer)
        id_token = oidc.exchange_code(
            metadata, tx.client_id, secret, redirect_uri(settings), answer.code, tx.code_verifier
        )
        return oidc.verify_id_token(id_token, metadata, tx.client_id, tx.nonce)
    except oidc.OidcError as error:
        raise SsoRefused(_OIDC_REASONS.get(error.reason, "token"), tx.company_id) from error


def record_refusal(
    session: Session, refusal: SsoRefused, ip_address: str, detail: dict[str, object]
) -> None:
    audit.record(
        session,
        "sso.sign_in_refused",
        company_id=refusal.company_id,
        by=SYSTEM,
        target_type="company",
        target_id=refusal.company_id or "",
        after={"reason": refusal.reason, **detail},
        ip_address=ip_address,
    )
