"""SCIM bearer tokens: only the hash is stored, rotate and revoke, scoped to the company."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from customer_center.auth.tokens import token_hash
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.audit import AuditEntry
from customer_center.models.identity import ScimToken
from customer_center.presenters import audit as audit_words
from customer_center.services import audit_log
from customer_center.services.audit_log import AuditFilter
from customer_center.services.identity import scim_tokens
from tests.factories import actor_for, make_company, make_user


def test_only_the_hash_of_a_new_token_is_stored(session: Session) -> None:
    main = make_company(session)
    raw = scim_tokens.create_token(session, main, label="  Okta   production ")
    stored = session.exec(select(ScimToken)).one()
    assert stored.token_hash == token_hash(raw) and raw not in stored.token_hash
    assert stored.label == "Okta production"
    assert stored.company_id == main.company_id and stored.created_by_user_id == main.user_id
    actor = scim_tokens.authenticate(session, raw)
    assert actor is not None
    assert (actor.company_id, actor.token_id, actor.label) == (
        main.company_id,
        stored.id,
        "Okta production",
    )
    assert scim_tokens.authenticate(session, raw + "x") is None
    assert scim_tokens.authenticate(session, "") is None


def test_label_is_required_and_live_tokens_are_limited(session: Session) -> None:
    main = make_company(session)
    with pytest.raises(ValidationFailed) as empty:
        scim_tokens.create_token(session, main, label="   ")
    assert empty.value.errors["label"][0] == "form.required"
    for n in range(scim_tokens.MAX_ACTIVE_TOKENS):
        scim_tokens.create_token(session, main, label=f"t{n}")
    with pytest.raises(ValidationFailed) as full:
        scim_tokens.create_token(session, main, label="one more")
    assert full.value.errors["label"][0] == "scim.error.too_many_tokens"


def test_rotation_replaces_the_token_and_the_old_one_stops_at_once(session: Session) -> None:
    main = make_company(session)
    old_raw = scim_tokens.create_token(session, main, label="Entra")
    old = session.exec(select(ScimToken)).one()
    new_raw = scim_tokens.rotate_token(session, main, token_id=old.id)  # type: ignore[arg-type]
    session.commit()
    assert scim_tokens.authenticate(session, old_raw) is None
    actor = scim_tokens.authenticate(session, new_raw)
    assert actor is not None and actor.label == "Entra" and actor.token_id != old.id
    views = scim_tokens.list_tokens(session, main)
    assert [(v.label, v.revoked_at is None) for v in views] == [("Entra", True), ("Entra", False)]
    with pytest.raises(ServiceError):  # a revoked token cannot be rotated again
        scim_tokens.rotate_token(session, main, token_id=old.id)  # type: ignore[arg-type]


def test_revoked_token_is_refused(session: Session) -> None:
    main = make_company(session)
    raw = scim_tokens.create_token(session, main, label="Okta")
    token_id = session.exec(select(ScimToken.id)).one()
    scim_tokens.revoke_token(session, main, token_id=token_id)  # type: ignore[arg-type]
    assert scim_tokens.authenticate(session, raw) is None
    actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
    assert actions == ["scim_token.created", "scim_token.revoked"]
    rows = audit_words.page_rows(
        audit_log.audit_page(session, main, audit_filter=AuditFilter()), "en"
    )
    assert [(r["action"], r["target"]) for r in rows] == [
        ("Provisioning token revoked", "Provisioning token: Okta"),
        ("Provisioning token created", "Provisioning token: Okta"),
    ]


def test_another_company_cannot_see_rotate_or_revoke_the_token(session: Session) -> None:
    main_a = make_company(session, "A-1")
    main_b = make_company(session, "B-1")
    raw = scim_tokens.create_token(session, main_a, label="Okta")
    token_id = session.exec(select(ScimToken.id)).one()
    assert scim_tokens.list_tokens(session, main_b) == []
    for change in (scim_tokens.rotate_token, scim_tokens.revoke_token):
        with pytest.raises(ServiceError) as refused:
            change(session, main_b, token_id=token_id)  # type: ignore[operator]
        assert refused.value.code == "admin.not_found"
    actor = scim_tokens.authenticate(session, raw)
    assert actor is not None and actor.company_id == main_a.company_id


def test_only_company_managers_handle_tokens(session: Session) -> None:
    main = make_company(session)
    buyer = actor_for(session, make_user(session, main.company_id, "b@c-1.example", ["buyer"]))
    with pytest.raises(ServiceError) as refused:
        scim_tokens.create_token(session, buyer, label="mine")
    assert refused.value.code == "error.permission_denied"
    with pytest.raises(ServiceError):
        scim_tokens.list_tokens(session, buyer)


def test_last_use_is_written_at_most_once_a_minute(session: Session) -> None:
    main = make_company(session)
    raw = scim_tokens.create_token(session, main, label="Okta")
    scim_tokens.authenticate(session, raw)
    token = session.exec(select(ScimToken)).one()
    first = token.last_used_at
    assert first is not None
    scim_tokens.authenticate(session, raw)
    session.refresh(token)
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(minutes=5)
    session.add(token)
    session.flush()
    scim_tokens.authenticate(session, raw)
    session.refresh(token)
    assert token.last_used_at > first - timedelta(minutes=5)
