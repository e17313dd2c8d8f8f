"""Reminders and escalation for approvals that wait too long.

Run by ``customer-center approvals remind`` (cron, a scheduler, or the relay's host every
few minutes). A step waiting longer than ``settings.approval_remind_hours`` e-mails whoever
decides it today (the approver or their substitute) once; if it still waits
``settings.approval_escalate_hours`` after that, the company's main contact is e-mailed once
and may decide it from then on. Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two runs at once never mail twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from customer_center.domain.chains import Directory, effective_approver
from customer_center.domain.order_states import EventKind, OrderStatus, StepStatus
from customer_center.domain.principals import SYSTEM
from customer_center.models.base import utcnow
from customer_center.models.order import ApprovalStep, Order
from customer_center.services.orders import mails
from customer_center.services.orders.events import add_event
from customer_center.services.people.budgets import local_today
from customer_center.services.people.chains import load_directory
from customer_center.settings import Settings

BATCH = 500


@dataclass(frozen=True)
class ReminderReport:
    reminded: int
    escalated: int


def _due(session: Session, *conditions: object) -> list[tuple[ApprovalStep, Order]]:
    query = (
        select(ApprovalStep, Order)
        .join(Order, col(Order.id) == col(ApprovalStep.order_id))
        .where(
            ApprovalStep.status == StepStatus.WAITING,
            Order.status == OrderStatus.PENDING_APPROVAL,
            *conditions,  # type: ignore[arg-type]
        )
        .order_by(col(ApprovalStep.id))
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=ApprovalStep)  # type: ignore[arg-type]
    )
    return list(session.exec(query).all())  # type: ignore[arg-type]


def _days(since: datetime | None, now: datetime) -> int:
    return max(1, (now - since).days) if since else 1


def send_reminders(
    session: Session, settings: Settings, now: datetime | None = None
) -> ReminderReport:
    """Remind and escalate what is due now; returns how many steps got which mail."""
    now = now or utcnow()
    today = local_today()
    directories: dict[int, Directory] = {}

    def directory(company_id: int) -> Directory:
        if company_id not in directories:
            directories[company_id] = load_directory(session, company_id)
        return directories[company_id]

    reminded = 0
    noted: set[tuple[int, str]] = set()
    remind_before = now - timedelta(hours=settings.approval_remind_hours)
    for step, order in _due(
        session,
        col(ApprovalStep.due_since) <= remind_before,
        col(ApprovalStep.reminded_at).is_(None),
    ):
        decider = effective_approver(step.approver_id, directory(order.company_id), today)
        mailed = (order.id, f"reminded:{decider.user_id}")
        if decider.user_id != order.requester_id and mailed not in noted:
            days = _days(step.due_since, now)
            mails.approval_reminder(session, settings, order, decider.user_id, days)
            noted.add(mailed)  # type: ignore[arg-type]
        step.reminded_at = now
        session.add(step)
        reminded += 1
        if (order.id, EventKind.REMINDED) not in noted:  # type: ignore[comparison-overlap]
            add_event(session, order, EventKind.REMINDED, SYSTEM)
            noted.add((order.id, EventKind.REMINDED))  # type: ignore[arg-type]

    escalated = 0
    escalate_before = now - timedelta(hours=settings.approval_escalate_hours)
    for step, order in _due(
        session,
        col(ApprovalStep.reminded_at) <= escalate_before,
        col(ApprovalStep.escalated_at).is_(None),
    ):
        company = directory(order.company_id)
        main = company.main_contact_id
        first = (order.id, EventKind.ESCALATED) not in noted  # type: ignore[comparison-overlap]
        if main is not None and main != order.requester_id and first:
            mails.approval_escalated(
                session,
                settings,
                order,
                main,
                company.names.get(step.approver_id, "?"),
                _days(step.due_since, now),
            )
        step.escalated_at = now
        session.add(step)
        escalated += 1
        if (order.id, EventKind.ESCALATED) not in noted:  # type: ignore[comparison-overlap]
            add_event(session, order, EventKind.ESCALATED, SYSTEM)
            noted.add((order.id, EventKind.ESCALATED))  # type: ignore[arg-type]
    session.flush()
    return ReminderReport(reminded, escalated)
