"""The frame around every page, mounted once for the whole app (a Reflex app wrap).

On the customers' signed-in pages it shows their shell (header, navigation, acting banner),
on the seller's signed-in pages the seller's; elsewhere it is invisible (``display:
contents``). Because the frame is outside the pages' routes, React keeps the shell mounted
when the user moves between pages: a navigation renders only the new page, and the
navigation's entries, counts and menus do not flash or lose their state. Which shell shows
is decided in the browser from the address, at once, not after the server's answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import reflex as rx
from reflex.vars import Var, VarData

from customer_center.components.layout import CONTENT_ID, customer_shell
from customer_center.components.portal_page import SIGNED_IN_ROUTES
from customer_center.components.seller_page import SELLER_ROUTES, seller_shell

# React Router's location, read with its hook where the frame renders.
_LOCATION = VarData(
    imports={"react-router": "useLocation"},
    hooks={"const ccLocation = useLocation();": None},
)


# After a move to another page, the keyboard's focus goes to the new page's content (the
# <main> the skip link leads to), as a screen reader should hear: otherwise it stays on the
# link of the shell, which does not change. A page that focused a field of its own
# keeps it. Not on the first page of a tab: there the browser starts at the top.
_FOCUS_CONTENT_HOOK = """const ccShownPath = useLocation().pathname;
const ccLastPath = useRef(ccShownPath);
useEffect(() => {
  if (ccLastPath.current === ccShownPath) return;
  ccLastPath.current = ccShownPath;
  const content = document.getElementById("CONTENT_ID");
  if (content && !content.contains(document.activeElement)) content.focus({preventScroll: true});
}, [ccShownPath]);""".replace("CONTENT_ID", CONTENT_ID)
_FOCUS_CONTENT_ON_NAVIGATION = VarData(
    imports={"react": ["useEffect", "useRef"], "react-router": "useLocation"},
    hooks={_FOCUS_CONTENT_HOOK: None},
)


def client_path() -> Var[str]:
    """The address's path as the browser has it now (changes as soon as a link is followed),
    without a trailing slash (a page loaded from the server has one)."""
    shown = '(ccLocation.pathname.replace(/\\/+$/, "") || "/")'
    return Var(_js_expr=shown, _var_type=str, _var_data=_LOCATION)


def route_pattern(routes: Iterable[str]) -> str:
    """One regular expression matching the paths of ``routes`` (Reflex's ``[param]``
    segments match any one segment), with or without a trailing slash."""
    paths = sorted({re.sub(r"\\\[\w+\\\]", "[^/]+", re.escape(route)) for route in routes})
    return f"^(?:{'|'.join(paths)})/?$"


def on_routes(routes: Iterable[str]) -> Var[bool]:
    """Whether the browser shows one of ``routes`` now."""
    pattern = route_pattern(routes).replace("/", r"\/")
    return Var(_js_expr=f"/{pattern}/.test({client_path()})", _var_type=bool, _var_data=_LOCATION)


def portal_frame() -> rx.Component:
    """The app wrap: the page (appended by Reflex as the last child) sits in the grid of the
    shell that belongs to its route, or alone."""
    customer, seller = on_routes(SIGNED_IN_ROUTES), on_routes(SELLER_ROUTES)
    frame = rx.el.div(
        rx.cond(customer, customer_shell(client_path())),
        rx.cond(seller, seller_shell(client_path())),
        class_name=rx.cond(customer | seller, "cc-page cc-shell", "cc-frame")._replace(
            merge_var_data=_FOCUS_CONTENT_ON_NAVIGATION
        ),
    )
    # Reflex gives a page's components their default styles (a spacer's growth...) when it
    # compiles the page; an app wrap is not a page, so the frame takes them here.
    frame._add_style_recursive({})
    return frame
