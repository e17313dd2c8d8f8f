"""SCIM mapping: users and roles as SCIM resources and back, filters as SQL, the
provisioning service behind the endpoint (audit with the token as actor, roles as groups)."""

from __future__ import annotations

import pytest
from scim2_models import InvalidFilterException, ScimFilter
from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import BUILTIN_ROLE_ORDER
from customer_center.domain.principals import ScimClient
from customer_center.http.scim.filters import user_condition
from customer_center.http.scim.mapping import (
    group_resource,
    member_ids,
    user_fields,
    user_resource,
)
from customer_center.http.scim.schema import Group, Name, User
from customer_center.models.audit import AuditEntry
from customer_center.models.user import Role
from customer_center.models.user import User as PortalUser
from customer_center.presenters import audit as audit_words
from customer_center.presenters.people import builtin_role_names, role_name
from customer_center.services import audit_log
from customer_center.services.audit_log import AuditFilter
from customer_center.services.identity import provisioning
from customer_center.services.identity.provisioning import UserFields
from tests.factories import make_company, make_user, role_id


def _actor(main) -> ScimClient:  # type: ignore[no-untyped-def]
    return ScimClient(token_id=1, company_id=main.company_id, label="Okta")


def test_a_user_as_scim_resource(session: Session) -> None:
    main = make_company(session)
    user = make_user(session, main.company_id, "ben@c-1.example", ["buyer"], name="Ben Schmidt")
    user.external_id, user.language = "00u1", "de"
    buyer = session.get(Role, role_id(session, main.company_id, "buyer"))
    resource = user_resource(user, [buyer])  # type: ignore[list-item]
    dumped = resource.model_dump()
    assert dumped["userName"] == "ben@c-1.example" and dumped["displayName"] == "Ben Schmidt"
    assert dumped["emails"] == [{"value": "ben@c-1.example", "type": "work", "primary": True}]
    assert (dumped["externalId"], dumped["preferredLanguage"], dumped["active"]) == (
        "00u1",
        "de",
        True,
    )
    gid = buyer.id  # type: ignore[union-attr]
    assert dumped["groups"] == [
        {"value": f"{gid}", "$ref": f"Groups/{gid}", "display": "Buyer", "type": "direct"}
    ]
    user.status = UserStatus.INACTIVE
    again = user_resource(user, [buyer])  # type: ignore[list-item]
    assert again.active is False
    assert again.meta.version != resource.meta.version  # type: ignore[union-attr]  # the ETag


def test_invited_users_count_as_active() -> None:
    invited = PortalUser(
        id=1, company_id=1, email="a@b.example", name="A", status=UserStatus.INVITED
    )
    assert user_resource(invited, []).active is True


@pytest.mark.parametrize(
    ("resource", "name", "language"),
    [
        (
            User(user_name="a@b.example", display_name="Ann Bell", preferred_language="de-CH"),
            "Ann Bell",
            "de",
        ),
        (User(user_name="a@b.example", name=Name(formatted="Ann B.")), "Ann B.", "en"),
        (
            User(user_name="a@b.example", name=Name(given_name="Ann", family_name="Bell")),
            "Ann Bell",
            "en",
        ),
        (User(user_name="ann@b.example", preferred_language="fr"), "ann", "en"),
    ],
)
def test_user_fields_from_a_resource(resource: User, name: str, language: str) -> None:
    fields = user_fields(resource)
    assert (fields.email, fields.name, fields.language, fields.active) == (
        resource.user_name,
        name,
        language,
        True,
    )


def test_an_unknown_language_keeps_the_current_one() -> None:
    current = PortalUser(company_id=1, email="a@b.example", name="A", language="de")
    fields = user_fields(
        User(user_name="a@b.example", preferred_language="xx", active=False), current
    )
    assert fields.language == "de" and fields.active is False


