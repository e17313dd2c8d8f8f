"""Every address of the portal, named once: pages, e-mail links and navigation use these.

Pure: no Reflex, no settings. :func:`link` makes the absolute address an e-mail carries.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

# Pages for everyone (no sign-in needed)
START = "/"
SIGN_IN = "/sign-in"
FORGOT_PASSWORD = "/forgot-password"  # noqa: S105 - an address, no secret
RESET_PASSWORD = "/reset-password"  # noqa: S105 - an address, no secret
ACTIVATE = "/activate"
ACTIVATE_CONFIRM = "/activate/confirm"
INVITATION = "/invitation"
VERIFY_EMAIL = "/verify-email"
HANDOVER = "/handover"
DEV_MAILBOX = "/dev/mailbox"

# Pages of signed-in users
DASHBOARD = "/dashboard"
PROFILE = "/profile"
CATALOGUE = "/catalogue"
CART = "/cart"
LISTS = "/lists"  # shopping lists: own ones and those shared with the user
LIST = "/lists/[list_id]"
QUICK_ORDER = "/quick-order"  # SKUs and quantities pasted or uploaded, checked, to the cart
CHECKOUT = "/checkout"
ORDERS = "/orders"
ORDER = "/orders/[order_id]"
APPROVALS = "/approvals"
APPROVE = "/approve"
USERS = "/users"
USER = "/users/[user_id]"
USER_NEW = "/users/new"
USERS_IMPORT = "/users/import"
USERS_ERP = "/users/erp"
ROLES = "/roles"
BUDGETS = "/budgets"
APPROVAL_CHAINS = "/approval-chains"
CONTROLLING = "/controlling"
AUDIT = "/audit"
COMPANY_SIGN_IN = "/company/sign-in"
COMPANY_PROVISIONING = "/company/provisioning"
COMPANY_SELLER_ACCESS = "/company/seller-access"  # may the seller's agents act for users
ACTING_CONSENT = "/seller-access/consent"  # a user answers an agent's request to act
DOCUMENTS = "/documents"  # the company's documents from the ERP (issue 16)

# The seller's side: its staff sign in at SELLER (their own cookie, their own pages)
SELLER = "/seller"
SELLER_PREFIX = "/seller"
SELLER_INVITATION = "/seller/invitation"
SELLER_STAFF = "/seller/staff"
SELLER_ACCOUNT = "/seller/account"
SELLER_COMPANIES = "/seller/companies"  # the console's company search
SELLER_COMPANY = "/seller/companies/[company_id]"  # Company 360: overview, users, setup, ...
SELLER_COMPANY_ORDERS = "/seller/companies/[company_id]/orders"
SELLER_COMPANY_ORDER = "/seller/companies/[company_id]/orders/[order_id]"  # journey, prices
SELLER_COMPANY_PRICES = "/seller/companies/[company_id]/prices"  # the contract price check
SELLER_COMPANY_ACT = "/seller/companies/[company_id]/act"  # act for one of its users
SELLER_AUTH_COMPLETE = "/seller/auth/complete"
SELLER_AUTH_SIGNED_OUT = "/seller/auth/signed-out"
SELLER_SSO_START = "/seller/auth/sso/start"
SELLER_SSO_CALLBACK = "/seller/auth/sso/callback"

# Plain HTTP routes (Starlette, beside the Reflex app)
AUTH_COMPLETE = "/auth/complete"
AUTH_SIGNED_OUT = "/auth/signed-out"
SSO_START = "/auth/sso/start"
SSO_CALLBACK = "/auth/sso/callback"
EXPORT_USERS = "/export/users.csv"
EXPORT_ORDERS = "/export/orders.csv"
EXPORT_AUDIT = "/export/audit.csv"
DATASHEETS = "/datasheets"
DOCUMENT_FILES = "/documents/files"  # /documents/files/<number>.pdf (issue 16)
ERP_ORDER_STATUS = "/erp/order-status"
SCIM = "/scim/v2"
HEALTH = "/health"
# Punchout: procurement systems (cXML, OCI) and the browser's way in and back
PUNCHOUT_CXML = "/punchout/cxml"
PUNCHOUT_CXML_ORDER = "/punchout/cxml/order"
PUNCHOUT_OCI = "/punchout/oci"
PUNCHOUT_START = "/punchout/start"
PUNCHOUT_TRANSFER = "/punchout/transfer"
COMPANY_PUNCHOUT = "/company/punchout"  # the main contact: the company's connections, sessions
SELLER_COMPANY_PUNCHOUT = "/seller/companies/[company_id]/punchout"
SELLER_PUNCHOUT = "/seller/punchout"  # every punchout session of every company


def document_file(number: str) -> str:
    """The download address of one of the company's documents from the ERP."""
    return f"{DOCUMENT_FILES}/{quote(number, safe='')}.pdf"


