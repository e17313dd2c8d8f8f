"""The seller's company 360: what an agent with seller.view reads about one company, each
look audited in that company's log; unknown companies are "not found", agents without the
right are refused (and leave no trace)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import OrderStatus, StepStatus
from customer_center.domain.people import RuleScope
from customer_center.domain.principals import PrincipalKind, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.approval import ApprovalChain
from customer_center.models.audit import AuditEntry
from customer_center.models.base import utcnow
from customer_center.models.budget import BudgetRule
from customer_center.models.identity import ScimToken, SsoDomain, SsoDomainClaim
from customer_center.models.order import ApprovalStep
from customer_center.presenters import seller as words
from customer_center.services.people.user_list import UserQuery
from customer_center.services.seller.company_orders import company_orders, open_approvals
from customer_center.services.seller.company_setup import company_setup, route_preview
from customer_center.services.seller.company_view import company_overview, company_users
from tests.factories import make_company, make_user, role_id
from tests.journey_factory import make_order

AGENT = SellerAgent(agent_id=7, rights=frozenset({StaffPermission.VIEW}))


def _looks(session: Session, company_id: int) -> list[tuple[str, str, str]]:
    rows = session.exec(
        select(AuditEntry)
        .where(AuditEntry.company_id == company_id, col(AuditEntry.action).startswith("seller."))
        .order_by(col(AuditEntry.id))
    ).all()
    for row in rows:  # the agent's attribution: no customer user
        assert (row.actor_kind, row.actor_ref, row.actor_user_id) == (
            PrincipalKind.SELLER_AGENT,
            7,
            None,
        )
    return [(row.action, row.target_type, row.target_id) for row in rows]


def test_the_overview_shows_activation_main_contact_and_sign_in(db: Engine) -> None:
    with Session(db) as session:
        main = make_company(session, "C-10001", "Müller Maschinenbau")
        make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
        session.add(SsoDomain(domain="mueller.example", company_id=main.company_id))
        claim = SsoDomainClaim(company_id=main.company_id, domain="mm.example", txt_value="x" * 20)
        session.add(claim)
        token = ScimToken(company_id=main.company_id, token_hash="h" * 64, label="Okta")
        session.add(token)
        session.commit()
        view = company_overview(session, AGENT, company_id=main.company_id)
        assert (view.customer_number, view.name) == ("C-10001", "Müller Maschinenbau")
        assert view.main_contact is not None and view.main_contact.email == "main@c-10001.example"
        assert view.main_contact.status == "active"
        assert view.users_by_status == {"active": 2}
        assert view.sign_in.password_sign_in and not view.sign_in.sso_configured
        assert view.sign_in.proven_domains == ["mueller.example"]
        assert view.sign_in.waiting_domains == ["mm.example"]
        assert [t.label for t in view.sign_in.scim_tokens] == ["Okta"]
        assert "h" * 64 not in repr(view)  # never a secret (nor its hash)
        assert _looks(session, main.company_id) == [
            ("seller.viewed_company", "company", str(main.company_id))
        ]
        shown = words.overview(view, "de")
        assert shown["main_contact_status"] == "Aktiv"
        assert shown["activation"].startswith("Freigeschaltet am")
        assert words.sign_in_lines(view.sign_in, "en") == [
            "Sign-in with a password is on.",
            "Single sign-on is not set up.",
            "Proven domains: mueller.example",
            "Domains waiting for proof: mm.example",
        ]
        assert words.token_rows(view.sign_in.scim_tokens, "en")[0]["last_used"] == "Never used"


@pytest.mark.parametrize("company_id", [999_999, "1", None, 2**40])
def test_a_company_that_does_not_exist_is_not_found(db: Engine, company_id: object) -> None:
    with Session(db) as session:
        make_company(session)
        with pytest.raises(ServiceError) as refused:
            company_overview(session, AGENT, company_id=company_id)
        assert refused.value.code == "seller360.error.company_not_found"
        assert (
            session.exec(select(AuditEntry).where(AuditEntry.actor_kind == "seller_agent")).all()
            == []
        )


def test_an_agent_without_seller_view_is_refused_and_leaves_no_trace(db: Engine) -> None:
    stranger = SellerAgent(agent_id=9, rights=frozenset({StaffPermission.MANAGE_STAFF}))
    with Session(db) as session:
        main = make_company(session)
        calls = [
            lambda: company_overview(session, stranger, company_id=main.company_id),
            lambda: company_users(session, stranger, company_id=main.company_id, query=UserQuery()),
            lambda: company_setup(session, stranger, company_id=main.company_id),
            lambda: open_approvals(session, stranger, company_id=main.company_id),
            lambda: company_orders(session, stranger, company_id=main.company_id),
        ]
        for call in calls:
            with pytest.raises(ServiceError) as refused:
                call()
            assert refused.value.code == "error.permission_denied"
        assert _looks(session, main.company_id) == []


def test_users_with_roles_status_and_last_sign_in(db: Engine) -> None:
    with Session(db) as session:
        main = make_company(session)
        make_user(session, main.company_id, "ben@acme.example", ["buyer"], name="Ben")
        make_user(session, main.company_id, "old@acme.example", [], status="inactive")
        session.commit()
        users = company_users(
            session, AGENT, company_id=main.company_id, query=UserQuery(page_size=25)
        )
        assert [r.name for r in users.page.rows] == ["Ben", "Main", "Old"]
        rows = words.user_rows(users, "de")
        assert rows[0]["roles"] == "Einkäufer"  # the company's role names
        assert rows[0]["last_sign_in"] == "Nie angemeldet"
        assert rows[1]["main_contact"] == "Hauptansprechpartner"
        only_ben = company_users(
            session, AGENT, company_id=main.company_id, query=UserQuery(search="ben")
        )
        assert [r.name for r in only_ben.page.rows] == ["Ben"]
        # paging and filtering the same list within a minute is one look
        assert _looks(session, main.company_id) == [
            ("seller.viewed_users", "company", str(main.company_id))
        ]


def test_budgets_and_chains_as_the_customer_set_them_with_the_route(db: Engine) -> None:
    with Session(db) as session:
        main = make_company(session)
        company_id = main.company_id
        ben = make_user(session, company_id, "ben@acme.example", ["buyer"], name="Ben")
        anna = make_user(session, company_id, "anna@acme.example", ["approver"], name="Anna")
        buyer = role_id(session, company_id, "buyer")
        session.add(
            BudgetRule(
                company_id=company_id,
                scope=RuleScope.COMPANY,
                subject_id=0,
                max_order_value_cents=100_000,
            )
        )
        session.add(
            BudgetRule(
                company_id=company_id,
                scope=RuleScope.USER,
                subject_id=ben.id or 0,
                max_quantity_per_order=50,
            )
        )
        session.add(
            ApprovalChain(
                company_id=company_id,
                scope=RuleScope.ROLE,
                subject_id=buyer,
                levels=[{"rule": "any", "approvers": [{"user_id": anna.id}]}],
            )
        )
        session.commit()
        setup = company_setup(session, AGENT, company_id=company_id)
        assert [b.subject.scope for b in setup.budgets] == ["company", "user"]
        assert setup.budgets[1].subject.user_name == "Ben"
        assert [c.levels[0].approvers for c in setup.chains] == [("Anna",)]
        assert words.budget_rows(setup, "en") == [
            {"whose": "Company default", "limits": "At most €1,000.00 per order"},
            {"whose": "Budget of Ben", "limits": "At most 50 pieces per order"},
        ]
        assert words.chain_rows(setup, "en")[0]["levels"].startswith("1) Anna")
        route = route_preview(
            session, AGENT, company_id=company_id, user_id=ben.id, order_value_cents=50_000
        )
        assert [line.people for line in route.lines] == [(("Anna", None),)]
        with pytest.raises(ServiceError):  # a user of another company
            other = make_company(session, "C-2", "Other")
            route_preview(
                session, AGENT, company_id=company_id, user_id=other.user_id, order_value_cents=1
            )
        with pytest.raises(ServiceError):
            route_preview(
                session, AGENT, company_id=company_id, user_id=ben.id, order_value_cents=-1
            )
        assert _looks(session, company_id) == [
            ("seller.viewed_setup", "company", str(company_id)),
            ("seller.viewed_setup", "user", str(ben.id)),
        ]


def test_open_approvals_oldest_first_with_their_age(db: Engine) -> None:
    with Session(db) as session:
        main = make_company(session)
        company_id = main.company_id
        ben = make_user(session, company_id, "ben@acme.example", ["buyer"], name="Ben")
        anna = make_user(session, company_id, "anna@acme.example", ["approver"], name="Anna")
        now = utcnow()
        orders = []
        for days in (1, 5):
            order = make_order(session, company_id, ben.id, status=OrderStatus.PENDING_APPROVAL)
            session.add(
                ApprovalStep(
                    company_id=company_id,
                    order_id=order.id,
                    revision=1,
                    level=0,
                    rule="any",
                    approver_id=anna.id,
                    status=StepStatus.WAITING,
                    due_since=now - timedelta(days=days),
                )
            )
            orders.append(order)
        make_order(session, company_id, ben.id, status=OrderStatus.APPROVED)
        session.commit()
        page = open_approvals(session, AGENT, company_id=company_id)
        assert [row.order_id for row in page.rows] == [orders[1].id, orders[0].id]
        assert page.rows[0].approvers == ["Anna"] and page.rows[0].requester == "Ben"
        assert page.rows[0].age_seconds >= 5 * 86_400
        rows = words.approval_rows(page, "en", utcnow())
        assert rows[0]["age"] == "5 d"


def test_orders_of_the_company_filtered_by_status(db: Engine) -> None:
    with Session(db) as session:
        main = make_company(session)
        company_id = main.company_id
        shipped = make_order(session, company_id, main.user_id, status=OrderStatus.SHIPPED)
        make_order(session, company_id, main.user_id, status=OrderStatus.APPROVED)
        other = make_company(session, "C-2", "Other")
        make_order(session, other.company_id, other.user_id, status=OrderStatus.SHIPPED)
        all_orders = company_orders(session, AGENT, company_id=company_id)
        assert all_orders.total == 2
        only_shipped = company_orders(session, AGENT, company_id=company_id, status="shipped")
        assert [row.id for row in only_shipped.rows] == [shipped.id]
        nonsense = company_orders(session, AGENT, company_id=company_id, status="x' OR 1=1")
        assert nonsense.total == 2
