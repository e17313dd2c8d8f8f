"""The approval of one order revision as a pure state machine over its steps.

A route has levels, decided one after the other; each level names its approvers and a rule:
``any`` (one approval settles the level, the others are skipped) or ``all`` (every member
approves). Only the current level's steps wait; later ones are queued. The order is approved
when its last level is settled, rejected by any one rejection (which ends it: every step not
yet decided is skipped). Nobody decides their own order, not even as someone's substitute.

Who decides a step is the caller's knowledge (:class:`Decider`: the designated approvers a
person stands in for today, whether they are the main contact); the services load the steps,
call :func:`approve` or :func:`reject`, and store what the :class:`Outcome` says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import OrderStatus, StepRule, StepStatus

OPEN = frozenset({StepStatus.WAITING, StepStatus.QUEUED})


@dataclass(frozen=True)
class Step:
    """One approver's part in one level (``key``: the stored step's id)."""

    key: int
    level: int  # 0-based
    rule: str  # StepRule
    approver_id: int  # the designated approver
    status: str = StepStatus.QUEUED
    escalated: bool = False  # the main contact may decide it
    decided_by: int | None = None


@dataclass(frozen=True)
class Decider:
    """A person as the steps see them: who they are, whom they stand in for today, whether
    they are the company's main contact, whether they hold the right to decide at all."""

    user_id: int
    stands_in_for: frozenset[int] = frozenset()
    is_main_contact: bool = False
    may_decide: bool = True

    @property
    def deciding_for(self) -> frozenset[int]:
        return self.stands_in_for | {self.user_id}

    def decides(self, step: Step) -> bool:
        """May this person decide ``step`` (whatever its status)?"""
        if not self.may_decide:
            return False
        return step.approver_id in self.deciding_for or (self.is_main_contact and step.escalated)


@dataclass(frozen=True)
class Outcome:
    """What one decision changes: the steps' new statuses, which of them the decider
    decided, which became due, and the order's status afterwards."""

    statuses: dict[int, StepStatus]  # key -> new status, for every step that changed
    decided: frozenset[int]  # keys decided by the decider
    started: frozenset[int]  # keys that became due (the next level)
    level: int  # the level decided
    on_behalf_of: tuple[int, ...]  # designated approvers decided for (not the decider)
    order_status: OrderStatus
    decided_by: int  # the decider

    @property
    def final(self) -> bool:
        return self.order_status != OrderStatus.PENDING_APPROVAL


def first_status(level: int) -> StepStatus:
    """The status of a new step: the first level waits, later ones are queued."""
    return StepStatus.WAITING if level == 0 else StepStatus.QUEUED


def current_level(steps: Iterable[Step]) -> int | None:
    """The level that waits for decisions, None once none does."""
    return min((s.level for s in steps if s.status == StepStatus.WAITING), default=None)


def decidable(steps: Iterable[Step], decider: Decider, requester_id: int) -> list[Step]:
    """The waiting steps ``decider`` decides (none on their own order)."""
    if decider.user_id == requester_id:
        return []
    return [s for s in steps if s.status == StepStatus.WAITING and decider.decides(s)]


def part_of(steps: Sequence[Step], decider: Decider, requester_id: int) -> list[Step]:
    if decider.user_id == requester_id:
        raise ServiceError("approvals.error.own_order")
    mine = decidable(steps, decider, requester_id)
    if not mine:
        raise ServiceError("approvals.error.not_yours")
    level = min(s.level for s in mine)
    return [s for s in mine if s.level == level]


def approve(steps: Sequence[Step], decider: Decider, requester_id: int) -> Outcome:
    """The decider approves their part of the current level ("any": the level is settled;
    "all": once every member approved). A settled level starts the next; the last one
    approves the order. Refused (``ServiceError``) on one's own order or with nothing to
    decide."""
    mine = part_of(steps, decider, requester_id)
    level, decided = mine[0].level, frozenset(s.key for s in mine)
    statuses = {key: StepStatus.APPROVED for key in decided}
    # "any": the level is settled by this approval, its other members are skipped.
    others = [s for s in steps if s.level == level and s.key not in decided]
    for step in others:
        if step.status == StepStatus.WAITING and step.rule == StepRule.ANY:
            statuses[step.key] = StepStatus.SKIPPED
    after = [replace(s, status=statuses.get(s.key, s.status)) for s in steps]
    queued = [s for s in after if s.status == StepStatus.QUEUED]
    started: frozenset[int] = frozenset()
    status = OrderStatus.PENDING_APPROVAL
    if not any(s.level == level and s.status == StepStatus.WAITING for s in after):
        if queued:
            next_level = min(s.level for s in queued)
            started = frozenset(s.key for s in queued if s.level == next_level)
            statuses.update({key: StepStatus.WAITING for key in started})
        else:
            status = OrderStatus.APPROVED
    return Outcome(
        statuses, decided, started, level, _behalf(mine, decider), status, decider.user_id
    )


def reject(steps: Sequence[Step], decider: Decider, requester_id: int) -> Outcome:
    """The decider rejects: their steps of the current level are rejected, every other step
    not yet decided is skipped, and the order is rejected."""
    mine = part_of(steps, decider, requester_id)
    decided = frozenset(s.key for s in mine)
    statuses = {key: StepStatus.REJECTED for key in decided}
    for step in steps:
        if step.key not in decided and step.status in OPEN:
            statuses[step.key] = StepStatus.SKIPPED
    return Outcome(
        statuses,
        decided,
        frozenset(),
        mine[0].level,
        _behalf(mine, decider),
        OrderStatus.REJECTED,
        decider.user_id,
    )


def _behalf(mine: Iterable[Step], decider: Decider) -> tuple[int, ...]:
    return tuple(sorted({s.approver_id for s in mine if s.approver_id != decider.user_id}))


def applied(steps: Sequence[Step], outcome: Outcome) -> list[Step]:
    """The steps after ``outcome`` (what the database holds once it is stored)."""
    return [
        replace(
            s,
            status=outcome.statuses.get(s.key, s.status),
            decided_by=outcome.decided_by if s.key in outcome.decided else s.decided_by,
        )
        for s in steps
    ]


def level_settled(steps: Iterable[Step], level: int) -> bool:
    """Is the level's rule met: "any" one approval, "all" every member's?"""
    members = [s for s in steps if s.level == level]
    approved = [s for s in members if s.status == StepStatus.APPROVED]
    if not members:
        return True
    if members[0].rule == StepRule.ALL:
        return len(approved) == len(members)
    return bool(approved)