def test_members_and_builtin_group_names(session: Session) -> None:
    main = make_company(session)
    main_role = session.get(Role, role_id(session, main.company_id, "main_contact"))
    group = group_resource(main_role, [])  # type: ignore[arg-type]
    assert group.display_name == "Main contact" and group.members is None
    assert member_ids(Group(display_name="x", members=[{"value": "12"}, {"value": "abc"}])) == {
        12,
        -1,
    }


def _emails(session: Session, company_id: int, text: str) -> list[str]:
    condition = user_condition(ScimFilter[User](text).ast)
    rows = session.exec(
        select(PortalUser.email)
        .where(PortalUser.company_id == company_id, condition)
        .order_by(col(PortalUser.email))
    ).all()
    return list(rows)


def test_filters_run_in_sql(session: Session) -> None:
    main = make_company(session)
    ben = make_user(session, main.company_id, "ben@c-1.example", ["buyer"], name="Ben Schmidt")
    ben.external_id = "ext-ben"
    make_user(session, main.company_id, "clara@c-1.example", ["buyer"], status=UserStatus.INACTIVE)
    other = make_company(session, "C-2")
    make_user(session, other.company_id, "ben@c-2.example", ["buyer"])
    session.flush()
    c1 = main.company_id
    assert _emails(session, c1, 'userName eq "BEN@c-1.example"') == ["ben@c-1.example"]
    assert _emails(session, c1, 'externalId eq "ext-ben"') == ["ben@c-1.example"]
    assert _emails(session, c1, 'emails[value eq "clara@c-1.example"]') == ["clara@c-1.example"]
    assert _emails(session, c1, "active eq false") == ["clara@c-1.example"]
    assert _emails(session, c1, 'userName sw "ben" or displayName co "lara"') == [
        "ben@c-1.example",
        "clara@c-1.example",
    ]
    assert _emails(session, c1, 'not (userName ew "c-1.example")') == []
    assert _emails(session, c1, 'userName co "%" and active eq true') == []
    assert _emails(session, c1, "externalId pr") == ["ben@c-1.example"]
    for unsupported in ('title eq "x"', 'userName gt "a"', 'active eq "yes"'):
        with pytest.raises(InvalidFilterException):
            user_condition(ScimFilter[User](unsupported).ast)


def _fields(email: str, **changes: object) -> UserFields:
    values: dict[str, object] = {
        "email": email,
        "name": "Dora Diaz",
        "language": "en",
        "external_id": "ext-dora",
        "active": True,
    }
    values.update(changes)
    return UserFields(**values)  # type: ignore[arg-type]


def test_created_users_are_audited_with_the_token_as_actor(session: Session) -> None:
    main = make_company(session)
    scim = _actor(main)
    user_id = provisioning.create_user(session, scim, fields=_fields("Dora@C-1.example"))
    user = session.get(PortalUser, user_id)
    assert user is not None and user.email == "dora@c-1.example" and user.password_hash is None
    entry = session.exec(select(AuditEntry)).one()
    assert (entry.action, entry.actor_user_id, entry.session_id) == ("user.created", None, None)
    page = audit_log.audit_page(session, main, audit_filter=AuditFilter())
    rows = audit_words.page_rows(page, "en")
    assert rows[0]["who"] == "SCIM token Okta"
    assert "Okta" not in rows[0]["changes"]
    with pytest.raises(ValidationFailed) as taken:
        provisioning.create_user(session, scim, fields=_fields("dora@c-1.example"))
    assert taken.value.errors["email"][0] == "users.error.email_taken"


def test_replace_changes_only_what_differs_and_deactivates(session: Session) -> None:
    main = make_company(session)
    scim = _actor(main)
    user_id = provisioning.create_user(session, scim, fields=_fields("dora@c-1.example"))
    before = len(session.exec(select(AuditEntry)).all())
    provisioning.replace_user(session, scim, user_id=user_id, fields=_fields("dora@c-1.example"))
    assert len(session.exec(select(AuditEntry)).all()) == before  # nothing changed
    provisioning.replace_user(
        session,
        scim,
        user_id=user_id,
        fields=_fields("dora.diaz@c-1.example", name="Dora D", active=False),
    )
    user = session.get(PortalUser, user_id)
    assert user is not None
    assert (user.email, user.name, user.status) == (
        "dora.diaz@c-1.example",
        "Dora D",
        UserStatus.INACTIVE,
    )
    actions = session.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))).all()
    assert actions[-3:] == ["user.email_changed", "user.profile_changed", "user.deactivated"]


