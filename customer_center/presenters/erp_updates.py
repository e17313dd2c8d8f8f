"""What became of status updates from the ERP, in words: for the HTTP answer (English, beside
the codes) and the import's report."""

from __future__ import annotations

from typing import Any

from customer_center.i18n import translate
from customer_center.services.orders.erp_status import UpdateOutcome


def problem_messages(outcome: UpdateOutcome, lang: str = "en") -> dict[str, str]:
    """Why an update was refused, by field."""
    return {
        name: translate(lang, code, **params) for name, (code, params) in outcome.problems.items()
    }


def outcome_json(outcome: UpdateOutcome) -> dict[str, Any]:
    """One update's result as the endpoint answers it."""
    found: dict[str, Any] = {"update_id": outcome.update_id, "result": outcome.result}
    if outcome.status:
        found["status"] = outcome.status
    if outcome.problems:
        found["errors"] = [
            {"field": name, "code": code, "message": translate("en", code, **params)}
            for name, (code, params) in outcome.problems.items()
        ]
    return found
