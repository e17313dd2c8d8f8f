"""E-mails about orders, queued in the transaction that causes them, in the recipient's language.

Every mail links to the order's page (``/orders/<id>``); the page asks the reader to sign in.
Templates are the ``mail.order_*`` messages of the orders catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain import routes
from customer_center.domain.invoice_totals import invoice_totals
from customer_center.domain.notifications import NotificationKind
from customer_center.domain.orders import mail_ref, order_number
from customer_center.domain.people import UserStatus
from customer_center.models.order import Order, OrderRevision
from customer_center.models.user import User
from customer_center.services import emails
from customer_center.services.orders import approval_link_tokens
from customer_center.services.people.notification_choices import wanted_by, wants
from customer_center.settings import Settings

# Which of a user's e-mail choices (the account page) each order e-mail falls under.
KIND_OF_TEMPLATE: dict[str, NotificationKind] = {
    "order_waiting": NotificationKind.APPROVAL_REQUESTS,
    "order_resubmitted": NotificationKind.APPROVAL_REQUESTS,
    "order_message": NotificationKind.CONVERSATION_MESSAGES,
    "order_approved": NotificationKind.DECISIONS_ON_MY_ORDERS,
    "order_rejected": NotificationKind.DECISIONS_ON_MY_ORDERS,
    "order_changed": NotificationKind.DECISIONS_ON_MY_ORDERS,
    "order_reminder": NotificationKind.REMINDERS,
    "order_escalated": NotificationKind.REMINDERS,
}


def _wanted(session: Session, recipient: User | None, kind: NotificationKind) -> bool:
    """An active recipient who has not turned this kind of e-mail off."""
    if recipient is None or recipient.status != UserStatus.ACTIVE or recipient.id is None:
        return False
    return wants(session, user_id=recipient.id, kind=kind)


def order_link(settings: Settings, order: Order) -> str:
    return routes.link(settings.base_url, routes.order_path(order.id or 0))


def _gross(order: Order) -> dict[str, int]:
    """The order's gross total as its invoice will show it (goods, shipping and VAT), when
    the order knows its VAT rate; the e-mails show it beside the net total."""
    if order.vat_rate is None:
        return {}
    totals = invoice_totals(
        order.total_cents,
        shipping_method=order.shipping_method or "standard",
        vat_rate=order.vat_rate,
        currency=order.currency,
    )
    return {"gross_cents": totals.gross_cents}


def _send(
    session: Session,
    settings: Settings,
    order: Order,
    recipient: User | None,
    template: str,
    dedup_key: str | None = None,
    link: str = "",
    **params: object,
) -> None:
    if not _wanted(session, recipient, KIND_OF_TEMPLATE[template]):
        return
    assert recipient is not None
    requester = _requester_name(session, order)
    mail = _mail(settings, order, requester, recipient, template, dedup_key, link, **params)
    emails.queue_all(session, [mail])


def _requester_name(session: Session, order: Order) -> str:
    requester = session.get(User, order.requester_id)
    return requester.name if requester else ""


def _mail(
    settings: Settings,
    order: Order,
    requester: str,
    recipient: User,
    template: str,
    dedup_key: str | None,
    link: str,
    **params: object,
) -> emails.Mail:
    """An e-mail about ``order`` to ``recipient``, with what every order e-mail shows."""
    shown = {
        "name": recipient.name,
        "number": order_number(order),
        "requester": requester,
        "total_cents": order.total_cents,
        "currency": order.currency,
        **_gross(order),
        **params,
    }
    return emails.Mail(
        to=recipient.email,
        lang=recipient.language,
        template=template,
        link=link or order_link(settings, order),
        dedup_key=dedup_key,
        refers_to=mail_ref(order.id or 0),
        params=shown,
    )


def approvals_requested(
    session: Session, settings: Settings, order: Order, approver_ids: Iterable[int]
) -> None:
    """Approval steps became waiting for ``approver_ids`` (whoever decides for each today).
    Each is mailed once, with a link to decide right away (:mod:`approval_links`); no link
    is made for an approver who turned these e-mails off (the approvals page lists the
    order). After a resubmission the e-mail says the order was changed and sent again, with
    the requester's comment. A handful of statements however many they are: a level among
    a role's members mails each of them, a thousand in a large company."""
    ids = list(dict.fromkeys(approver_ids))
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))}
    active = [i for i in ids if i in users and users[i].status == UserStatus.ACTIVE]
    wanted = wanted_by(session, user_ids=active, kind=NotificationKind.APPROVAL_REQUESTS)
    recipients = [users[i] for i in active if i in wanted]
    if not recipients:
        return
    resubmitted = _resubmission(session, order)
    template = "order_resubmitted" if resubmitted is not None else "order_waiting"
    extra = {"comment": resubmitted.comment} if resubmitted is not None else {}
    links = approval_link_tokens.issue_links(
        session, settings, order, [u.id for u in recipients if u.id is not None]
    )
    requester = _requester_name(session, order)
    emails.queue_all(
        session,
        [
            _mail(
                settings,
                order,
                requester,
                user,
                template,
                dedup_key=f"order-waiting:{order.id}:{order.version}:{user.id}",
                link=links[user.id or 0],
                **extra,
            )
            for user in recipients
        ],
    )


def _resubmission(session: Session, order: Order) -> OrderRevision | None:
    """The current revision if the requester sent it again after a rejection."""
    revision = session.exec(
        select(OrderRevision).where(
            OrderRevision.order_id == order.id, OrderRevision.number == order.revision
        )
    ).first()
    return revision if revision is not None and revision.reason == "resubmitted" else None


def message_posted(
    session: Session,
    settings: Settings,
    order: Order,
    recipient: User | None,
    author: str,
    message: str,
) -> None:
    """A message in the order's conversation, to one of the others involved."""
    _send(session, settings, order, recipient, "order_message", author=author, message=message)


def order_approved(session: Session, settings: Settings, order: Order, by_name: str) -> None:
    _send(
        session,
        settings,
        order,
        session.get(User, order.requester_id),
        "order_approved",
        by=by_name,
    )


def order_rejected(
    session: Session, settings: Settings, order: Order, by_name: str, comment: str
) -> None:
    _send(
        session,
        settings,
        order,
        session.get(User, order.requester_id),
        "order_rejected",
        by=by_name,
        comment=comment,
    )


def order_changed(
    session: Session,
    settings: Settings,
    order: Order,
    by_name: str,
    differences: list[dict[str, Any]],
) -> None:
    """The requester is told what an approver changed (worded by the template)."""
    _send(
        session,
        settings,
        order,
        session.get(User, order.requester_id),
        "order_changed",
        by=by_name,
        differences=differences,
    )


def approval_reminder(
    session: Session, settings: Settings, order: Order, approver_id: int, days: int
) -> None:
    _send(session, settings, order, session.get(User, approver_id), "order_reminder", days=days)


def approval_escalated(
    session: Session,
    settings: Settings,
    order: Order,
    main_contact_id: int,
    approver_name: str,
    days: int,
) -> None:
    _send(
        session,
        settings,
        order,
        session.get(User, main_contact_id),
        "order_escalated",
        approver=approver_name,
        days=days,
    )
