"""How fast the account team answers and solves: over the cases of the agent's account teams
opened in a period, how many there were, and the median and mean time to the first answer
and to the solution, computed in SQL (a window over the durations finds the median on both
SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Float, Integer, cast, literal
from sqlmodel import Session, col, func, select

from customer_center.domain.cases import TIME_PERIODS
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.base import utcnow
from customer_center.models.case import SupportCase
from customer_center.models.company import Company
from customer_center.models.staff import AccountTeamMember

PERIODS = TIME_PERIODS


@dataclass(frozen=True)
class Times:
    count: int  # cases with this time (answered, solved)
    median: timedelta | None
    mean: timedelta | None


NONE = Times(0, None, None)
TEAMS_SHOWN = 10


@dataclass(frozen=True)
class TeamRow:
    company: str  # the company whose account team it is
    cases: int
    first_answer: Times
    resolution: Times


@dataclass(frozen=True)
class TeamTimes:
    days: int
    cases: int
    first_answer: Times
    resolution: Times
    teams: list[TeamRow]  # the busiest TEAMS_SHOWN, most cases first


def _seconds(session: Session, end: Any, start: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _times(session: Session, scope: Any, end: Any, *, by_company: bool = False) -> dict[int, Times]:
    """Count, median and mean of ``end - created_at`` over the cases in ``scope`` that have an
    ``end``: one entry ``0`` for all of them, or one per company id."""
    group: Any = col(SupportCase.company_id) if by_company else literal(0, Integer)
    seconds = cast(_seconds(session, end, SupportCase.created_at), Float).label("s")
    durations = select(group.label("g"), seconds).where(*scope, col(end).is_not(None)).subquery()
    ranked = select(
        durations.c.g,
        durations.c.s,
        func.row_number().over(partition_by=durations.c.g, order_by=durations.c.s).label("rn"),
        func.count().over(partition_by=durations.c.g).label("n"),
    ).subquery()
    middle = (ranked.c.rn == (ranked.c.n + 1) // 2) | (ranked.c.rn == (ranked.c.n + 2) // 2)
    medians = dict(
        session.exec(
            select(ranked.c.g, func.avg(ranked.c.s)).where(middle).group_by(ranked.c.g)
        ).all()
    )
    rows = session.exec(
        select(durations.c.g, func.count(), func.avg(durations.c.s)).group_by(durations.c.g)
    ).all()
    return {g: Times(count, _delta(medians.get(g)), _delta(mean)) for g, count, mean in rows}


def _delta(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=max(round(float(seconds)), 0))


def team_times(session: Session, agent: SellerAgent, *, days: int) -> TeamTimes:
    """The agent's account teams' figures over the cases opened in the last ``days``: all
    together, and per team (the company it looks after) for the ``TEAMS_SHOWN`` teams with
    the most cases."""
    agent.require(StaffPermission.VIEW)
    days = days if days in PERIODS else PERIODS[1]
    teams = select(AccountTeamMember.company_id).where(AccountTeamMember.staff_id == agent.agent_id)
    scope = (
        col(SupportCase.company_id).in_(teams),
        col(SupportCase.created_at) >= utcnow() - timedelta(days=days),
    )
    cases = session.exec(select(func.count()).select_from(SupportCase).where(*scope)).one()
    answer, solve = SupportCase.first_answer_at, SupportCase.solved_at
    return TeamTimes(
        days,
        cases,
        _times(session, scope, answer).get(0, NONE),
        _times(session, scope, solve).get(0, NONE),
        _per_team(session, scope),
    )


def _per_team(session: Session, scope: Any) -> list[TeamRow]:
    busiest = session.exec(
        select(Company.id, Company.name, func.count(col(SupportCase.id)))
        .join(SupportCase, col(SupportCase.company_id) == Company.id)
        .where(*scope)
        .group_by(col(Company.id), col(Company.name))
        .order_by(func.count(col(SupportCase.id)).desc(), col(Company.name))
        .limit(TEAMS_SHOWN)
    ).all()
    answers = _times(session, scope, SupportCase.first_answer_at, by_company=True)
    solutions = _times(session, scope, SupportCase.solved_at, by_company=True)
    return [
        TeamRow(name, count, answers.get(cid or 0, NONE), solutions.get(cid or 0, NONE))
        for cid, name, count in busiest
    ]
