"""When a product can be delivered, from the ERP's stock and lead time (pure).

In stock: the next working day. Not in stock: after the ERP's lead time in working days.
Neither known: no date (the catalogue says nothing rather than guess). Working days are
Monday to Friday; public holidays are the ERP's business and not known here.
"""

from __future__ import annotations

from datetime import date, timedelta

IN_STOCK_DAYS = 1


def add_working_days(day: date, count: int) -> date:
    """``count`` working days after ``day`` (Saturday and Sunday do not count)."""
    current = day
    left = max(count, 0)
    while left:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def delivery_date(stock: int | None, lead_days: int | None, today: date) -> date | None:
    if stock is not None and stock > 0:
        return add_working_days(today, IN_STOCK_DAYS)
    if lead_days is not None:
        return add_working_days(today, max(lead_days, IN_STOCK_DAYS))
    return None
