"""The end of a single sign-on, given verified claims: which company, which user, which roles."""

import pytest
from sqlmodel import Session, select

from customer_center.auth.browser_key import binding_of, new_browser_key
from customer_center.auth.principals import resolve_principal
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import UserStatus
from customer_center.models.audit import AuditEntry
from customer_center.models.company import Company
from customer_center.models.identity import UserIdentity
from customer_center.models.user import User, UserRole
from customer_center.presenters.people import builtin_role_names
from customer_center.services.identity import accounts
from customer_center.services.identity.sso_provisioning import complete_login
from customer_center.services.identity.sso_sign_in import (
    LoginTransaction,
    SsoRefused,
    choice_for_email,
)
from customer_center.services.people import roles
from customer_center.services.people.users import role_codes_of
from customer_center.settings import get_settings
from tests.factories import PASSWORD, make_company, make_user
from tests.sso_factories import configure_sso

ISSUER = "https://login.alpha.example"
GROUPS = {"approver": "heads", "controller": "finance", "buyer": "purchasing"}


def _tx(company_id: int, issuer: str = ISSUER) -> LoginTransaction:
    return LoginTransaction(company_id, issuer, "portal", "nonce", "verifier", "/orders")


def _claims(email: str, groups: list[str], sub: str | None = None) -> dict:
    return {"sub": sub or email, "email": email, "name": "Anna Alpha", "groups": groups}


def _sign_in(session: Session, company_id: int, claims: dict, issuer: str = ISSUER) -> User:
    cookie = complete_login(session, get_settings(), _tx(company_id, issuer), claims)
    session.commit()
    actor = resolve_principal(session, cookie)
    assert actor is not None and actor.company_id == company_id
    return session.get(User, actor.user_id)  # type: ignore[return-value]


@pytest.fixture
def alpha(session: Session):  # type: ignore[no-untyped-def]
    actor = make_company(session, "A-1", "Alpha GmbH")
    configure_sso(
        session, actor, groups=GROUPS, default="technician", domains="alpha.example, a-1.example"
    )
    return actor


def test_an_unknown_employee_is_created_at_once_with_mapped_roles(session, alpha) -> None:
    user = _sign_in(session, alpha.company_id, _claims("anna@alpha.example", ["heads", "x"]))
    assert (user.email, user.name, user.password_hash) == ("anna@alpha.example", "Anna Alpha", None)
    assert role_codes_of(session, user.id) == ["approver"]
    identity = session.exec(select(UserIdentity)).one()
    assert (identity.issuer, identity.subject, identity.user_id) == (ISSUER, user.email, user.id)
    assert identity.last_sign_in_at is not None
    actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["sso.user_created", "sso.signed_in"]


def test_roles_are_resynced_and_hand_given_roles_stay(session, alpha) -> None:
    user = _sign_in(session, alpha.company_id, _claims("anna@alpha.example", ["heads"]))
    # Given by hand in the portal, a role no group names: single sign-on leaves it alone.
    custom = roles.create_role(
        session,
        alpha,
        name="Site safety",
        permissions=["documents.view"],
        builtin_names=builtin_role_names,
    )
    session.add(UserRole(user_id=user.id, role_id=custom))
    session.commit()
    user = _sign_in(session, alpha.company_id, _claims("anna@alpha.example", ["finance"]))
    assert sorted(role_codes_of(session, user.id)) == ["controller", f"custom-{custom}"]
    user = _sign_in(session, alpha.company_id, _claims("anna@alpha.example", []))
    assert sorted(role_codes_of(session, user.id)) == [f"custom-{custom}", "technician"]
    synced = session.exec(select(AuditEntry).where(AuditEntry.action == "sso.roles_synced")).all()
    hand = f"custom-{custom}"
    assert [e.after["roles"] for e in synced] == [["controller", hand], [hand, "technician"]]


def test_the_main_contact_keeps_the_main_contact_role(session, alpha) -> None:
    main = session.get(User, alpha.user_id)
    user = _sign_in(session, alpha.company_id, _claims(main.email, ["finance"]))  # type: ignore[union-attr]
    assert sorted(role_codes_of(session, user.id)) == ["controller", "main_contact"]
    assert user.is_main_contact


