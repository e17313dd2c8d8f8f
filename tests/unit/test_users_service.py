"""The users service: invitations, the paginated list, roles, deactivation, company scoping."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from customer_center.auth.browser_key import binding_of, new_browser_key
from customer_center.auth.principals import resolve_principal
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import ScimClient
from customer_center.models.audit import AuditEntry
from customer_center.models.auth import AuthSession
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.services.people import invitations, inviting, user_list, users
from customer_center.services.people.user_list import UserQuery
from customer_center.services.people.users import NewUser
from customer_center.settings import get_settings
from tests.factories import PASSWORD, actor_for, make_company, make_user, role_id, signed_in_cookie


@pytest.fixture
def main(session):
    return make_company(session)


def _new(session, main, email="ben@acme.example", roles=("buyer",), **kwargs) -> NewUser:
    ids = tuple(role_id(session, main.company_id, code) for code in roles)
    return NewUser(
        name=kwargs.get("name", "Ben Buyer"),
        email=email,
        language=kwargs.get("language", "de"),
        role_ids=ids,
    )


def _invitation_token(session, user_id: int) -> str:
    mail = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail is not None
    return re.search(r"token=([\w-]+)", mail.payload["text"]).group(1)


def test_an_invitation_creates_an_invited_user_with_roles_mail_and_audit(session, main) -> None:
    user_id = inviting.invite_user(session, main, settings=get_settings(), new=_new(session, main))
    session.commit()
    user = session.get(User, user_id)
    assert (user.status, user.email, user.language, user.password_hash) == (
        UserStatus.INVITED,
        "ben@acme.example",
        "de",
        None,
    )
    assert users.role_codes_of(session, user_id) == ["buyer"]
    mail = session.exec(select(OutboxMessage)).one()
    assert mail.payload["to"] == "ben@acme.example"
    assert "/invitation?token=" in mail.payload["text"]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.invited")).one()
    assert (entry.actor_user_id, entry.session_id) == (main.user_id, main.session_id)
    assert entry.after["roles"] == ["buyer"]


def test_invalid_rows_are_explained_per_field_and_nothing_is_saved(session, main) -> None:
    make_user(session, main.company_id, "taken@acme.example", ["buyer"])
    session.commit()
    batch = [
        _new(session, main, email="ok@acme.example"),
        _new(session, main, email="TAKEN@acme.example"),
        _new(session, main, email="ok@acme.example", name=" "),
        NewUser(name="X", email="not-an-address", language="fr", role_ids=()),
        _new(session, main, email="boss@acme.example", roles=("main_contact",)),
    ]
    with pytest.raises(ValidationFailed) as failure:
        inviting.invite_users(session, main, settings=get_settings(), users=batch)
    codes = {key: code for key, (code, _params) in failure.value.errors.items()}
    assert codes == {
        "1.email": "users.error.email_taken",
        "2.name": "form.required",
        "2.email": "users.error.email_taken",
        "3.email": "form.email_invalid",
        "3.language": "users.error.language_unknown",
        "3.roles": "users.error.role_required",
        "4.roles": "users.error.role_unknown",
    }
    session.rollback()
    assert session.exec(select(User).where(User.email == "ok@acme.example")).first() is None


def test_roles_of_another_company_are_unknown(session, main) -> None:
    other = make_company(session, "C-2", "Other AG")
    foreign = NewUser(
        "Eve", "eve@acme.example", "en", (role_id(session, other.company_id, "buyer"),)
    )
    with pytest.raises(ValidationFailed) as failure:
        inviting.invite_user(session, main, settings=get_settings(), new=foreign)
    assert failure.value.errors["roles"][0] == "users.error.role_unknown"


def test_nobody_grants_rights_they_do_not_hold(session, main) -> None:
    manager = make_user(session, main.company_id, "hr@acme.example", ["buyer"])
    session.commit()
    # Someone who may manage users must not make anyone a controller (rights they lack).
    custom = Role(company_id=main.company_id, code="hr", name="HR")
    session.add(custom)
    session.flush()
    session.add(RolePermission(role_id=custom.id, permission="users.manage"))
    session.add(UserRole(user_id=manager.id, role_id=custom.id))
    session.commit()
    hr = actor_for(session, manager)
    with pytest.raises(ValidationFailed) as failure:
        inviting.invite_user(
            session, hr, settings=get_settings(), new=_new(session, main, roles=("controller",))
        )
    assert failure.value.errors["roles"][0] == "users.error.role_beyond_own_rights"
    assert inviting.invite_user(
        session, hr, settings=get_settings(), new=_new(session, main, roles=("buyer",))
    )


def test_accepting_an_invitation_activates_the_account_once(session, main) -> None:
    user_id = inviting.invite_user(session, main, settings=get_settings(), new=_new(session, main))
    session.commit()
    token = _invitation_token(session, user_id)
    details = invitations.invitation_details(session, token)
    assert (details.company_name, details.email) == ("Acme GmbH", "ben@acme.example")
    with pytest.raises(ValidationFailed) as failure:
        invitations.accept_invitation(
            session,
            raw_token=token,
            name="Ben",
            password="short",
            password_repeat="short",
            ip_address="",
            browser=binding_of(new_browser_key()),
        )
    assert "password" in failure.value.errors
    ticket = invitations.accept_invitation(
        session,
        raw_token=token,
        name="Ben B.",
        password=PASSWORD,
        password_repeat=PASSWORD,
        ip_address="10.0.0.1",
        browser=binding_of(new_browser_key()),
    )
    session.commit()
    assert ticket
    user = session.get(User, user_id)
    assert (user.status, user.name) == (UserStatus.ACTIVE, "Ben B.")
    with pytest.raises(ServiceError) as again:
        invitations.invitation_details(session, token)
    assert again.value.code == "link.used"


def test_resend_retires_the_old_link_and_revoke_removes_the_invited_user(session, main) -> None:
    user_id = inviting.invite_user(session, main, settings=get_settings(), new=_new(session, main))
    session.commit()
    first = _invitation_token(session, user_id)
    inviting.resend_invitation(session, main, settings=get_settings(), user_id=user_id)
    session.commit()
    second = _invitation_token(session, user_id)
    assert first != second
    with pytest.raises(ServiceError):
        invitations.invitation_details(session, first)
    assert invitations.invitation_details(session, second).email == "ben@acme.example"
    inviting.revoke_invitation(session, main, user_id=user_id)
    session.commit()
    assert session.get(User, user_id) is None
    with pytest.raises(ServiceError):
        invitations.invitation_details(session, second)


def test_deactivation_ends_every_session_at_once_and_keeps_the_user(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    cookie = signed_in_cookie(session, ben)
    assert resolve_principal(session, cookie) is not None
    users.deactivate_user(session, main, user_id=ben.id)
    session.commit()
    assert resolve_principal(session, cookie) is None
    assert session.get(User, ben.id).status == UserStatus.INACTIVE
    live = session.exec(
        select(AuthSession).where(AuthSession.user_id == ben.id, AuthSession.revoked_at.is_(None))
    ).all()
    assert live == []
    users.activate_user(session, main, user_id=ben.id)
    assert session.get(User, ben.id).status == UserStatus.ACTIVE


def test_the_main_contact_and_oneself_cannot_be_deactivated(session, main) -> None:
    admin_user = make_user(session, main.company_id, "admin@acme.example", ["main_contact"])
    session.commit()
    admin = actor_for(session, admin_user)
    with pytest.raises(ServiceError) as failure:
        users.deactivate_user(session, admin, user_id=main.user_id)
    assert failure.value.code == "users.error.deactivate_main_contact"
    with pytest.raises(ServiceError) as own:
        users.deactivate_user(session, admin, user_id=admin.user_id)
    assert own.value.code == "users.error.deactivate_self"


def test_a_scim_client_is_nobody_the_not_yourself_rules_protect(session, main) -> None:
    """A SCIM client acts as no user: it changes profiles and deactivates people; only the
    main contact's own rule still holds."""
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    session.commit()
    scim = ScimClient(token_id=1, company_id=main.company_id, label="Okta")
    me = session.get(User, main.user_id)
    assert users.is_self(main, me) and not users.is_self(scim, me)  # type: ignore[arg-type]
    users.update_profile(session, scim, user_id=ben.id, name="Ben B", language="de")  # type: ignore[arg-type]
    users.deactivate_user(session, scim, user_id=ben.id)  # type: ignore[arg-type]
    changed = session.get(User, ben.id)
    assert changed is not None
    assert (changed.name, changed.status) == ("Ben B", UserStatus.INACTIVE)
    with pytest.raises(ServiceError) as refused:
        users.deactivate_user(session, scim, user_id=main.user_id)
    assert refused.value.code == "users.error.deactivate_main_contact"


