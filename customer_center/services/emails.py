"""E-mails in the recipient's language: subject, plain text and HTML from the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from sqlmodel import Session

from customer_center.i18n import translate
from customer_center.outbox.enqueue import enqueue_email


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render(lang: str, template: str, *, link: str, **params: object) -> RenderedEmail:
    """Render ``mail.<template>.*`` messages: a greeting, body lines and one call to action."""

    def t(part: str) -> str:
        return translate(lang, f"mail.{template}.{part}", **params)

    subject, body, action, footer = t("subject"), t("body"), t("action"), t("footer")
    greeting = translate(lang, "mail.greeting", **params)
    text = f"{greeting}\n\n{body}\n\n{action}:\n{link}\n\n{footer}\n"
    html = (
        '<div style="font-family:Arial,sans-serif;max-width:560px;color:#1f2937">'
        f"<p>{escape(greeting)}</p><p>{escape(body)}</p>"
        f'<p><a href="{escape(link)}" style="display:inline-block;padding:10px 18px;'
        'background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">'
        f"{escape(action)}</a></p>"
        f'<p style="font-size:12px;color:#6b7280">{escape(footer)}<br>{escape(link)}</p></div>'
    )
    return RenderedEmail(subject=subject, text=text, html=html)


def queue(
    session: Session,
    *,
    to: str,
    lang: str,
    template: str,
    link: str,
    dedup_key: str | None = None,
    **params: object,
) -> None:
    """Put the rendered e-mail into the outbox, inside the caller's transaction."""
    mail = render(lang, template, link=link, **params)
    enqueue_email(
        session, to=to, subject=mail.subject, text=mail.text, html=mail.html, dedup_key=dedup_key
    )