def test_an_invited_user_becomes_active(session, alpha) -> None:
    invited = make_user(
        session, alpha.company_id, "ivo@alpha.example", ["buyer"], status=UserStatus.INVITED
    )
    session.commit()
    assert _sign_in(session, alpha.company_id, _claims(invited.email, [])).id == invited.id
    assert invited.status == "active"


def _refusal(session: Session, company_id: int, claims: dict, issuer: str = ISSUER) -> str:
    with pytest.raises(SsoRefused) as refused:
        complete_login(session, get_settings(), _tx(company_id, issuer), claims)
    session.rollback()
    return refused.value.reason


def test_a_deactivated_user_is_refused(session, alpha) -> None:
    make_user(
        session, alpha.company_id, "gone@alpha.example", ["buyer"], status=UserStatus.INACTIVE
    )
    session.commit()
    assert _refusal(session, alpha.company_id, _claims("gone@alpha.example", [])) == "inactive"


def test_company_a_provider_cannot_sign_anyone_into_company_b(session, alpha) -> None:
    beta = make_company(session, "B-1", "Beta AG")
    configure_sso(
        session, beta, issuer="https://login.beta.example", domains="beta.example", default="buyer"
    )
    make_user(session, beta.company_id, "bob@beta.example", ["buyer"])
    session.commit()
    # Alpha's provider names an address of beta's domain, or a user of beta in alpha's domain.
    assert _refusal(session, alpha.company_id, _claims("bob@beta.example", [])) == "domain"
    make_user(session, beta.company_id, "mole@alpha.example", ["buyer"])
    session.commit()
    assert _refusal(session, alpha.company_id, _claims("mole@alpha.example", [])) == "other_company"
    # A transaction bound to another issuer than alpha's configured one.
    assert (
        _refusal(session, alpha.company_id, _claims("x@alpha.example", []), "https://evil.example")
        == "not_configured"
    )
    assert _refusal(session, alpha.company_id, _claims("someone@nowhere.example", [])) == "domain"


def test_an_unverified_or_missing_address_is_refused(session, alpha) -> None:
    claims = {**_claims("anna@alpha.example", []), "email_verified": False}
    assert _refusal(session, alpha.company_id, claims) == "email"
    assert _refusal(session, alpha.company_id, {"sub": "s"}) == "email"


def test_password_sign_in_off_is_refused_on_the_server(session, alpha) -> None:
    main = session.get(User, alpha.user_id)
    attempt = accounts.SignInAttempt(
        email=main.email,  # type: ignore[union-attr]
        password=PASSWORD,
        ip_address="1.2.3.4",
        browser=binding_of(new_browser_key()),
    )
    assert accounts.sign_in(session, attempt)
    company = session.get(Company, alpha.company_id)
    company.password_sign_in_enabled = False  # type: ignore[union-attr]
    session.add(company)
    session.commit()
    with pytest.raises(ServiceError, match="sign_in.password_off"):
        accounts.sign_in(session, attempt)
    assert choice_for_email(session, "ANYONE@alpha.example").password_allowed is False
    assert choice_for_email(session, "x@other.example").sso is False


def test_a_plain_http_issuer_saved_earlier_is_not_contacted_outside_dev_mode(
    session, alpha, monkeypatch
) -> None:
    from customer_center.auth import oidc
    from customer_center.models.identity import SsoConfig
    from customer_center.services.identity import sso_sign_in

    def never(_issuer: str, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an http:// issuer must not be fetched")

    monkeypatch.setattr(oidc, "discover", never)
    config = session.exec(select(SsoConfig)).one()
    config.issuer = "http://login.alpha.example"
    session.add(config)
    session.commit()
    key = new_browser_key()
    ticket = sso_sign_in.issue_start_ticket(session, "anna@alpha.example", "/", binding_of(key))
    with pytest.raises(SsoRefused) as refused:
        sso_sign_in.start_login(session, get_settings(), ticket, key)
    assert refused.value.reason == "unavailable"
