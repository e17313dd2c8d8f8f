"""Taking over ERP contacts: only the company's own, not yet users, data from the ERP."""

from __future__ import annotations

import pytest
from sqlmodel import select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.models.user import User, UserRole
from customer_center.services.people import erp_contacts
from customer_center.settings import get_settings
from tests.factories import make_company, make_user, role_id


@pytest.fixture
def erp(db):
    import_erp_directory(db, demo_data_dir())
    return EmbeddedErpClient(db)


@pytest.fixture
def fabrikat(session):
    main = make_company(session, "10004", "Fabrikat Werkzeugbau GmbH")
    make_user(session, main.company_id, "frieda.fabrikat@fabrikat-werkzeugbau.example", ["buyer"])
    session.commit()
    return main


def _listed(session, actor, erp, search: str = "", page: int = 0, page_size: int = 25):  # type: ignore[no-untyped-def]
    return erp_contacts.erp_contacts_not_yet_users(
        session, actor, erp=erp, search=search, page=page, page_size=page_size
    )


def _names(session, actor, erp, search: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    return [c.name for c in _listed(session, actor, erp, search).contacts]


def test_only_the_companys_contacts_that_are_not_users_yet(session, erp, fabrikat) -> None:
    listed = _listed(session, fabrikat, erp)
    assert [c.name for c in listed.contacts] == [
        "Gregor Gans",
        "Hanna Holz",
        "Igor Iwanow",
        "Jana Jung",
    ]
    assert all(c.contact_id.startswith("C-10004-") for c in listed.contacts)
    assert [c.contact_id for c in _listed(session, fabrikat, erp, "holz").contacts] == ["C-10004-3"]
    assert _names(session, fabrikat, erp, "IWANOW@") == ["Igor Iwanow"]


def test_an_address_in_use_in_another_company_is_left_out(session, erp, fabrikat) -> None:
    other = make_company(session, "10001", "Other GmbH")
    make_user(session, other.company_id, "Hanna.Holz@fabrikat-werkzeugbau.example".lower(), [])
    session.commit()
    assert "Hanna Holz" not in _names(session, fabrikat, erp)


def test_the_list_comes_in_pages(session, erp, fabrikat) -> None:
    first = _listed(session, fabrikat, erp, page_size=3)
    assert (len(first.contacts), first.total, first.page, first.page_count) == (3, 4, 0, 2)
    second = _listed(session, fabrikat, erp, page=1, page_size=3)
    assert [c.name for c in second.contacts] == ["Jana Jung"]
    beyond = _listed(session, fabrikat, erp, page=99, page_size=3)
    assert (beyond.page, [c.name for c in beyond.contacts]) == (1, ["Jana Jung"])


def test_chosen_contacts_are_invited_with_erp_names_and_addresses(session, erp, fabrikat) -> None:
    buyer = role_id(session, fabrikat.company_id, "buyer")
    ids = erp_contacts.invite_erp_contacts(
        session,
        fabrikat,
        settings=get_settings(),
        erp=erp,
        contact_ids=["C-10004-2", "C-10004-4"],
        role_ids=(buyer,),
        language="de",
    )
    session.commit()
    invited = [session.get(User, i) for i in ids]
    assert [(u.name, u.email, u.status, u.language) for u in invited] == [
        ("Gregor Gans", "gregor.gans@fabrikat-werkzeugbau.example", UserStatus.INVITED, "de"),
        ("Igor Iwanow", "igor.iwanow@fabrikat-werkzeugbau.example", UserStatus.INVITED, "de"),
    ]
    assert _names(session, fabrikat, erp) == ["Hanna Holz", "Jana Jung"]


def test_contacts_of_another_customer_are_refused(session, erp, fabrikat) -> None:
    buyer = role_id(session, fabrikat.company_id, "buyer")
    with pytest.raises(ServiceError) as failure:
        erp_contacts.invite_erp_contacts(
            session,
            fabrikat,
            settings=get_settings(),
            erp=erp,
            contact_ids=["C-10001-2"],
            role_ids=(buyer,),
            language="en",
        )
    assert failure.value.code == "erp_contacts.unknown"
    session.rollback()
    assert session.exec(select(User).where(User.email.like("ben%"))).first() is None


def test_nothing_selected_or_no_role_is_explained(session, erp, fabrikat) -> None:
    with pytest.raises(ValidationFailed) as none:
        erp_contacts.invite_erp_contacts(
            session,
            fabrikat,
            settings=get_settings(),
            erp=erp,
            contact_ids=[],
            role_ids=(),
            language="en",
        )
    assert none.value.errors["contacts"][0] == "erp_contacts.none_selected"
    with pytest.raises(ValidationFailed) as no_role:
        erp_contacts.invite_erp_contacts(
            session,
            fabrikat,
            settings=get_settings(),
            erp=erp,
            contact_ids=["C-10004-2"],
            role_ids=(),
            language="en",
        )
    assert no_role.value.errors["roles"][0] == "users.error.role_required"


def test_each_person_gets_the_roles_chosen_in_their_row(session, erp, fabrikat) -> None:
    buyer = role_id(session, fabrikat.company_id, "buyer")
    approver = role_id(session, fabrikat.company_id, "approver")
    ids = erp_contacts.invite_erp_contacts(
        session,
        fabrikat,
        settings=get_settings(),
        erp=erp,
        contact_ids=["C-10004-2", "C-10004-3", "C-10004-4"],
        role_ids=(buyer,),  # for whoever has no roles of their own
        language="en",
        roles_by_contact={"C-10004-2": (buyer,), "C-10004-3": (approver, buyer)},
    )
    session.commit()
    roles = {
        session.get(User, user_id).name: sorted(  # type: ignore[union-attr]
            session.exec(select(UserRole.role_id).where(UserRole.user_id == user_id)).all()
        )
        for user_id in ids
    }
    assert roles == {
        "Gregor Gans": [buyer],
        "Hanna Holz": sorted([approver, buyer]),
        "Igor Iwanow": [buyer],
    }


def test_a_row_naming_another_company_s_role_invites_nobody(session, erp, fabrikat) -> None:
    other = make_company(session, "C-9", "Other AG")
    session.commit()
    foreign = role_id(session, other.company_id, "buyer")
    buyer = role_id(session, fabrikat.company_id, "buyer")
    with pytest.raises(ValidationFailed) as refused:
        erp_contacts.invite_erp_contacts(
            session,
            fabrikat,
            settings=get_settings(),
            erp=erp,
            contact_ids=["C-10004-2", "C-10004-3"],
            role_ids=(buyer,),
            language="en",
            roles_by_contact={"C-10004-3": (foreign,)},
        )
    session.rollback()
    assert "roles" in refused.value.errors
    assert session.exec(select(User).where(User.email.like("gregor%"))).first() is None
