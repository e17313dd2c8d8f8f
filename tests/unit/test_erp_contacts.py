"""Taking over ERP contacts: only the company's own, not yet users, data from the ERP."""

from __future__ import annotations

import pytest
from sqlmodel import select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.models.user import STATUS_INVITED, User
from customer_center.services import erp_contacts
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


def test_only_contacts_that_are_not_users_yet(session, erp, fabrikat) -> None:
    listed = erp_contacts.contacts_not_yet_users(session, fabrikat, erp)
    assert [c.name for c in listed] == ["Gregor Gans", "Hanna Holz", "Igor Iwanow", "Jana Jung"]
    assert [
        c.contact_id for c in erp_contacts.contacts_not_yet_users(session, fabrikat, erp, "holz")
    ] == ["C-10004-3"]


def test_chosen_contacts_are_invited_with_erp_names_and_addresses(session, erp, fabrikat) -> None:
    buyer = role_id(session, fabrikat.company_id, "buyer")
    ids = erp_contacts.invite_erp_contacts(
        session, fabrikat, get_settings(), erp, ["C-10004-2", "C-10004-4"], (buyer,), "de"
    )
    session.commit()
    invited = [session.get(User, i) for i in ids]
    assert [(u.name, u.email, u.status, u.language) for u in invited] == [
        ("Gregor Gans", "gregor.gans@fabrikat-werkzeugbau.example", STATUS_INVITED, "de"),
        ("Igor Iwanow", "igor.iwanow@fabrikat-werkzeugbau.example", STATUS_INVITED, "de"),
    ]
    assert len(erp_contacts.contacts_not_yet_users(session, fabrikat, erp)) == 2


def test_contacts_of_another_customer_are_refused(session, erp, fabrikat) -> None:
    buyer = role_id(session, fabrikat.company_id, "buyer")
    with pytest.raises(ServiceError) as failure:
        erp_contacts.invite_erp_contacts(
            session, fabrikat, get_settings(), erp, ["C-10001-2"], (buyer,), "en"
        )
    assert failure.value.code == "erp_contacts.unknown"
    session.rollback()
    assert session.exec(select(User).where(User.email.like("ben%"))).first() is None


def test_nothing_selected_or_no_role_is_explained(session, erp, fabrikat) -> None:
    with pytest.raises(ValidationFailed) as none:
        erp_contacts.invite_erp_contacts(session, fabrikat, get_settings(), erp, [], (), "en")
    assert none.value.errors["contacts"][0] == "erp_contacts.none_selected"
    with pytest.raises(ValidationFailed) as no_role:
        erp_contacts.invite_erp_contacts(
            session, fabrikat, get_settings(), erp, ["C-10004-2"], (), "en"
        )
    assert no_role.value.errors["roles"][0] == "users.error.role_required"