def test_the_main_contact_cannot_be_deactivated_nor_their_group_changed(session: Session) -> None:
    main = make_company(session)
    scim = _actor(main)
    with pytest.raises(ServiceError) as refused:
        provisioning.deactivate(session, scim, user_id=main.user_id)
    assert refused.value.code == "users.error.deactivate_main_contact"
    main_role = role_id(session, main.company_id, "main_contact")
    with pytest.raises(ServiceError) as group:
        provisioning.set_members(session, scim, role_id=main_role, member_ids=set())
    assert group.value.code == "scim.error.main_contact_group"


def test_groups_are_roles_without_rights_and_members_are_holders(session: Session) -> None:
    main = make_company(session)
    scim = _actor(main)
    ben = make_user(session, main.company_id, "ben@c-1.example", ["buyer"])
    other = make_company(session, "C-2")
    stranger = make_user(session, other.company_id, "x@c-2.example", ["buyer"])
    group_id = provisioning.create_group(
        session,
        scim,
        name="Engineering",
        external_id="grp-1",
        member_ids={ben.id},  # type: ignore[arg-type]
        builtin_names=builtin_role_names,
    )
    role = session.get(Role, group_id)
    assert role is not None and not role.is_builtin and role.external_id == "grp-1"
    assert provisioning.holders(session, group_id) == {ben.id}
    with pytest.raises(ServiceError) as foreign:
        provisioning.set_members(session, scim, role_id=group_id, member_ids={stranger.id})  # type: ignore[arg-type]
    assert foreign.value.code == "scim.error.unknown_member"
    with pytest.raises(ServiceError):  # a role of another company is "not found"
        provisioning.set_members(session, _actor(other), role_id=group_id, member_ids=set())
    with pytest.raises(ServiceError) as builtin:
        buyer = role_id(session, main.company_id, "buyer")
        provisioning.replace_group(
            session,
            scim,
            role_id=buyer,
            name="Purchasers",
            external_id=None,
            member_ids={ben.id},  # type: ignore[arg-type]
            builtin_names=builtin_role_names,
        )
    assert builtin.value.code == "roles.error.builtin"
    provisioning.delete_group(session, scim, role_id=group_id)
    assert session.get(Role, group_id) is None
    assert provisioning.holders(session, group_id) == set()


def test_last_modified_follows_changes_of_the_row(session: Session) -> None:
    main = make_company(session)
    user = make_user(session, main.company_id, "ben@c-1.example", ["buyer"], name="Ben Schmidt")
    created = user_resource(user, []).meta
    user.name = "Ben Schmidt-Meyer"
    session.add(user)
    session.commit()
    session.refresh(user)
    changed = user_resource(user, []).meta
    assert changed.created == created.created  # type: ignore[union-attr]
    assert changed.last_modified > created.last_modified  # type: ignore[union-attr,operator]
    role = session.get(Role, role_id(session, main.company_id, "buyer"))
    group_meta = group_resource(role, None).meta  # type: ignore[arg-type]
    assert group_meta.created.year > 2000  # type: ignore[union-attr]


def test_builtin_group_names_are_the_english_role_names() -> None:
    """Towards the identity provider a built-in role keeps the English name it always had."""
    for code, name in provisioning.BUILTIN_GROUP_NAMES.items():
        assert name == role_name("en", code, "", True)
    assert set(provisioning.BUILTIN_GROUP_NAMES) == set(BUILTIN_ROLE_ORDER)
