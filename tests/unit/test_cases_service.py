"""Support cases: opening, who sees what, replies and followers, e-mails, the seller's queue,
internal notes, status and response times."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from customer_center.domain.cases import CaseEntryKind, CaseStatus
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.principals import PrincipalKind, acting_for
from customer_center.models.case import CaseEntry, SupportCase
from customer_center.models.outbox import OutboxMessage
from customer_center.models.staff import AccountTeamMember
from customer_center.services.cases import customer, seller
from customer_center.settings import get_settings
from tests.factories import make_user
from tests.order_factories import Shop
from tests.staff_factories import agent_for, make_staff

SETTINGS = get_settings()


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


@pytest.fixture
def team(shop: Shop):  # type: ignore[no-untyped-def]
    """Eva in Acme's account team; Otto in nobody's."""
    eva = make_staff(shop.session, "eva@seller.example", name="Eva Ernst")
    otto = make_staff(shop.session, "otto@seller.example", name="Otto Other")
    shop.session.add(
        AccountTeamMember(company_id=shop.main.company_id, staff_id=eva.id, team_role="agent")
    )
    shop.session.commit()
    return agent_for(shop.session, eva), agent_for(shop.session, otto)


def _open(shop: Shop, user=None, **extra) -> int:  # type: ignore[no-untyped-def]
    case_id = customer.open_case(
        shop.session,
        shop.actor(user or shop.ben),
        subject="Motor arrived damaged",
        category="delivery",
        description="The casing is cracked.",
        **extra,
    )
    shop.session.commit()
    return case_id


def _mails(shop: Shop) -> list[tuple[str, str]]:
    rows = shop.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    return [(m.payload["to"], m.payload["text"]) for m in rows if m.kind == "email"]


def test_a_case_about_an_order_is_opened_and_listed_for_its_opener(shop: Shop) -> None:
    order_id = shop.order().order_id
    case_id = _open(shop, order_id=str(order_id))
    case = shop.session.get(SupportCase, case_id)
    assert case is not None and case.order_id == order_id and case.status == CaseStatus.NEW
    found = customer.list_cases(shop.session, shop.actor(shop.ben))
    assert [r.id for r in found.rows] == [case_id] and found.total == 1
    view = customer.read_case(
        shop.session, shop.actor(shop.ben), case_id=str(case_id), settings=SETTINGS
    )
    assert view.description == "The casing is cracked." and view.order_number.startswith("PO-")


def test_bad_input_names_every_field_and_saves_nothing(shop: Shop) -> None:
    with pytest.raises(ValidationFailed) as refused:
        customer.open_case(
            shop.session, shop.actor(shop.ben), subject=" ", category="nonsense", description=3
        )
    assert set(refused.value.errors) == {"subject", "category", "description"}
    assert shop.session.exec(select(SupportCase)).all() == []


def test_an_order_of_someone_else_cannot_be_linked(shop: Shop) -> None:
    order_id = shop.order(shop.anna).order_id
    with pytest.raises(ValidationFailed) as refused:
        _open(shop, order_id=str(order_id))
    assert "order" in refused.value.errors


def test_colleagues_see_a_case_only_with_the_right_or_as_followers(shop: Shop) -> None:
    case_id = _open(shop)
    tina = shop.actor(shop.tina)  # technician: no cases.view_company
    with pytest.raises(ServiceError, match="cases.error.not_found"):
        customer.read_case(shop.session, tina, case_id=str(case_id), settings=SETTINGS)
    assert customer.list_cases(shop.session, tina).total == 0
    # the main contact and approvers hold cases.view_company
    assert customer.list_cases(shop.session, shop.main).total == 1
    assert customer.list_cases(shop.session, shop.actor(shop.anna)).total == 1
    customer.add_follower(
        shop.session, shop.actor(shop.ben), case_id=str(case_id), user_id=str(shop.tina.id)
    )
    shop.session.commit()
    assert customer.list_cases(shop.session, tina).total == 1


def test_another_company_never_sees_the_case(shop: Shop) -> None:
    case_id = _open(shop)
    with pytest.raises(ServiceError, match="cases.error.not_found"):
        customer.reply(
            shop.session, shop.other_main, case_id=str(case_id), text="hi", settings=SETTINGS
        )
    assert customer.list_cases(shop.session, shop.other_main).total == 0
    other = make_user(shop.session, shop.other_main.company_id, "x@other.example", ["buyer"])
    with pytest.raises(ValidationFailed):
        customer.add_follower(
            shop.session, shop.actor(shop.ben), case_id=str(case_id), user_id=str(other.id)
        )


def test_replying_to_a_colleagues_case_makes_you_a_follower_and_mails_the_others(
    shop: Shop,
) -> None:
    case_id = _open(shop)
    before = len(_mails(shop))
    customer.reply(
        shop.session,
        shop.actor(shop.anna),
        case_id=str(case_id),
        text="Same here",
        settings=SETTINGS,
    )
    shop.session.commit()
    sent = _mails(shop)[before:]
    assert [to for to, _ in sent] == ["ben@acme.example"]  # not Anna, the author
    assert "Same here" in sent[0][1] and f"/cases/{case_id}" in sent[0][1]
    view = customer.read_case(
        shop.session, shop.actor(shop.ben), case_id=str(case_id), settings=SETTINGS
    )
    assert set(view.followers) == {"Ben", "Anna"}


def test_the_seller_queue_is_the_account_teams_and_notes_stay_internal(shop: Shop, team) -> None:  # type: ignore[no-untyped-def]
    eva, otto = team
    case_id = _open(shop)
    _open(shop, shop.main_user())  # a second case of Acme
    assert seller.queue(shop.session, eva).total == 2
    assert seller.queue(shop.session, otto).total == 0
    with pytest.raises(ServiceError, match="cases.error.not_found"):
        seller.read_case(shop.session, otto, case_id=str(case_id), settings=SETTINGS)
    before = len(_mails(shop))
    seller.add_note(shop.session, eva, case_id=str(case_id), text="Check with the carrier")
    seller.reply(
        shop.session, eva, case_id=str(case_id), text="We send a new motor.", settings=SETTINGS
    )
    shop.session.commit()
    sent = _mails(shop)[before:]
    assert [to for to, _ in sent] == ["ben@acme.example"]
    assert "Check with the carrier" not in sent[0][1] and "new motor" in sent[0][1]
    mine = customer.read_case(
        shop.session, shop.actor(shop.ben), case_id=str(case_id), settings=SETTINGS
    )
    assert all(e.kind != CaseEntryKind.NOTE for e in mine.entries)
    assert "Check with the carrier" not in repr(mine)
    theirs = seller.read_case(shop.session, eva, case_id=str(case_id), settings=SETTINGS)
    assert [e.kind for e in theirs.entries][-2:] == [CaseEntryKind.NOTE, CaseEntryKind.MESSAGE]
    assert theirs.row.status == CaseStatus.IN_PROGRESS and theirs.row.assignee == "Eva Ernst"
    assert theirs.first_answer is not None and theirs.total_time is None
    assert seller.queue(shop.session, eva, status=seller.MINE).total == 1


def test_status_solved_measures_total_time_and_a_customer_reply_reopens(shop: Shop, team) -> None:  # type: ignore[no-untyped-def]
    eva, _ = team
    case_id = _open(shop)
    seller.set_status(shop.session, eva, case_id=str(case_id), status="solved")
    shop.session.commit()
    assert (
        seller.read_case(shop.session, eva, case_id=str(case_id), settings=SETTINGS).total_time
        is not None
    )
    assert seller.queue(shop.session, eva).total == 0
    customer.reply(
        shop.session, shop.actor(shop.ben), case_id=str(case_id), text="Not yet", settings=SETTINGS
    )
    shop.session.commit()
    assert shop.session.get(SupportCase, case_id).status == CaseStatus.IN_PROGRESS  # type: ignore[union-attr]
    seller.set_status(shop.session, eva, case_id=str(case_id), status="closed")
    shop.session.commit()
    with pytest.raises(ServiceError, match="cases.error.closed"):
        customer.reply(
            shop.session, shop.actor(shop.ben), case_id=str(case_id), text="x", settings=SETTINGS
        )
    with pytest.raises(ValidationFailed):
        seller.set_status(shop.session, eva, case_id=str(case_id), status="bogus")


def test_assignment_only_to_the_companys_account_team(shop: Shop, team) -> None:  # type: ignore[no-untyped-def]
    eva, otto = team
    case_id = _open(shop)
    with pytest.raises(ValidationFailed):
        seller.assign(shop.session, eva, case_id=str(case_id), staff_id=str(otto.agent_id))
    seller.assign(shop.session, eva, case_id=str(case_id), staff_id=str(eva.agent_id))
    shop.session.commit()
    assert shop.session.get(SupportCase, case_id).assignee_id == eva.agent_id  # type: ignore[union-attr]


def test_every_entry_records_who_acted_and_for_whom(shop: Shop, team) -> None:  # type: ignore[no-untyped-def]
    eva, _ = team
    case_id = _open(shop)
    acting = acting_for(shop.actor(shop.ben), agent_id=eva.agent_id, acting_session_id=7)
    customer.reply(shop.session, acting, case_id=str(case_id), text="For Ben", settings=SETTINGS)
    seller.add_note(shop.session, eva, case_id=str(case_id), text="note")
    shop.session.commit()
    rows = shop.session.exec(
        select(CaseEntry).where(CaseEntry.case_id == case_id).order_by(col(CaseEntry.id))
    ).all()
    assert [(r.actor_kind, r.actor_ref, r.actor_id) for r in rows] == [
        (PrincipalKind.CUSTOMER_USER, shop.ben.id, shop.ben.id),
        (PrincipalKind.SELLER_AGENT, eva.agent_id, shop.ben.id),
        (PrincipalKind.SELLER_AGENT, eva.agent_id, None),
    ]


def test_a_customer_s_message_mails_the_assigned_agent_or_else_the_account_team(
    shop: Shop,
) -> None:
    eva = make_staff(shop.session, "eva@seller.example", name="Eva Ernst")
    karl = make_staff(shop.session, "karl@seller.example", name="Karl Key")
    make_staff(shop.session, "otto@seller.example", name="Otto Other")  # in no team
    for member in (eva, karl):
        shop.session.add(
            AccountTeamMember(
                company_id=shop.main.company_id, staff_id=member.id, team_role="agent"
            )
        )
    shop.session.commit()
    before = len(_mails(shop))
    case_id = _open(shop)  # nobody has the case: the whole team hears of it
    opened = _mails(shop)[before:]
    assert sorted(to for to, _ in opened) == ["eva@seller.example", "karl@seller.example"]
    assert f"/seller/cases/{case_id}" in opened[0][1] and "The casing is cracked." in opened[0][1]
    seller.assign(
        shop.session, agent_for(shop.session, eva), case_id=str(case_id), staff_id=str(eva.id)
    )
    shop.session.commit()
    before = len(_mails(shop))
    customer.reply(
        shop.session,
        shop.actor(shop.ben),
        case_id=str(case_id),
        text="Any news?",
        settings=SETTINGS,
    )
    shop.session.commit()
    sent = _mails(shop)[before:]
    assert [to for to, _ in sent] == ["eva@seller.example"]  # only the case's agent
    assert "Any news?" in sent[0][1] and f"/seller/cases/{case_id}" in sent[0][1]


def test_the_follower_search_pages_matching_colleagues_of_the_company_only(shop: Shop) -> None:
    case_id = _open(shop)
    company = shop.main.company_id
    for n in range(10):
        make_user(
            shop.session, company, f"mueller{n}@acme.example", ["buyer"], name=f"Müller {n:02d}"
        )
    make_user(
        shop.session,
        shop.other_main.company_id,
        "mueller@other.example",
        ["buyer"],
        name="Müller Other",
    )
    shop.session.commit()
    ben = shop.actor(shop.ben)
    first = customer.colleagues(shop.session, ben, case_id=case_id, query="MÜLLER")
    assert [n for _, n, _ in first.rows] == [f"Müller {n:02d}" for n in range(8)] and first.more
    second = customer.colleagues(shop.session, ben, case_id=case_id, query="müller", page=1)
    assert [n for _, n, _ in second.rows] == ["Müller 08", "Müller 09"] and not second.more
    by_mail = customer.colleagues(shop.session, ben, case_id=case_id, query="tina@")
    assert [n for _, n, _ in by_mail.rows] == ["Tina"]
    # Ben (the opener) is no match; nor is anything for an empty query or a LIKE wildcard.
    assert customer.colleagues(shop.session, ben, case_id=case_id, query="ben").rows == []
    for odd in ("", "   ", "%", "_", 12, None, "x" * 5000):
        assert customer.colleagues(shop.session, ben, case_id=case_id, query=odd).rows == []
    assert customer.colleagues(shop.session, ben, case_id=case_id, query="a", page=-3).page == 0
    customer.add_follower(shop.session, ben, case_id=str(case_id), user_id=str(shop.tina.id))
    assert customer.colleagues(shop.session, ben, case_id=case_id, query="tina").rows == []
    with pytest.raises(ServiceError, match="cases.error.not_found"):
        customer.colleagues(shop.session, shop.other_main, case_id=case_id, query="a")
