"""The account team's response times over a period, in SQL: medians and means of the time to
the first answer and to the solution, only of the team's companies' cases opened in it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from customer_center.domain.errors import ServiceError
from customer_center.models.base import utcnow
from customer_center.models.case import SupportCase
from customer_center.models.staff import AccountTeamMember
from customer_center.services.cases.response_times import team_times
from tests.order_factories import Shop
from tests.staff_factories import agent_for, make_staff

HOUR = timedelta(hours=1)


def _case(shop: Shop, company_id: int, age: timedelta, answer=None, solve=None) -> None:  # type: ignore[no-untyped-def]
    opened = utcnow() - age
    shop.session.add(
        SupportCase(
            company_id=company_id,
            opened_by_id=shop.ben.id,
            subject="s",
            category="delivery",
            created_at=opened,
            first_answer_at=opened + answer if answer else None,
            solved_at=opened + solve if solve else None,
        )
    )


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


def test_medians_and_means_of_the_team_s_cases_in_the_period(shop: Shop) -> None:
    eva = make_staff(shop.session, "eva@seller.example")
    acme = shop.main.company_id
    shop.session.add(AccountTeamMember(company_id=acme, staff_id=eva.id, team_role="agent"))
    for answer, solve in ((1, 5), (2, None), (4, 30), (10, None)):
        _case(shop, acme, 2 * 24 * HOUR, answer * HOUR, solve * HOUR if solve else None)
    _case(shop, acme, 24 * HOUR)  # not answered yet
    _case(shop, acme, 60 * 24 * HOUR, 500 * HOUR, 900 * HOUR)  # before the period
    _case(shop, shop.other_main.company_id, HOUR, 100 * HOUR)  # another team's company
    shop.session.commit()
    found = team_times(shop.session, agent_for(shop.session, eva), days=30)
    assert (found.days, found.cases) == (30, 5)
    first = found.first_answer
    assert first.count == 4 and first.median == 3 * HOUR  # (2 h + 4 h) / 2
    assert first.mean == 4.25 * HOUR
    solved = found.resolution
    assert solved.count == 2 and solved.median == solved.mean
    assert solved.mean == 17.5 * HOUR
    wider = team_times(shop.session, agent_for(shop.session, eva), days=90)
    assert wider.cases == 6 and wider.first_answer.median == 4 * HOUR  # five: the third
    odd = team_times(shop.session, agent_for(shop.session, eva), days=12345)
    assert odd.days == 30


def test_each_account_team_of_the_agent_gets_its_own_row(shop: Shop) -> None:
    eva = make_staff(shop.session, "eva@seller.example")
    acme, other = shop.main.company_id, shop.other_main.company_id
    for company in (acme, other):
        shop.session.add(AccountTeamMember(company_id=company, staff_id=eva.id, team_role="agent"))
    for hours in (1, 3, 8):
        _case(shop, acme, 24 * HOUR, hours * HOUR, 2 * hours * HOUR)
    _case(shop, other, 24 * HOUR, 20 * HOUR)
    _case(shop, other, 24 * HOUR)
    shop.session.commit()
    found = team_times(shop.session, agent_for(shop.session, eva), days=7)
    assert found.cases == 5 and found.first_answer.median == 5.5 * HOUR  # 1, 3, 8, 20
    acme_row, other_row = found.teams
    assert (acme_row.cases, acme_row.first_answer.median, acme_row.first_answer.mean) == (
        3,
        3 * HOUR,
        4 * HOUR,
    )
    assert acme_row.resolution.median == 6 * HOUR and acme_row.resolution.count == 3
    assert other_row.company == "Other AG" and other_row.cases == 2
    assert other_row.first_answer.median == 20 * HOUR and other_row.resolution.count == 0
    assert other_row.resolution.median is None


def test_an_agent_without_a_team_sees_nothing_and_without_the_right_is_refused(
    shop: Shop,
) -> None:
    otto = make_staff(shop.session, "otto@seller.example")
    _case(shop, shop.main.company_id, HOUR, HOUR)
    shop.session.commit()
    found = team_times(shop.session, agent_for(shop.session, otto), days=7)
    assert found.cases == 0 and found.first_answer.median is None
    nobody = make_staff(shop.session, "nobody@seller.example", [])
    with pytest.raises(ServiceError):
        team_times(shop.session, agent_for(shop.session, nobody), days=7)
