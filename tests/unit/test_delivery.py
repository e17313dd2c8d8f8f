"""The earliest delivery day from stock and lead time, in working days."""

from __future__ import annotations

from datetime import date

from customer_center.domain.delivery import add_working_days, delivery_date

FRIDAY = date(2026, 12, 4)


def test_weekends_do_not_count() -> None:
    assert add_working_days(FRIDAY, 1) == date(2026, 12, 7)  # Monday
    assert add_working_days(FRIDAY, 5) == date(2026, 12, 11)
    assert add_working_days(FRIDAY, 0) == FRIDAY


def test_in_stock_ships_the_next_working_day_otherwise_after_the_lead_time() -> None:
    assert delivery_date(240, None, FRIDAY) == date(2026, 12, 7)
    assert delivery_date(0, 7, FRIDAY) == date(2026, 12, 15)
    assert delivery_date(None, 0, FRIDAY) == date(2026, 12, 7)  # never sooner than in stock
    assert delivery_date(None, None, FRIDAY) is None
    assert delivery_date(0, None, FRIDAY) is None
