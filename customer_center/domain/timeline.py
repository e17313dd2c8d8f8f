"""A timeline entry as data: what happened (a kind and its figures), who acted and for whom,
when, and what they wrote. Orders have one; support cases and returns will have theirs.
Presenters word entries in the reader's language (presenters.timeline)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # e.g. an order's EventKind or ``erp.<status>``
    when: datetime
    actor: str = ""  # the name of the customer user it counts for; "" for the portal itself
    actor_kind: str = ""  # domain.principals.PrincipalKind of who acted
    on_behalf_of: tuple[str, ...] = ()  # names of those the actor stood in for
    data: dict[str, Any] = field(default_factory=dict)  # the kind's figures
    body: str = ""  # what the actor wrote
    # An agent of the seller acting for the user ``actor``: the agent's and the seller's name.
    agent: str = ""
    seller: str = ""
