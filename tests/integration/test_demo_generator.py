"""The benchmark dataset: its shape, its consistency, and that the portal can use it."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.auth.passwords import verify_password
from customer_center.demo.generator import DEMO_PASSWORD, Scale, company_plans, generate
from customer_center.domain.order_states import OrderStatus, StepStatus
from customer_center.models.company import Company
from customer_center.models.order import ApprovalStep, Order, OrderLine
from customer_center.models.user import User
from customer_center.services.people.chains import route_for_order
from customer_center.services.people.user_list import UserQuery, users_page
from tests.factories import actor_for

SMALL = Scale(companies=4, users=60, orders=300, largest_users=30, largest_orders=150)


def test_the_plans_add_up_to_the_scale_with_the_largest_company_first() -> None:
    plans = company_plans(Scale())
    assert len(plans) == 1_000
    assert sum(p.users for p in plans) == 50_000
    assert sum(p.orders for p in plans) == 500_000
    assert (plans[0].users, plans[0].orders) == (5_000, 100_000)
    assert max(p.users for p in plans[1:]) < plans[0].users


def test_a_small_dataset_is_written_whole_and_consistent(db: Engine) -> None:
    report = generate(db, SMALL, progress=lambda _line: None)
    with Session(db) as session:
        assert session.exec(select(func.count()).select_from(Company)).one() == 4
        assert session.exec(select(func.count()).select_from(User)).one() == 60
        assert session.exec(select(func.count()).select_from(Order)).one() == 300
        largest = session.exec(select(Company).order_by(col(Company.id))).first()
        assert largest is not None
        largest_orders = select(func.count()).where(Order.company_id == largest.id)
        assert session.exec(largest_orders.select_from(Order)).one() == 150
        line_sums = dict(
            session.exec(
                select(OrderLine.order_id, func.sum(OrderLine.line_total_cents)).group_by(
                    col(OrderLine.order_id)
                )
            ).all()
        )
        orders = session.exec(select(Order)).all()
        assert all(line_sums[order.id] == order.total_cents for order in orders)
        pending = [order.id for order in orders if order.status == OrderStatus.PENDING_APPROVAL]
        waiting = set(
            session.exec(
                select(ApprovalStep.order_id).where(ApprovalStep.status == StepStatus.WAITING)
            ).all()
        )
        assert pending and set(pending) == waiting
        assert report.rows > 300 + 60


def test_generated_users_sign_in_and_the_services_read_their_data(db: Engine) -> None:
    generate(db, SMALL, progress=lambda _line: None)
    with Session(db) as session:
        main = session.exec(select(User).where(User.is_main_contact).order_by(col(User.id))).first()
        assert main is not None and main.password_hash is not None
        assert verify_password(DEMO_PASSWORD, main.password_hash)
        page = users_page(session, actor_for(session, main), query=UserQuery(page_size=25))
        assert page.total == 30
        route = route_for_order(
            session, main.company_id, main.id + 1, 2_000_000, main.created_at.date()
        )  # type: ignore[operator]
        assert [step.level for step in route] == [1, 2]


def test_a_second_run_adds_to_what_is_there(db: Engine) -> None:
    generate(db, SMALL, progress=lambda _line: None)
    generate(db, SMALL, seed=7, progress=lambda _line: None)
    with Session(db) as session:
        assert session.exec(select(func.count()).select_from(Company)).one() == 8
        # Ids keep counting after bulk writes with explicit ids (sequences moved on).
        company = Company(customer_number="AFTER-DEMO", name="After the demo")
        session.add(company)
        session.commit()
        assert company.id == 9
