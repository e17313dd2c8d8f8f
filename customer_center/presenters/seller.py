"""The seller's company 360 in words: search hits, a company's head and sign-in state, its
users, budgets and chains, open approvals, and an order's full journey with its e-mails.

Each function takes a read model of ``services.seller`` and the reader's (the agent's)
language, and returns small dictionaries of strings; orders, timelines, budgets, chains and
the audit log are worded by their own presenters, reused here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from customer_center.domain.people import RuleScope
from customer_center.domain.refs import ChainRef, RoleRef
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.i18n.wording import money
from customer_center.presenters import orders as order_words
from customer_center.presenters.budgets import limits_summary
from customer_center.presenters.people import chain_label, moment, role_label, role_options
from customer_center.presenters.people import status_label as user_status_label
from customer_center.presenters.timeline import timeline_rows
from customer_center.services.identity.scim_tokens import TokenView
from customer_center.services.seller.companies import CompanySearchPage
from customer_center.services.seller.company_orders import ApprovalsPage
from customer_center.services.seller.company_setup import ChainLevelView, CompanySetup
from customer_center.services.seller.company_view import (
    CompanyOverview,
    CompanyUsers,
    SignInState,
)
from customer_center.services.seller.order_journey import (
    ErpStatusReport,
    LineJourney,
    OrderJourney,
    OrderMail,
)

NOTHING = "—"


def _moment(value: datetime | None, lang: str) -> str:
    return format_moment(value, lang) if value else NOTHING


# --- finding a company -----------------------------------------------------------------------


def search_summary(page: CompanySearchPage, lang: str) -> str:
    """ "3 companies match "müller"", or that none does."""
    if not page.query:
        return translate(lang, "seller360.search.empty")
    if not page.total:
        return translate(lang, "seller360.search.none", query=page.query)
    return translate(lang, "seller360.search.found", count=page.total, query=page.query)


def search_rows(page: CompanySearchPage, lang: str) -> list[dict[str, str]]:
    rows = []
    for hit in page.hits:
        matched = translate(lang, f"seller360.matched_by.{hit.matched_by}")
        if hit.matched_order_id is not None:
            matched = f"{matched} (PO-{hit.matched_order_id:06d})"
        rows.append(
            {
                "id": str(hit.company_id),
                "customer_number": hit.customer_number,
                "name": hit.name,
                "activated": _moment(hit.activated_at, lang),
                "main_contact": hit.main_contact_name or NOTHING,
                "main_contact_email": hit.main_contact_email,
                "main_contact_status": user_status_label(hit.main_contact_status, lang)
                if hit.main_contact_status
                else NOTHING,
                "matched_by": matched,
                "order_id": str(hit.matched_order_id or ""),
            }
        )
    return rows


# --- the company's head ----------------------------------------------------------------------


def overview(view: CompanyOverview, lang: str) -> dict[str, str]:
    main = view.main_contact
    counts = ", ".join(
        f"{user_status_label(status, lang)}: {count}"
        for status, count in sorted(view.users_by_status.items())
    )
    return {
        "id": str(view.company_id),
        "customer_number": view.customer_number,
        "name": view.name,
        "place": ", ".join(part for part in (view.city, view.country) if part),
        "activation": translate(
            lang, "seller360.activation.done", when=_moment(view.activated_at, lang)
        ),
        "main_contact": main.name if main else NOTHING,
        "main_contact_email": main.email if main else "",
        "main_contact_status": user_status_label(main.status, lang) if main else NOTHING,
        "main_contact_last_sign_in": _moment(main.last_sign_in_at if main else None, lang),
        "users": counts or NOTHING,
    }


def sign_in_lines(state: SignInState, lang: str) -> list[str]:
    """Password sign-in on or off, single sign-on, the domains proven and waiting."""
    on_off = "on" if state.password_sign_in else "off"
    lines = [translate(lang, f"seller360.sign_in.password_{on_off}")]
    if state.sso_enabled:
        lines.append(translate(lang, "seller360.sign_in.sso_on", issuer=state.sso_issuer))
    elif state.sso_configured:
        lines.append(translate(lang, "seller360.sign_in.sso_configured_off"))
    else:
        lines.append(translate(lang, "seller360.sign_in.sso_none"))
    if state.proven_domains:
        domains = ", ".join(state.proven_domains)
        lines.append(translate(lang, "seller360.sign_in.domains_proven", domains=domains))
    if state.waiting_domains:
        domains = ", ".join(state.waiting_domains)
        lines.append(translate(lang, "seller360.sign_in.domains_waiting", domains=domains))
    return lines


def token_rows(tokens: Sequence[TokenView], lang: str) -> list[dict[str, str]]:
    """The company's SCIM tokens: labels and times, never a secret."""
    return [
        {
            "label": token.label,
            "created": _moment(token.created_at, lang),
            "last_used": _moment(token.last_used_at, lang)
            if token.last_used_at
            else translate(lang, "seller360.token.never_used"),
            "state": translate(
                lang, "seller360.token.revoked" if token.revoked_at else "seller360.token.live"
            ),
        }
        for token in tokens
    ]


def user_rows(users: CompanyUsers, lang: str) -> list[dict[str, str]]:
    """One page of the company's users; roles by the names the customer sees."""
    labels = {role.code: role_label(role, lang) for role in users.roles}
    return [
        {
            "id": str(row.id),
            "name": row.name,
            "email": row.email,
            "status": user_status_label(row.status, lang),
            "status_code": row.status,
            "main_contact": translate(lang, "seller360.user.main_contact")
            if row.is_main_contact
            else "",
            "roles": ", ".join(labels.get(code, code) for code in row.role_codes),
            "last_sign_in": moment(row.last_sign_in_at, lang)
            or translate(lang, "seller360.user.never_signed_in"),
        }
        for row in users.page.rows
    ]


