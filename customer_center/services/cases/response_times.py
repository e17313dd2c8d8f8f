"""How fast the account team answers and solves: over the cases of the agent's account teams
opened in a period, how many there were, and the median and mean time to the first answer
and to the solution, computed in SQL (a window over the durations finds the median on both
SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Float, cast
from sqlmodel import Session, col, func, select

from customer_center.domain.cases import TIME_PERIODS
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.base import utcnow
from customer_center.models.case import SupportCase
from customer_center.models.staff import AccountTeamMember

PERIODS = TIME_PERIODS


@dataclass(frozen=True)
class Times:
    count: int  # cases with this time (answered, solved)
    median: timedelta | None
    mean: timedelta | None


@dataclass(frozen=True)
class TeamTimes:
    days: int
    cases: int
    first_answer: Times
    resolution: Times


def _seconds(session: Session, end: Any, start: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _times(session: Session, scope: Any, end: Any) -> Times:
    seconds = cast(_seconds(session, end, SupportCase.created_at), Float).label("s")
    durations = select(seconds).where(*scope, col(end).is_not(None)).subquery()
    ranked = select(
        durations.c.s,
        func.row_number().over(order_by=durations.c.s).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = (ranked.c.rn == (ranked.c.n + 1) // 2) | (ranked.c.rn == (ranked.c.n + 2) // 2)
    median = session.exec(select(func.avg(ranked.c.s)).where(middle)).one()
    count, mean = session.exec(select(func.count(), func.avg(durations.c.s))).one()
    return Times(count, _delta(median), _delta(mean))


def _delta(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=max(round(float(seconds)), 0))


def team_times(session: Session, agent: SellerAgent, *, days: int) -> TeamTimes:
    """The agent's account teams' figures over the cases opened in the last ``days``."""
    agent.require(StaffPermission.VIEW)
    days = days if days in PERIODS else PERIODS[1]
    teams = select(AccountTeamMember.company_id).where(AccountTeamMember.staff_id == agent.agent_id)
    scope = (
        col(SupportCase.company_id).in_(teams),
        col(SupportCase.created_at) >= utcnow() - timedelta(days=days),
    )
    cases = session.exec(select(func.count()).select_from(SupportCase).where(*scope)).one()
    return TeamTimes(
        days,
        cases,
        _times(session, scope, SupportCase.first_answer_at),
        _times(session, scope, SupportCase.solved_at),
    )
