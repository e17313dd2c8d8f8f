"""The Reflex app: pages, the access middleware, the cookie routes and the outbox relay."""

from __future__ import annotations

import reflex as rx

# Reflex imports its database module (and Alembic with it, about 0.1 s) when the first event
# with arguments arrives: imported with the app, the first user after a start does not wait.
import reflex.model  # noqa: F401
from starlette.applications import Starlette

from customer_center.background import (
    approval_reminder_task,
    outbox_relay_task,
    size_thread_pool,
)
from customer_center.components.frame import portal_frame
from customer_center.http.auth_routes import routes as auth_routes
from customer_center.http.browser_key import browser_key_middleware
from customer_center.http.case_files import routes as case_file_routes
from customer_center.http.datasheets import routes as datasheet_routes
from customer_center.http.documents import routes as document_routes
from customer_center.http.erp_contacts import routes as erp_contact_routes
from customer_center.http.erp_prices import routes as erp_price_routes
from customer_center.http.erp_status import routes as erp_status_routes
from customer_center.http.exports import routes as export_routes
from customer_center.http.health import routes as health_routes
from customer_center.http.log_context import log_context_middleware
from customer_center.http.order_export import routes as order_export_routes
from customer_center.http.punchout_browser import frame_ancestors_middleware
from customer_center.http.punchout_browser import routes as punchout_browser_routes
from customer_center.http.punchout_cxml import routes as punchout_cxml_routes
from customer_center.http.punchout_oci import routes as punchout_oci_routes
from customer_center.http.return_slips import routes as return_slip_routes
from customer_center.http.scim import routes as scim_routes
from customer_center.http.seller_auth_routes import routes as seller_routes
from customer_center.http.sso_routes import routes as sso_routes
from customer_center.http.user_export import routes as user_export_routes
from customer_center.logs import configure_logging
from customer_center.pages import (  # noqa: F401
    activate,
    approval_chains,
    approval_link,
    approvals,
    audit,
    budgets,
    cart,
    cases,
    catalogue,
    checkout,
    company_punchout,
    company_sso,
    confirm_links,
    controlling,
    dashboard,
    dev_mailbox,
    documents,
    invitation,
    order_view,
    orders,
    profile,
    provisioning,
    quick_order,
    returns,
    roles,
    seller_access,
    seller_account,
    seller_acting,
    seller_cases,
    seller_companies,
    seller_company,
    seller_orders,
    seller_prices,
    seller_punchout,
    seller_returns,
    seller_sign_in,
    seller_staff,
    shopping_list,
    shopping_lists,
    sign_in,
    user_detail,
    users,
    users_erp,
    users_import,
)
from customer_center.settings import check_production, get_settings
from customer_center.state.errors import unexpected_error_toast
from customer_center.state.middleware import AccessMiddleware
from customer_center.state.revocation_push import revocation_push_task

configure_logging()
check_production(get_settings())

http_routes = (
    auth_routes
    + sso_routes
    + export_routes
    + user_export_routes
    + erp_status_routes
    + erp_contact_routes
    + erp_price_routes
    + order_export_routes
    + datasheet_routes
    + document_routes
    + return_slip_routes
    + case_file_routes
    + scim_routes
    + health_routes
    + seller_routes
    + punchout_cxml_routes
    + punchout_oci_routes
    + punchout_browser_routes
)
app = rx.App(
    stylesheets=["/styles.css"],
    api_transformer=Starlette(
        routes=http_routes,
        middleware=[
            log_context_middleware(http_routes),
            browser_key_middleware,
            frame_ancestors_middleware,
        ],
    ),
    backend_exception_handler=unexpected_error_toast,
    # The shells stay mounted across pages: the frame is outside the routes (just around
    # Reflex's own innermost wrap, which renders the page).
    extra_app_wraps={(1, "PortalFrame"): lambda _stateful: portal_frame()},
)
app.add_middleware(AccessMiddleware())
app.register_lifespan_task(size_thread_pool)
app.register_lifespan_task(outbox_relay_task)
app.register_lifespan_task(approval_reminder_task)
app.register_lifespan_task(revocation_push_task)
