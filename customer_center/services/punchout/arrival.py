"""A procurement system knocks: which connection (constant-time secret check), which user
(created on the way in, roles mapped like single sign-on), and the single-use start link
bound to this setup request and its BuyerCookie."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session, select

from customer_center.auth.tokens import new_token, token_hash
from customer_center.domain import punchout, routes
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import PunchoutClient
from customer_center.domain.punchout import Operation, Protocol
from customer_center.models.company import Company
from customer_center.models.punchout import PunchoutConnection, PunchoutSession
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.identity import jit_users, one_time_tokens
from customer_center.settings import Settings

PUNCHOUT_START = "punchout_start"
# The hash an unknown identity is compared with, so an unknown connection costs the same time.
_NO_SECRET_HASH = token_hash("no connection has this secret")


class PunchoutRefused(Exception):
    """The request cannot be taken: ``status`` is the HTTP/cXML status, ``code`` says why."""

    def __init__(
        self,
        status: int,
        code: str,
        company_id: int | None = None,
        connection_id: int | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.company_id = company_id
        self.connection_id = connection_id


def authenticate(
    session: Session, *, protocol: Protocol, domain: str, identity: str, secret: str
) -> PunchoutClient:
    """The connection the credential names, if its secret matches (constant time)."""
    connection = session.exec(
        select(PunchoutConnection).where(
            PunchoutConnection.protocol == protocol,
            PunchoutConnection.identity_domain == (domain if protocol == Protocol.CXML else ""),
            PunchoutConnection.identity == identity,
        )
    ).first()
    matches = punchout.same_secret(
        connection.secret_hash if connection else _NO_SECRET_HASH, token_hash(secret)
    )
    if connection is None or not matches or not secret:
        raise PunchoutRefused(
            401,
            "credentials",
            connection.company_id if connection else None,
            connection.id if connection else None,
        )
    if not connection.enabled:
        raise PunchoutRefused(403, "disabled", connection.company_id, connection.id)
    return PunchoutClient(connection.id, connection.company_id, connection.protocol)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Arrival:
    """What a setup request asks for, whatever the protocol."""

    operation: str
    buyer_cookie: str
    return_url: str
    email: str
    name: str
    fields: dict[str, str]  # extrinsics (cXML) or form fields (OCI): the role comes from one
    raw: str
    echo: dict[str, object] = field(default_factory=dict)  # what the answer must carry back
    items: list[tuple[str, int]] = field(default_factory=list)  # edit/inspect: (sku, quantity)


@dataclass(frozen=True)
class Welcome:
    session_id: int
    start_url: str
    user_created: bool


def _connection(session: Session, principal: PunchoutClient) -> PunchoutConnection:
    connection = session.get(PunchoutConnection, principal.connection_id)
    assert connection is not None and connection.company_id == principal.company_id
    return connection


def _arriving_user(
    session: Session, connection: PunchoutConnection, arrival: Arrival
) -> tuple[User, bool]:
    """The user the request names, created in the connection's company if new; an address
    of another company, or a deactivated user, is refused."""
    if not is_valid_email(arrival.email):
        raise PunchoutRefused(400, "user_email", connection.company_id, connection.id)
    email = normalize_email(arrival.email)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None and user.company_id != connection.company_id:
        raise PunchoutRefused(403, "user_other_company", connection.company_id, connection.id)
    if user is not None and user.status == UserStatus.INACTIVE:
        raise PunchoutRefused(403, "user_inactive", connection.company_id, connection.id)
    if user is not None and user.is_main_contact:
        # A procurement system names users, it cannot vouch for them like a proven sign-in:
        # the main contact's rights (users, roles, company settings) never come through it.
        raise PunchoutRefused(403, "user_main_contact", connection.company_id, connection.id)
    created = user is None
    if user is None:
        company = session.get(Company, connection.company_id)
        assert company is not None
        user = jit_users.create_user(
            session, company, email, jit_users.display_name(arrival.name, email)
        )
    user.status = UserStatus.ACTIVE
    session.add(user)
    return user, created


def _sync_roles(
    session: Session,
    principal: PunchoutClient,
    connection: PunchoutConnection,
    *,
    user: User,
    arrival: Arrival,
    created: bool,
) -> None:
    before, after = jit_users.sync_roles(
        session,
        company_id=connection.company_id,
        user=user,
        values=punchout.role_values(arrival.fields, connection.role_field),
        role_mapping=connection.role_mapping,
        default_role_id=connection.default_role_id,
    )
    if created or before != after:
        audit.record(
            session,
            "punchout.user_created" if created else "punchout.roles_synced",
            company_id=connection.company_id,
            by=principal.attribution,
            target_type="user",
            target_id=user.id,
            before=None if created else {"roles": before},
            after={"email": user.email, "roles": after} if created else {"roles": after},
        )


def welcome(
    session: Session, principal: PunchoutClient, *, settings: Settings, arrival: Arrival
) -> Welcome:
    """Open a punchout session for the user the request names and return its start link."""
    connection = _connection(session, principal)
    problem = punchout.return_url_problem(
        arrival.return_url, connection.allowed_origins, settings.is_dev
    )
    if problem:
        raise PunchoutRefused(400, problem, connection.company_id, connection.id)
    if arrival.operation not in set(Operation):
        raise PunchoutRefused(400, "operation", connection.company_id, connection.id)
    user, created = _arriving_user(session, connection, arrival)
    _sync_roles(session, principal, connection, user=user, arrival=arrival, created=created)
    row = PunchoutSession(
        company_id=connection.company_id,
        connection_id=connection.id,  # type: ignore[arg-type]
        reference="PO-" + new_token()[:20],
        operation=arrival.operation,
        buyer_cookie=arrival.buyer_cookie[:500],
        return_url=arrival.return_url[:2000],
        echo={**arrival.echo, "items": [list(i) for i in arrival.items]},
        user_id=user.id,
        user_created=created,
        setup_request=punchout.masked(arrival.raw[:400_000])[:200_000],
    )
    session.add(row)
    session.flush()
    raw = one_time_tokens.issue(
        session,
        PUNCHOUT_START,
        timedelta(minutes=punchout.START_LINK_MINUTES),
        user_id=user.id,
        payload={"session": row.id, "cookie": token_hash(arrival.buyer_cookie)},
    )
    url = routes.link(settings.base_url, routes.PUNCHOUT_START, token=raw)
    return Welcome(session_id=row.id, start_url=url, user_created=created)  # type: ignore[arg-type]