def role_filter_options(users: CompanyUsers, lang: str) -> list[dict[str, str]]:
    return role_options(users.roles, lang)


# --- budgets and chains ----------------------------------------------------------------------


def budget_rows(setup: CompanySetup, lang: str) -> list[dict[str, str]]:
    return [
        {
            "whose": budget_subject(budget.subject, lang),
            "limits": "\n".join(limits_summary(budget.limits, setup.currency, lang)),
        }
        for budget in setup.budgets
    ]


def budget_subject(subject: ChainRef, lang: str) -> str:
    """Whose limits: the company default, a role's default, a user's own budget."""
    if subject.scope == RuleScope.COMPANY:
        return translate(lang, "budgets.source.company")
    if subject.scope == RuleScope.ROLE:
        name = role_label(subject.role, lang) if subject.role else f"#{subject.subject_id}"
        return translate(lang, "seller360.budget.role", name=name)
    name = subject.user_name or f"#{subject.subject_id}"
    return translate(lang, "seller360.budget.user", name=name)


def chain_rows(setup: CompanySetup, lang: str) -> list[dict[str, str]]:
    return [
        {
            "whose": chain_label(chain.subject, lang),
            "levels": "\n".join(_level_text(level, setup.currency, lang) for level in chain.levels),
        }
        for chain in setup.chains
    ]


def _level_text(level: ChainLevelView, currency: str, lang: str) -> str:
    people = ", ".join(
        role_label(a, lang) if isinstance(a, RoleRef) else a for a in level.approvers
    )
    text = f"{level.number}) {people} ({translate(lang, f'chains.rule.{level.rule}')})"
    if level.min_order_value_cents is not None:
        amount = money(level.min_order_value_cents, currency, lang)
        text += " " + translate(lang, "seller360.chain.from_amount", amount=amount)
    return text


# --- open approvals --------------------------------------------------------------------------


def approval_rows(page: ApprovalsPage, lang: str, now: datetime) -> list[dict[str, str]]:
    """Oldest first, with how long each has waited and for whom."""
    return [
        {
            "order_id": str(row.order_id),
            "number": row.number,
            "requester": row.requester,
            "total": money(row.total_cents, row.currency, lang),
            "waiting_since": _moment(row.waiting_since, lang),
            "age": order_words.age_words(row.waiting_since, now, lang),
            "approvers": ", ".join(row.approvers) or NOTHING,
            "escalated": translate(lang, "seller360.approval.escalated") if row.escalated else "",
        }
        for row in page.rows
    ]


# --- one order's journey ---------------------------------------------------------------------


def journey(view: OrderJourney, lang: str) -> dict[str, object]:
    """The order's page for the console: its head, lines, chain and timeline as the
    customer's order page words them, and the ERP reports, shipments per line and e-mails."""
    d = view.detail
    return {
        "number": d.number,
        "status": order_words.status_label(d.status, lang),
        "requester": d.requester,
        "submitted": _moment(d.submitted_at, lang),
        "total": money(d.total_cents, d.currency, lang),
        "erp_order_number": d.erp_order_number or NOTHING,
        "lines": order_words.line_rows(d, lang),
        "chain": order_words.chain_rows(d, lang),
        "timeline": timeline_rows(d.timeline, lang, d.currency),
        "erp_reports": [erp_report_row(report, lang) for report in view.erp_reports],
        "shipments": [line_journey_row(line, lang) for line in view.lines],
        "mails": [mail_row(mail, lang) for mail in view.mails],
    }


def erp_report_row(report: ErpStatusReport, lang: str) -> dict[str, str]:
    status = report.reported or report.status_after
    label = (
        order_words.status_label(status, lang)
        if status
        else translate(lang, "seller360.erp.handed_over")
    )
    return {
        "status": label,
        "occurred": _moment(report.occurred_at, lang),
        "received": _moment(report.recorded_at, lang),
        "moved": translate(
            lang,
            "seller360.erp.moved" if report.moved else "seller360.erp.recorded_only",
            status=order_words.status_label(report.status_after, lang)
            if report.status_after
            else NOTHING,
        ),
        "carrier": report.carrier,
        "tracking_number": report.tracking_number,
        "note": report.note,
    }


def line_journey_row(line: LineJourney, lang: str) -> dict[str, str]:
    shipments = [
        translate(
            lang,
            "seller360.shipment.line",
            quantity=shipment.quantity,
            when=_moment(shipment.occurred_at, lang),
            carrier=shipment.carrier or NOTHING,
            tracking=shipment.tracking_number or NOTHING,
        )
        for shipment in line.shipments
    ]
    return {
        "sku": line.sku,
        "name": line.name,
        "shipped": translate(
            lang, "seller360.shipment.progress", shipped=line.shipped, ordered=line.ordered
        ),
        "shipments": "\n".join(shipments) or translate(lang, "seller360.shipment.none"),
    }


def mail_row(mail: OrderMail, lang: str) -> dict[str, str]:
    state = translate(lang, f"seller360.mail.{mail.state}", attempts=mail.attempts)
    return {
        "queued": _moment(mail.queued_at, lang),
        "to": mail.to,
        "subject": mail.subject,
        "state": state,
        "state_code": mail.state,
        "attempts": str(mail.attempts),
        "sent": _moment(mail.sent_at, lang),
        "next_attempt": _moment(mail.next_attempt_at, lang) if mail.next_attempt_at else "",
        "error": mail.last_error,
    }
