"""The seller's staff: signing in apart from customers, invitations, rights, deactivation,
account teams, and the audit trail of every change."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.auth.browser_key import binding_of, new_browser_key
from customer_center.auth.principals import resolve_agent, resolve_principal
from customer_center.auth.sessions import open_session
from customer_center.auth.staff_sessions import live_staff_session_of
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.principals import PrincipalKind
from customer_center.domain.staff import StaffPermission, StaffStatus, TeamRole
from customer_center.models.audit import AuditEntry
from customer_center.models.outbox import OutboxMessage
from customer_center.models.staff import StaffMember
from customer_center.models.user import User
from customer_center.services.identity import one_time_tokens
from customer_center.services.seller import sign_in, staff, teams
from customer_center.settings import get_settings
from tests.factories import PASSWORD, make_company
from tests.staff_factories import agent_for, make_staff, staff_cookie

KEY = new_browser_key()
NEW_PASSWORD = "Lantern-orbit-quietly-7"


def _attempt(email: str = "boss@seller.example", password: str = PASSWORD):
    return sign_in.StaffSignInAttempt(
        email=email, password=password, ip_address="10.1.1.1", browser=binding_of(KEY)
    )


def _sign_in(session: Session, attempt) -> str:  # type: ignore[no-untyped-def]
    ticket = sign_in.staff_sign_in(session, attempt)
    return sign_in.redeem_staff_ticket(
        session, ticket, browser_key=KEY, days=1, ip_address="10.1.1.1", user_agent="test"
    )


def _link_token(session: Session, to: str) -> str:
    mails = session.exec(select(OutboxMessage)).all()
    [text] = [m.payload["text"] for m in mails if m.payload["to"] == to]
    return text.split("token=")[1].split()[0]


def test_staff_sign_in_opens_a_staff_session_that_no_customer_page_accepts(session) -> None:
    boss = make_staff(session, "boss@seller.example")
    cookie = _sign_in(session, _attempt())
    agent = resolve_agent(session, cookie)
    assert agent is not None and agent.agent_id == boss.id
    assert agent.rights == frozenset(StaffPermission)
    assert resolve_principal(session, cookie) is None  # a staff cookie is no customer session
    assert boss.last_sign_in_at is not None
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "staff.signed_in")).one()
    assert (entry.company_id, entry.actor_kind, entry.actor_ref, entry.actor_user_id) == (
        None,
        PrincipalKind.SELLER_AGENT,
        boss.id,
        None,
    )


def test_a_customer_session_never_resolves_a_staff_member(session) -> None:
    main = make_company(session)
    user = session.get(User, main.user_id)
    raw = open_session(session, user, days=1)
    session.flush()
    make_staff(session, user.email)  # even with the same address
    assert resolve_agent(session, raw) is None
    assert resolve_principal(session, raw) is not None


def test_wrong_passwords_are_refused_alike_and_lock_progressively(session) -> None:
    make_staff(session, "boss@seller.example")
    make_staff(session, "new@seller.example", status=StaffStatus.INVITED, password=None)
    for attempt in (_attempt(password="wrong-password-1"), _attempt("nobody@seller.example")):
        with pytest.raises(ServiceError) as refused:
            sign_in.staff_sign_in(session, attempt)
        assert refused.value.code == "sign_in.invalid"
    with pytest.raises(ServiceError, match="sign_in.invalid"):
        sign_in.staff_sign_in(session, _attempt("new@seller.example"))
    with pytest.raises(ValidationFailed):
        sign_in.staff_sign_in(session, _attempt(password=""))
    for _ in range(6):
        sign_in.record_staff_sign_in_failure(session, _attempt(password="wrong"))
    with pytest.raises(ServiceError) as locked:
        sign_in.staff_sign_in(session, _attempt())
    assert locked.value.code == "sign_in.locked" and locked.value.params["minutes"] >= 1


def test_a_ticket_works_once_and_only_in_its_browser(session) -> None:
    make_staff(session, "boss@seller.example")
    ticket = sign_in.staff_sign_in(session, _attempt())
    with pytest.raises(ServiceError, match="sign_in.other_browser"):
        sign_in.redeem_staff_ticket(
            session, ticket, browser_key=new_browser_key(), days=1, ip_address="", user_agent=""
        )
    sign_in.redeem_staff_ticket(
        session, ticket, browser_key=KEY, days=1, ip_address="", user_agent=""
    )
    with pytest.raises(ServiceError, match="link.used"):
        sign_in.redeem_staff_ticket(
            session, ticket, browser_key=KEY, days=1, ip_address="", user_agent=""
        )


def test_a_supervisor_adds_a_member_who_accepts_the_invitation(session) -> None:
    boss = agent_for(session, make_staff(session, "boss@seller.example"))
    new_id = staff.add_staff(
        session,
        boss,
        settings=get_settings(),
        name="Alex Agent",
        email=" Alex@Seller.example ",
        rights=[StaffPermission.VIEW],
    )
    member = session.get(StaffMember, new_id)
    assert (member.email, member.status, member.rights) == (
        "alex@seller.example",
        StaffStatus.INVITED,
        ["seller.view"],
    )
    token = _link_token(session, "alex@seller.example")
    assert staff.check_invitation(session, token).name == "Alex Agent"
    with pytest.raises(ValidationFailed) as weak:
        staff.accept_invitation(
            session, raw_token=token, password="short", password_repeat="short", browser="b"
        )
    assert weak.value.errors["password"][0] == "password.too_short"
    ticket = staff.accept_invitation(
        session,
        raw_token=token,
        password=NEW_PASSWORD,
        password_repeat=NEW_PASSWORD,
        browser=binding_of(KEY),
    )
    assert member.status == StaffStatus.ACTIVE
    cookie = sign_in.redeem_staff_ticket(
        session, ticket, browser_key=KEY, days=1, ip_address="", user_agent=""
    )
    assert resolve_agent(session, cookie).rights == frozenset({StaffPermission.VIEW})
    with pytest.raises(ServiceError, match="link"):
        staff.check_invitation(session, token)
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.target_id == str(new_id)))
    assert {"staff.added", "staff.invited", "staff.invitation_accepted"} <= set(actions.all())


def test_adding_refuses_bad_input_taken_addresses_and_unheld_rights(session) -> None:
    make_staff(session, "taken@seller.example")
    boss = agent_for(
        session, make_staff(session, "boss@seller.example", [StaffPermission.MANAGE_STAFF])
    )
    settings = get_settings()
    with pytest.raises(ValidationFailed) as bad:
        staff.add_staff(session, boss, settings=settings, name="", email="nope", rights=[])
    assert bad.value.errors == {
        "name": ("form.required", {}),
        "email": ("seller.staff.email_invalid", {}),
    }
    with pytest.raises(ValidationFailed) as taken:
        staff.add_staff(
            session, boss, settings=settings, name="T", email="TAKEN@seller.example", rights=[]
        )
    assert taken.value.errors["email"][0] == "seller.staff.email_taken"
    with pytest.raises(ValidationFailed) as unheld:
        staff.add_staff(
            session,
            boss,
            settings=settings,
            name="V",
            email="v@seller.example",
            rights=[StaffPermission.VIEW],
        )
    assert unheld.value.errors["rights"][0] == "seller.staff.rights_not_held"
    with pytest.raises(ValidationFailed):
        staff.add_staff(
            session,
            boss,
            settings=settings,
            name="V",
            email="v@seller.example",
            rights=["users.manage"],
        )


def test_only_manage_staff_administers_staff(session) -> None:
    viewer = agent_for(session, make_staff(session, "view@seller.example", [StaffPermission.VIEW]))
    other = make_staff(session, "other@seller.example")
    for call in (
        lambda: staff.staff_page(session, viewer),
        lambda: staff.set_rights(session, viewer, staff_id=other.id, rights=[]),
        lambda: staff.deactivate(session, viewer, staff_id=other.id),
        lambda: teams.set_account_team(session, viewer, company_id=1, members={}),
    ):
        with pytest.raises(ServiceError, match="error.permission_denied"):
            call()


def test_rights_change_and_deactivation_end_sessions_and_are_audited(session) -> None:
    boss = agent_for(session, make_staff(session, "boss@seller.example"))
    alex = make_staff(session, "alex@seller.example", [StaffPermission.VIEW])
    cookie = staff_cookie(session, alex)
    staff.set_rights(
        session,
        boss,
        staff_id=alex.id,
        rights=[StaffPermission.VIEW, StaffPermission.ACT_ON_BEHALF],
    )
    assert resolve_agent(session, cookie).rights == {"seller.view", "seller.act_on_behalf"}
    with pytest.raises(ServiceError, match="seller.staff.not_yourself"):
        staff.deactivate(session, boss, staff_id=boss.agent_id)
    staff.deactivate(session, boss, staff_id=alex.id)
    assert live_staff_session_of(session, cookie) is None
    with pytest.raises(ServiceError, match="sign_in.invalid"):
        sign_in.staff_sign_in(session, _attempt("alex@seller.example"))
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.target_id == str(alex.id)).order_by(AuditEntry.id)
    ).all()
    changed = next(e for e in entries if e.action == "staff.rights_changed")
    assert changed.before == {"rights": ["seller.view"]}
    assert changed.after == {"rights": ["seller.view", "seller.act_on_behalf"]}
    assert (changed.actor_kind, changed.actor_ref, changed.company_id) == (
        PrincipalKind.SELLER_AGENT,
        boss.agent_id,
        None,
    )
    assert changed.session_id == boss.session_id
    assert "staff.deactivated" in [e.action for e in entries]
    staff.reactivate(session, boss, staff_id=alex.id)
    assert alex.status == StaffStatus.ACTIVE


def test_staff_list_is_paged_in_sql(session) -> None:
    boss = agent_for(session, make_staff(session, "aaa@seller.example", name="Aaron"))
    for number in range(staff.PAGE_SIZE + 3):
        make_staff(session, f"m{number:02}@seller.example", name=f"Member {number:02}")
    first = staff.staff_page(session, boss)
    assert (first.total, first.page_count, len(first.rows)) == (staff.PAGE_SIZE + 4, 2, 25)
    assert first.rows[0].name == "Aaron"
    last = staff.staff_page(session, boss, page=9)
    assert (last.page, len(last.rows)) == (1, 4)


def test_the_account_team_is_set_and_read_for_the_company(session) -> None:
    company = make_company(session)
    boss = agent_for(session, make_staff(session, "boss@seller.example", name="Sabine"))
    kam = make_staff(session, "kam@seller.example", name="Karl")
    gone = make_staff(session, "gone@seller.example", status=StaffStatus.INACTIVE)
    assert teams.team_of(session, company.company_id) == []
    with pytest.raises(ValidationFailed):
        teams.set_account_team(
            session, boss, company_id=company.company_id, members={gone.id: TeamRole.AGENT}
        )
    teams.set_account_team(
        session,
        boss,
        company_id=company.company_id,
        members={boss.agent_id: TeamRole.AGENT, kam.id: TeamRole.KEY_ACCOUNT_MANAGER},
    )
    team = teams.team_of(session, company.company_id)
    assert [(m.name, m.team_role) for m in team] == [
        ("Karl", "key_account_manager"),
        ("Sabine", "agent"),
    ]
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.action == "staff.account_team_changed")
    ).one()
    assert (entry.company_id, entry.target_id) == (None, str(company.company_id))
    teams.set_account_team(session, boss, company_id=company.company_id, members={})
    assert teams.team_of(session, company.company_id) == []


def test_own_password_change_keeps_this_session_and_ends_the_others(session) -> None:
    member = make_staff(session, "boss@seller.example")
    other = staff_cookie(session, member)
    me = agent_for(session, member)
    with pytest.raises(ValidationFailed) as wrong:
        sign_in.change_own_password(
            session, me, current="nope", password=NEW_PASSWORD, password_repeat=NEW_PASSWORD
        )
    assert wrong.value.errors == {"current": ("seller.account.current_wrong", {})}
    sign_in.change_own_password(
        session, me, current=PASSWORD, password=NEW_PASSWORD, password_repeat=NEW_PASSWORD
    )
    assert live_staff_session_of(session, other) is None
    assert live_staff_session_of(session, None) is None
    assert sign_in.staff_sign_in(session, _attempt(password=NEW_PASSWORD))


def test_the_first_admin_gets_every_right_and_a_link(session) -> None:
    link = staff.create_first_admin(
        session, get_settings(), email="Chief@Seller.example", name="Chris"
    )
    assert link.startswith(get_settings().base_url + "/seller/invitation?token=")
    member = session.exec(select(StaffMember)).one()
    assert set(member.rights) == set(StaffPermission) and member.password_hash is None
    token = link.split("token=")[1]
    assert one_time_tokens.peek(session, staff.STAFF_INVITATION, token)
    with pytest.raises(ValidationFailed):
        staff.create_first_admin(session, get_settings(), email="chief@seller.example", name="")


def test_the_log_names_the_seller_agent() -> None:
    from customer_center.domain.principals import SellerAgent
    from customer_center.logs import bind_principal, current_context, start_context

    start_context("state.seller_staff_state.load")
    bind_principal(SellerAgent(agent_id=42, rights=frozenset(), session_id=7))
    context = current_context()
    assert (context.principal_kind, context.principal_id, context.company_id) == (
        "seller_agent",
        "42",
        "-",
    )
