"""The running portal for the socket benchmarks, and signed-in users of the largest company.

The portal's backend runs as ``customer-center serve`` runs it (customer_center/production.py:
uvicorn workers, no per-message deflate, the compiled state tree) without the built frontend,
which the socket clients do not load (and whose build directory the browser tests share).
One worker keeps the sessions' state in memory; several workers share it through Redis. For
comparison it also runs under Granian, as ``reflex run --env prod --backend-only`` does.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bench.serve import ROOT, WITH_NODE, free_port, portal_env, stop
from customer_center import production
from customer_center.domain.order_states import StepStatus
from customer_center.settings import load_settings

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
START_TIMEOUT_S = 300
PRODUCTION_SERVER = "uvicorn"  # what production.web_command starts
SERVERS = (PRODUCTION_SERVER, "granian")


def bench_database_url() -> str:
    return os.environ.get("CC_BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def use_bench_database() -> None:
    """Point this process's settings at the benchmark database (before the engine exists)."""
    os.environ["CC_DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("CC_DATA_DIR", tempfile.mkdtemp(prefix="cc-bench-"))


@dataclass(frozen=True)
class SimUser:
    user_id: int
    cookie: str
    approver: bool  # may decide approvals and has some waiting


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"portal exited:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/ping", timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"portal did not start:\n{log.read_text()[-4000:]}")


def _flush_redis(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()


def _backend_command(
    server: str, port: int, workers: int, env: dict[str, str], app: str
) -> list[str]:
    """The backend's command line for ``server`` (uvicorn serving ``app``); ``env`` gets
    what that server needs."""
    if server == "granian":
        env["GRANIAN_WORKERS"] = str(workers)
        command = [str(WITH_NODE), "reflex", "run", "--env", "prod", "--backend-only"]
        return [*command, "--backend-port", str(port)]
    if server != PRODUCTION_SERVER:
        raise ValueError(f"unknown server {server!r}: one of {', '.join(SERVERS)}")
    settings = dataclasses.replace(load_settings(), host="127.0.0.1", port=port, workers=workers)
    env.update(production.web_env(env))
    env.pop("__REFLEX_MOUNT_FRONTEND_COMPILED_APP")  # the backend only
    return [*production.web_command(settings)[:-1], app]


@contextmanager
def running_portal(
    workers: int = 1,
    redis_url: str = "",
    database_url: str = "",
    *,
    flush: bool = True,
    server: str = PRODUCTION_SERVER,
    app: str = production.APP_TARGET,
) -> Iterator[tuple[str, int]]:
    """Start the backend (on the benchmark database unless another is named), yield its
    URL and process id, stop it afterwards. ``flush`` empties the Redis database first.
    ``server``: uvicorn (as production serves; ``app`` the factory it calls) or granian
    (what ``reflex run`` picks)."""
    if redis_url and flush:
        _flush_redis(redis_url)
    port = free_port()
    env = portal_env(database_url or bench_database_url(), port)
    env.update(CC_REDIS_URL=redis_url, CC_WORKERS=str(workers))
    # In production the relay is a process of its own; the workers only serve events.
    env["CC_EMBEDDED_RELAY"] = "0"
    log = Path(env["CC_DATA_DIR"]) / "portal.log"
    command = _backend_command(server, port, workers, env, app)
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_serving(env["CC_BASE_URL"], process, log)
        yield env["CC_BASE_URL"], process.pid
    finally:
        stop(process)


def backend_rss(pid: int) -> int:
    """Resident memory of the backend's processes (supervisor and workers), bytes."""
    total = 0
    for proc in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def backend_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the backend's processes have used so far."""
    total = 0.0
    for proc in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def largest_company(engine: Engine) -> int:
    from customer_center.models.order import Order

    with Session(engine) as session:
        return int(
            session.exec(
                select(Order.company_id)
                .group_by(col(Order.company_id))
                .order_by(func.count().desc())
                .limit(1)
            ).one()
        )


def _approvers(session: Session, company_id: int, count: int) -> list[int]:
    """The largest company's approvers with the most orders waiting for them."""
    from customer_center.models.order import ApprovalStep

    rows = session.exec(
        select(ApprovalStep.approver_id)
        .where(ApprovalStep.company_id == company_id, ApprovalStep.status == StepStatus.WAITING)
        .group_by(col(ApprovalStep.approver_id))
        .order_by(func.count().desc())
        .limit(count)
    ).all()
    return [int(r) for r in rows if r is not None]


def _buyers(session: Session, company_id: int, count: int, skip: set[int]) -> list[int]:
    """Active users of the company who may order (checked against their roles)."""
    from customer_center.auth.principals import rights_of
    from customer_center.domain.people import UserStatus
    from customer_center.domain.permissions import Permission
    from customer_center.models.user import User

    found: list[int] = []
    candidates = session.exec(
        select(User.id)
        .where(User.company_id == company_id, User.status == UserStatus.ACTIVE)
        .order_by(col(User.id))
    ).all()
    for user_id in candidates:
        if len(found) == count:
            break
        if user_id is None or user_id in skip:
            continue
        if Permission.ORDERS_CREATE in rights_of(session, user_id, company_id):
            found.append(user_id)
    return found


def sign_in_users(engine: Engine, count: int, approver_share: float = 0.3) -> list[SimUser]:
    """Open a session (cookie) for ``count`` users of the largest company: about
    ``approver_share`` of them approvers with orders waiting, the rest buyers, mixed so
    that the first ``n`` of them have that share too (a run with fewer users)."""
    from customer_center.auth.sessions import open_session
    from customer_center.models.user import User

    company_id = largest_company(engine)
    with Session(engine) as session:
        approvers = _approvers(session, company_id, max(1, int(count * approver_share)))
        buyers = _buyers(session, company_id, count - len(approvers), set(approvers))
        users = []
        for user_id in _mixed(approvers, buyers):
            user = session.get(User, user_id)
            assert user is not None
            cookie = open_session(session, user, days=1, user_agent="cc-bench")
            users.append(SimUser(user_id, cookie, user_id in approvers))
        session.commit()
    return users


def _mixed(approvers: list[int], buyers: list[int]) -> list[int]:
    """Both lists in one, every prefix holding about its share of approvers."""
    total = len(approvers) + len(buyers)
    mixed: list[int] = []
    rest_a, rest_b = list(approvers), list(buyers)
    for position in range(1, total + 1):
        due = round(position * len(approvers) / total) - (len(approvers) - len(rest_a))
        mixed.append(rest_a.pop(0) if (due > 0 and rest_a) or not rest_b else rest_b.pop(0))
    return mixed


def sign_out_users(engine: Engine, users: list[SimUser]) -> None:
    """Remove the benchmark's session rows again."""
    from customer_center.auth.tokens import token_hash
    from customer_center.models.auth import AuthSession

    hashes = [token_hash(u.cookie) for u in users]
    with Session(engine) as session:
        session.exec(delete(AuthSession).where(col(AuthSession.token_hash).in_(hashes)))  # type: ignore[call-overload]
        session.commit()
