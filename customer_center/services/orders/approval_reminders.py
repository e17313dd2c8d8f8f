"""Reminders and escalation for approvals that wait too long.

Run by ``customer-center approvals remind`` (cron, a scheduler, or the relay's host every
few minutes). A step waiting longer than ``settings.approval_remind_hours`` e-mails whoever
decides it today (the approver or their substitute) once; if it still waits
``settings.approval_escalate_hours`` after that, the company's main contact is e-mailed once
and may decide it from then on. Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two runs at once never mail twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

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
        .with_for_update(skip_locked=True, of=ApprovalStep)
    )
    return list(session.exec(query).all())


def _days(since: datetime | None, now: datetime) -> int:
    return max(1, (now - since).days) if since else 1


def send_reminders(
    session: Session, settings: Settings, now: datetime | None = None
) -> ReminderReport:
    """Remind and escalate what is due now; returns how many steps got which mail."""
    run = _Run(session, settings, now or utcnow())
    reminded = run.remind()
    escalated = run.escalate()
    session.flush()
    return ReminderReport(reminded, escalated)


@dataclass
class _Run:
    """One run: the deputies of each company read once, each order noted once per kind."""

    session: Session
    settings: Settings
    now: datetime
    today: date = field(default_factory=local_today)
    directories: dict[int, Directory] = field(default_factory=dict)
    noted: set[tuple[int, str]] = field(default_factory=set)

    def directory(self, company_id: int) -> Directory:
        if company_id not in self.directories:
            self.directories[company_id] = load_directory(self.session, company_id)
        return self.directories[company_id]

    def note(self, order: Order, kind: str) -> bool:
        """True the first time ``kind`` is noted for ``order`` in this run."""
        key = (order.id or 0, kind)
        first = key not in self.noted
        self.noted.add(key)
        return first

    def remind(self) -> int:
        """Whoever decides a step that waits too long today is mailed once per order."""
        before = self.now - timedelta(hours=self.settings.approval_remind_hours)
        due = _due(
            self.session,
            col(ApprovalStep.due_since) <= before,
            col(ApprovalStep.reminded_at).is_(None),
        )
        for step, order in due:
            decider = effective_approver(
                step.approver_id, self.directory(order.company_id), self.today
            )
            mailed = f"reminded:{decider.user_id}"
            if decider.user_id != order.requester_id and self.note(order, mailed):
                days = _days(step.due_since, self.now)
                mails.approval_reminder(self.session, self.settings, order, decider.user_id, days)
            step.reminded_at = self.now
            self.session.add(step)
            if self.note(order, EventKind.REMINDED):
                add_event(self.session, order, EventKind.REMINDED, SYSTEM)
        return len(due)

    def escalate(self) -> int:
        """A step still waiting long after its reminder goes to the main contact."""
        before = self.now - timedelta(hours=self.settings.approval_escalate_hours)
        due = _due(
            self.session,
            col(ApprovalStep.reminded_at) <= before,
            col(ApprovalStep.escalated_at).is_(None),
        )
        for step, order in due:
            company = self.directory(order.company_id)
            main = company.main_contact_id
            if self.note(order, EventKind.ESCALATED):
                if main is not None and main != order.requester_id:
                    mails.approval_escalated(
                        self.session,
                        self.settings,
                        order,
                        main,
                        company.names.get(step.approver_id, "?"),
                        _days(step.due_since, self.now),
                    )
                add_event(self.session, order, EventKind.ESCALATED, SYSTEM)
            step.escalated_at = self.now
            self.session.add(step)
        return len(due)
