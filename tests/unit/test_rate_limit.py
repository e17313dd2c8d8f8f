from datetime import timedelta

from customer_center.models.auth import Attempt
from customer_center.models.base import utcnow
from customer_center.services.identity.rate_limit import (
    Limit,
    minutes_blocked,
    progressive_lock_minutes,
    record_attempt,
)

LIMIT = Limit(kind="t", max_failures=5, window=timedelta(minutes=15))


def _fail(session, key: str, times: int, ago: timedelta = timedelta(0)) -> None:
    for _ in range(times):
        session.add(Attempt(kind="t", key=key, succeeded=False, created_at=utcnow() - ago))
    session.commit()


def test_four_failures_are_allowed_the_fifth_blocks(session) -> None:
    _fail(session, "customer:1", 4)
    assert minutes_blocked(session, LIMIT, ["customer:1"], utcnow()) == 0
    _fail(session, "customer:1", 1)
    assert minutes_blocked(session, LIMIT, ["customer:1"], utcnow()) == 15


def test_any_blocked_key_blocks(session) -> None:
    _fail(session, "ip:1.2.3.4", 5)
    assert minutes_blocked(session, LIMIT, ["customer:9", "ip:1.2.3.4"], utcnow()) == 15


def test_failures_outside_the_window_do_not_count(session) -> None:
    _fail(session, "customer:1", 5, ago=timedelta(minutes=16))
    assert minutes_blocked(session, LIMIT, ["customer:1"], utcnow()) == 0


def test_a_success_resets_the_count(session) -> None:
    _fail(session, "customer:1", 4, ago=timedelta(minutes=2))
    record_attempt(session, "t", ["customer:1"], succeeded=True)
    session.commit()
    _fail(session, "customer:1", 1)
    assert minutes_blocked(session, LIMIT, ["customer:1"], utcnow()) == 0


def test_progressive_lock_doubles_with_each_failure(session) -> None:
    _fail(session, "email:a", 4)
    assert progressive_lock_minutes(session, LIMIT, "email:a", utcnow()) == 0
    _fail(session, "email:a", 1)
    assert progressive_lock_minutes(session, LIMIT, "email:a", utcnow()) == 1
    _fail(session, "email:a", 2)
    assert progressive_lock_minutes(session, LIMIT, "email:a", utcnow()) == 4
