"""What the server keeps for a browser tab: nothing of a previous user, nothing of a previous
visit of the page being opened.

Reflex keys the state by the tab's client token, which lives as long as the tab, not by the
sign-in session. So the tab's state remembers which session it belongs to, and the middleware
empties every portal state of the tab (loaded for the event or not, whichever state manager
keeps them) before it handles an event of another session: after a sign-out, an expired or
revoked session, a deactivated user, or another user signing in on the same tab.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from reflex.state import BaseState

from customer_center.state.base import PortalState

# The tab's display language is the tab's, not the user's data: it survives a change of user
# (no flash of another language, and no 70 KB catalogue sent again).
KEPT_FIELDS = frozenset({"lang"})


@cache
def portal_state_classes() -> tuple[type[BaseState], ...]:
    """PortalState and every state below it, parents first (every state of the portal)."""
    found: list[type[BaseState]] = []
    pending: list[type[BaseState]] = [PortalState]
    while pending:
        state_cls = pending.pop(0)
        found.append(state_cls)
        pending.extend(sorted(state_cls.get_substates(), key=lambda s: s.get_full_name()))
    return tuple(found)


def reset_fields(state: BaseState, keep: frozenset[str] = frozenset()) -> None:
    """Put every field the state's class declares (public and ``_backend``) back to its
    default. A field already at its default is not assigned, so an untouched state is
    neither sent to the browser nor written to the state manager again."""
    state_cls = type(state)
    for name, field in state_cls.__fields__.items():
        if field._owner is not state_cls or name in keep:
            continue
        default = field.default_value()
        if getattr(state, name) != default:
            setattr(state, name, default)


async def _states(state: BaseState, classes: Iterable[type[BaseState]]) -> list[BaseState]:
    """The tab's instances of ``classes``: loaded from the state manager where this event
    did not load them yet (Redis keeps every state of a tab under its own key)."""
    root = state._get_root_state()
    return [await root.get_state(state_cls) for state_cls in classes]


async def wipe_tab(state: BaseState) -> None:
    """Every portal state of the tab back to its defaults, at once."""
    for instance in await _states(state, portal_state_classes()):
        reset_fields(instance, keep=KEPT_FIELDS)


async def claim_tab(state: BaseState, session_id: int) -> None:
    """Let the tab's state belong to the sign-in session ``session_id`` (0: nobody signed
    in). A tab that belonged to another session, or whose owner is not known, is emptied
    first: nothing of the previous user reaches the next one. A tab whose session ended
    without another one starting remembers that much (``_session_ended``), so its page can
    still send the browser away."""
    (portal,) = await _states(state, [PortalState])
    assert isinstance(portal, PortalState)
    previous = portal._tab_session
    if previous != session_id:
        await wipe_tab(state)
        portal._tab_session = session_id
        portal._session_ended = bool(previous) and not session_id


async def forget_ended_session(state: BaseState) -> None:
    """The browser has been sent away from a tab whose session ended: told once is enough,
    so a later page's check does not send it away a second time (mid-typing on sign-in)."""
    (portal,) = await _states(state, [PortalState])
    assert isinstance(portal, PortalState)
    portal._session_ended = False


def page_view_states(load_events: Sequence[object]) -> list[type[BaseState]]:
    """The states a page's on_load handlers fill, with their parents below PortalState:
    the page's view. The shell (``opens_empty = False``) and PortalState are not part of it."""
    found: list[type[BaseState]] = []
    for load_event in load_events:
        handler = getattr(load_event, "handler", load_event)  # an EventSpec or a handler
        state_cls = getattr(handler, "state", None)
        while (
            isinstance(state_cls, type)
            and issubclass(state_cls, PortalState)
            and state_cls is not PortalState
            and state_cls.opens_empty
        ):
            if state_cls not in found:
                found.append(state_cls)
            state_cls = state_cls.get_parent_state()
    return found


async def open_page(state: BaseState, load_events: Sequence[object]) -> None:
    """A page is being opened: empty its view before its on_load handlers run, so the first
    answer to the navigation already drops the rows of the previous visit and the page shows
    its loading state until they are loaded again."""
    for instance in await _states(state, page_view_states(load_events)):
        reset_fields(instance)