def is_seller_path(path: str) -> bool:
    """Whether ``path`` is one of the seller's pages or routes."""
    return path == SELLER_PREFIX or path.startswith(SELLER_PREFIX + "/")


def seller_company_path(company_id: int, page: str = SELLER_COMPANY) -> str:
    """A company's page of the seller's console (``page``: one of the SELLER_COMPANY* routes)."""
    return page.replace("[company_id]", str(company_id))


def seller_order_path(company_id: int, order_id: int) -> str:
    return seller_company_path(company_id, SELLER_COMPANY_ORDER).replace(
        "[order_id]", str(order_id)
    )


def order_path(order_id: int) -> str:
    return ORDER.replace("[order_id]", str(order_id))


def list_path(list_id: int | str) -> str:
    return LIST.replace("[list_id]", str(list_id))


def user_path(user_id: int) -> str:
    return USER.replace("[user_id]", str(user_id))


def link(base_url: str, path: str, **query: str) -> str:
    """The absolute address of ``path`` with its query (values escaped), for e-mails."""
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{base_url.rstrip('/')}{path}{suffix}"


# Support cases (issue 18): the customer's cases and the seller's queue
CASES = "/cases"
CASE_NEW = "/cases/new"
CASE = "/cases/[case_id]"
SELLER_CASES = "/seller/cases"
SELLER_CASE = "/seller/cases/[case_id]"


CASE_FILES = "/case-files"  # /case-files/<attachment id>: a case's file for the customer
SELLER_CASE_FILES = "/seller/case-files"  # the same for the seller's agents


def case_file(attachment_id: int, *, seller: bool = False) -> str:
    return f"{SELLER_CASE_FILES if seller else CASE_FILES}/{attachment_id}"


def case_path(case_id: int) -> str:
    return CASE.replace("[case_id]", str(case_id))


def seller_case_path(case_id: int) -> str:
    return SELLER_CASE.replace("[case_id]", str(case_id))


def case_new_path(order_id: int) -> str:
    """The form of a new case about ``order_id`` ("Ask about this order")."""
    return f"{CASE_NEW}?{urlencode({'order': order_id})}"


def case_about_return_path(return_id: int) -> str:
    """The form of a new case about ``return_id`` ("Ask about this return")."""
    return f"{CASE_NEW}?{urlencode({'return': return_id})}"


# Returns and credit requests (issue 18): the customer's requests, the seller's queue, slips
RETURNS = "/returns"
RETURN_NEW = "/returns/new"  # ?order=<id>&kind=goods|credit
RETURN = "/returns/[return_id]"
SELLER_RETURNS = "/seller/returns"
SELLER_RETURN = "/seller/returns/[return_id]"
RETURN_SLIPS = "/returns/slips"  # /returns/slips/<id>.pdf (the customer's side)
SELLER_RETURN_SLIPS = "/seller/returns/slips"  # the same slip for the account team


def return_path(return_id: int) -> str:
    return RETURN.replace("[return_id]", str(return_id))


def seller_return_path(return_id: int) -> str:
    return SELLER_RETURN.replace("[return_id]", str(return_id))


def return_new_path(order_id: int, kind: str) -> str:
    """The form of a return (``goods``) or a credit request (``credit``) about ``order_id``."""
    return f"{RETURN_NEW}?{urlencode({'order': order_id, 'kind': kind})}"


def return_slip_path(return_id: int, *, seller: bool = False) -> str:
    return f"{SELLER_RETURN_SLIPS if seller else RETURN_SLIPS}/{return_id}.pdf"
