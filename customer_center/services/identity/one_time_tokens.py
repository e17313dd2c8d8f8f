"""Single-use, expiring tokens behind e-mail links and sign-in tickets.

:func:`send_link` is the one way a service e-mails a link with a fresh token (invitation,
password reset, activation, e-mail change, handover): it issues the token and queues the
e-mail with the link to the page that takes it (``domain.routes``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, select

from customer_center.auth import browser_key
from customer_center.auth.tokens import new_token, token_hash
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from customer_center.services import emails

ACTIVATION = "activation"
PASSWORD_RESET = "password_reset"  # noqa: S105 - a token purpose, not a secret
SIGN_IN_TICKET = "sign_in_ticket"
SSO_START = "sso_start"
BROWSER = "browser"  # the payload key of a browser-bound token


def issue(
    session: Session,
    purpose: str,
    ttl: timedelta,
    *,
    user_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> str:
    [raw] = issue_all(session, purpose, ttl, [(user_id, payload or {})])
    return raw


def issue_all(
    session: Session,
    purpose: str,
    ttl: timedelta,
    holders: list[tuple[int | None, dict[str, Any]]],
) -> list[str]:
    """One token per (user id, payload) of ``holders``, in their order, in one statement."""
    raws = [new_token() for _ in holders]
    expires_at = utcnow() + ttl
    rows = [
        OneTimeToken(
            purpose=purpose,
            token_hash=token_hash(raw),
            user_id=user_id,
            payload=payload,
            expires_at=expires_at,
        ).model_dump(exclude={"id"})
        for raw, (user_id, payload) in zip(raws, holders, strict=True)
    ]
    if rows:
        session.execute(insert(OneTimeToken), rows)
    return raws


def send_link(
    session: Session,
    *,
    purpose: str,
    ttl: timedelta,
    base_url: str,
    path: str,
    to: str,
    lang: str,
    template: str,
    user_id: int | None = None,
    payload: dict[str, Any] | None = None,
    **params: object,
) -> str:
    """Issue a token for ``purpose`` and e-mail ``to`` the link ``path?token=...`` worded by
    ``template`` (with ``params``), in the caller's transaction; returns the link (for a
    command that also prints it)."""
    raw = issue(session, purpose, ttl, user_id=user_id, payload=payload)
    link = routes.link(base_url, path, token=raw)
    emails.queue(
        session,
        to=to,
        lang=lang,
        template=template,
        link=link,
        dedup_key=None,
        refers_to=None,
        **params,
    )
    return link


def peek(session: Session, purpose: str, raw: str | None) -> OneTimeToken:
    """The token if it can still be used; otherwise a ServiceError saying why not."""
    row = None
    if raw:
        row = session.exec(
            select(OneTimeToken).where(
                OneTimeToken.token_hash == token_hash(raw), OneTimeToken.purpose == purpose
            )
        ).first()
    if row is None:
        raise ServiceError("link.invalid")
    if row.used_at is not None:
        raise ServiceError("link.used")
    if row.expires_at <= utcnow():
        raise ServiceError("link.expired")
    return row


def consume(session: Session, purpose: str, raw: str | None) -> OneTimeToken:
    """Mark the token used; of two concurrent consumers exactly one succeeds."""
    row = peek(session, purpose, raw)
    result = session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == row.id, OneTimeToken.used_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError("link.used")
    return row


# --- bound to a browser -------------------------------------------------------------------


def issue_for_browser(
    session: Session,
    purpose: str,
    ttl: timedelta,
    browser: str,
    *,
    user_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> str:
    """A token only the browser with the key behind ``browser`` (its binding) can use; a
    browser that sent no key gets none (it could not prove later that it asked)."""
    if not browser:
        raise ServiceError("sign_in.browser_key")
    return issue(
        session, purpose, ttl, user_id=user_id, payload={**(payload or {}), BROWSER: browser}
    )


def consume_in_browser(
    session: Session, purpose: str, raw: str | None, raw_browser_key: str | None
) -> OneTimeToken:
    """Use up a browser-bound token, in the browser it was made for only: elsewhere it is
    refused (and stays unused, for the browser it belongs to)."""
    row = peek(session, purpose, raw)
    if not browser_key.same_browser(row.payload.get(BROWSER), raw_browser_key):
        raise ServiceError("sign_in.other_browser")
    return consume(session, purpose, raw)