@pytest.mark.parametrize(
    "call",
    [
        lambda s, a, uid: users.deactivate_user(s, a, user_id=uid),
        lambda s, a, uid: users.update_profile(s, a, user_id=uid, name="Hacked", language="en"),
        lambda s, a, uid: users.set_user_roles(s, a, user_id=uid, role_ids=[]),
        lambda s, a, uid: user_list.user_detail(s, a, user_id=uid),
        lambda s, a, uid: inviting.revoke_invitation(s, a, user_id=uid),
        lambda s, a, uid: inviting.resend_invitation(s, a, settings=get_settings(), user_id=uid),
    ],
)
def test_users_of_another_company_are_not_found(session, main, call) -> None:
    other = make_company(session, "C-2", "Other AG")
    victim = make_user(session, other.company_id, "victim@other.example", ["buyer"])
    session.commit()
    with pytest.raises(ServiceError) as failure:
        call(session, main, victim.id)
    assert failure.value.code == "admin.not_found"
    session.rollback()
    assert session.get(User, victim.id).name == "Victim"


def test_roles_are_replaced_but_the_main_contact_role_stays(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    session.commit()
    approver = role_id(session, main.company_id, "approver")
    users.set_user_roles(session, main, user_id=ben.id, role_ids=[approver])
    assert users.role_codes_of(session, ben.id) == ["approver"]
    with pytest.raises(ValidationFailed):
        users.set_user_roles(session, main, user_id=main.user_id, role_ids=[approver])
    with pytest.raises(ValidationFailed):
        users.set_user_roles(session, main, user_id=ben.id, role_ids=[])


def test_the_list_searches_filters_sorts_and_pages_in_sql(session, main) -> None:
    for n in range(30):
        make_user(
            session, main.company_id, f"user{n:02d}@acme.example", ["buyer"], name=f"User {n:02d}"
        )
    make_user(session, main.company_id, "anna@acme.example", ["approver"], name="Anna Approver")
    make_user(session, main.company_id, "old@acme.example", ["buyer"], status=UserStatus.INACTIVE)
    other = make_company(session, "C-2", "Other AG")
    make_user(session, other.company_id, "anna@other.example", ["approver"], name="Anna Other")
    session.commit()

    first = user_list.users_page(session, main, query=UserQuery(page_size=25))
    assert (first.total, first.page_count, len(first.rows)) == (33, 2, 25)
    second = user_list.users_page(session, main, query=UserQuery(page=1, page_size=25))
    assert len(second.rows) == 8
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}

    annas = user_list.users_page(session, main, query=UserQuery(search="ANNA"))
    assert [r.email for r in annas.rows] == ["anna@acme.example"]
    assert annas.rows[0].role_codes == ("approver",)
    by_role = user_list.users_page(
        session, main, query=UserQuery(role_id=role_id(session, main.company_id, "approver"))
    )
    assert [r.name for r in by_role.rows] == ["Anna Approver"]
    inactive = user_list.users_page(session, main, query=UserQuery(status=UserStatus.INACTIVE))
    assert [r.email for r in inactive.rows] == ["old@acme.example"]
    newest = user_list.users_page(session, main, query=UserQuery(sort="email", descending=True))
    assert newest.rows[0].email == "user29@acme.example"
    wildcard = user_list.users_page(session, main, query=UserQuery(search="%"))
    assert wildcard.total == 0
    beyond = user_list.users_page(session, main, query=UserQuery(page=99))
    assert beyond.page == 1
