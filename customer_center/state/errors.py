"""What the browser sees when a handler fails unexpectedly: a translated apology, no details."""

# No `from __future__ import annotations`: Reflex inspects this handler's return type.
import logging

import reflex as rx
from reflex.event import EventSpec

from customer_center.db import is_outage
from customer_center.i18n import DEFAULT_LANGUAGE, translate
from customer_center.state.access import current_principal

log = logging.getLogger(__name__)


def unexpected_error_toast(exception: Exception) -> EventSpec:
    """Log the full error on the server; tell the user in their language to try again
    (that nothing was saved, when the database was down, restarting, full or read only)."""
    log.error("unhandled error in an event handler", exc_info=exception)
    context = current_principal.get()
    lang = context.language if context else DEFAULT_LANGUAGE
    key = "error.database_unavailable" if is_outage(exception) else "error.unexpected"
    return rx.toast.error(translate(lang, key), position="top-center", id="backend_error")
