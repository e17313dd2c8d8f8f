"""Reading the audit log: filters, pages, company scoping, changes in words, the CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from customer_center.domain.csv_cells import csv_safe
from customer_center.domain.principals import CustomerUser, PrincipalKind, ScimClient
from customer_center.models.audit import AuditEntry
from customer_center.models.user import Role
from customer_center.presenters import audit as audit_words
from customer_center.services import audit, audit_log
from customer_center.services.audit_log import (
    AuditFilter,
    audit_page,
    filter_from_params,
    filter_to_params,
    iter_audit_batches,
    user_choices,
)
from tests.factories import make_company, make_user

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


class Log:
    """Acme with Ben (buyer), a custom role and a few entries; Other AG writes its own."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.main = make_company(session)
        self.ben = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        self.ben.name = "Ben Miller"
        self.role = Role(company_id=self.main.company_id, code="custom-x", name="Finance")
        session.add_all([self.ben, self.role])
        self.other = make_company(session, "C-2", "Other AG")
        session.commit()

    def add(
        self, action: str, minutes: int = 0, actor: CustomerUser | None = None, **fields
    ) -> None:  # type: ignore[no-untyped-def]
        who = actor or self.main
        self.session.add(
            AuditEntry(
                company_id=who.company_id,
                actor_user_id=fields.pop("actor_user_id", who.user_id),
                action=action,
                created_at=T0 + timedelta(minutes=minutes),
                session_id=fields.pop("session_id", who.session_id),
                **fields,
            )
        )
        self.session.commit()


@pytest.fixture
def log(session: Session) -> Log:
    return Log(session)


def _actions(log: Log, audit_filter: AuditFilter = AuditFilter(), actor=None) -> list[str]:  # type: ignore[no-untyped-def]
    page = audit_page(log.session, actor or log.main, audit_filter=audit_filter, page_size=100)
    return [record.action for record in page.records]


def _rows(log: Log, actor: CustomerUser | None = None, page: int = 0, size: int = 25):  # type: ignore[no-untyped-def]
    """The first page as the table shows it, in the actor's language."""
    who = actor or log.main
    found = audit_page(log.session, who, audit_filter=AuditFilter(), page=page, page_size=size)
    return audit_words.page_rows(found, who.language)


def _csv(log: Log, audit_filter: AuditFilter = AuditFilter(), actor=None) -> list[list[str]]:  # type: ignore[no-untyped-def]
    who = actor or log.main
    batches = iter_audit_batches(log.session, who, audit_filter=audit_filter)
    text = "".join(audit_words.csv_lines(batches, who.language))
    return list(csv.reader(io.StringIO(text)))


def test_another_companys_entries_never_appear(log: Log) -> None:
    log.add("user.invited", 1, target_type="user", target_id=str(log.ben.id))
    log.add("role.created", 2, actor=log.other, target_type="role", target_id="1")
    assert _actions(log) == ["user.invited"]
    assert _actions(log, actor=log.other) == ["role.created"]
    # Even when the filter names a user of the other company.
    assert _actions(log, AuditFilter(actor_user_id=log.other.user_id)) == []
    assert [row[3] for row in _csv(log)[1:]] == ["user.invited"]


def test_filters_by_who_area_action_and_target_type(log: Log) -> None:
    log.add("user.invited", 1, target_type="user", target_id=str(log.ben.id))
    log.add("budget.saved", 2, target_type="budget_user", target_id=str(log.ben.id))
    log.add("user.signed_in", 3, actor_user_id=log.ben.id, target_type="user")
    log.add("main_contact.handover_requested", 4, target_type="user")
    log.add("mainXcontact.odd", 5)
    assert _actions(log, AuditFilter(actor_user_id=log.ben.id)) == ["user.signed_in"]
    assert _actions(log, AuditFilter(area="user")) == ["user.signed_in", "user.invited"]
    assert _actions(log, AuditFilter(area="user.invited")) == ["user.invited"]
    # "_" is a LIKE wildcard: the area must match literally.
    assert _actions(log, AuditFilter(area="main_contact")) == ["main_contact.handover_requested"]
    assert _actions(log, AuditFilter(target_type="budget_user")) == ["budget.saved"]


def test_text_finds_actions_and_the_target_by_name(log: Log) -> None:
    log.add("user.invited", 1, target_type="user", target_id=str(log.ben.id))
    log.add("role.changed", 2, target_type="role", target_id=str(log.role.id))
    log.add("budget.saved", 3, target_type="budget_company", target_id="0")
    assert _actions(log, AuditFilter(text="miller")) == ["user.invited"]
    assert _actions(log, AuditFilter(text="FINANCE")) == ["role.changed"]
    assert _actions(log, AuditFilter(text="budget")) == ["budget.saved"]
    assert _actions(log, AuditFilter(text="100%_")) == []


def test_dates_are_whole_days_in_berlin(log: Log) -> None:
    # 23:30 UTC on 1 March is 00:30 on 2 March in Berlin.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    log.add("user.invited", int((late - T0).total_seconds() // 60))
    log.add("user.activated", 0)  # 10 March
    assert _actions(log, AuditFilter(date_from=date(2026, 3, 2))) == [
        "user.activated",
        "user.invited",
    ]
    assert _actions(log, AuditFilter(date_to=date(2026, 3, 1))) == []
    assert _actions(log, AuditFilter(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))) == [
        "user.invited"
    ]
    assert _actions(log, AuditFilter(date_to=date(2026, 3, 10))) == [
        "user.activated",
        "user.invited",
    ]


def test_pages_are_cut_in_sql_newest_first_with_has_next(log: Log) -> None:
    for minute in range(7):
        log.add(f"user.step_{minute}", minute)
    first, second, last = (
        audit_page(log.session, log.main, audit_filter=AuditFilter(), page=n, page_size=3)
        for n in range(3)
    )
    shown = [r.action for p in (first, second, last) for r in p.records]
    assert shown == [f"user.step_{m}" for m in range(6, -1, -1)]
    assert (first.has_next, second.has_next, last.has_next) == (True, True, False)
    assert (
        audit_page(log.session, log.main, audit_filter=AuditFilter(), page_size=7).has_next is False
    )


def test_a_row_reads_as_words(log: Log) -> None:
    log.add(
        "budget.saved",
        target_type="budget_user",
        target_id=str(log.ben.id),
        before={"max_order_value_cents": 100000, "period": None, "max_quantity_per_order": 5},
        after={"max_order_value_cents": 200000, "period": "month", "max_quantity_per_order": 5},
    )
    log.add("user.signed_out", 1, actor_user_id=None, target_type="user", target_id="99999")
    log.add("future.thing", 2, target_type="role", target_id=str(log.role.id))
    future, system, budget = _rows(log)
    assert "10:00" in budget["when"]  # 09:00 UTC, shown in Berlin time
    assert budget["who"] == "Main"
    assert budget["action"] == "Budget saved"
    assert budget["target"] == "Budget of user: Ben Miller"
    assert budget["changes"].split("\n") == [
        "Maximum order value: €1,000.00 → €2,000.00",
        "Budget period: — → month",
    ]
    assert "Maximum order value: €1,000.00" in budget["before"].split("\n")  # worded too
    assert budget["session"] == f"#{log.main.session_id}"
    assert system["who"] == "System" and system["target"] == "User: #99999"
    assert future["action"] == "future.thing" and future["target"] == "Role: Finance"


def test_rows_follow_the_viewers_language(log: Log) -> None:
    log.add(
        "user.roles_changed",
        target_type="user",
        target_id=str(log.ben.id),
        before={"roles": ["buyer"], "language": "en"},
        after={"roles": ["buyer", "custom-x"], "language": "de"},
    )
    german = replace(log.main, language="de")
    row = _rows(log, german)[0]
    assert row["action"] == "Rollen geändert"
    assert row["changes"].split("\n") == [
        "Rollen: Einkäufer → Einkäufer, Finance",
        "Sprache: English → Deutsch",
    ]


def test_a_new_record_shows_its_values_and_a_deleted_role_keeps_its_name(log: Log) -> None:
    log.add(
        "role.created",
        target_type="role",
        target_id=str(log.role.id),
        after={"name": "Finance", "permissions": ["audit.view"]},
    )
    log.add("role.deleted", 1, target_type="role", target_id="777", before={"name": "Gone"})
    deleted, created = _rows(log)
    assert created["changes"].split("\n") == ["Name: Finance", "Rights: See the audit log"]
    assert deleted["target"] == "Role: Gone"
    assert deleted["changes"] == "Name: Gone → —"


def test_the_csv_is_neutral_under_a_translated_header(log: Log) -> None:
    log.add(
        "user.profile_changed",
        target_type="user",
        target_id=str(log.ben.id),
        before={"name": "Ben"},
        after={"name": "Ben Miller"},
        ip_address="10.0.0.1",
    )
    german = replace(log.main, language="de")
    header, row = _csv(log, actor=german)
    assert header[:4] == ["Zeit (UTC)", "Benutzer-ID", "Benutzer", "Aktion"]
    assert row[0] == "2026-03-10T09:00:00+00:00"
    assert row[1:7] == [
        str(log.main.user_id),
        "Main",
        "user.profile_changed",
        "user",
        str(log.ben.id),
        "Ben Miller",
    ]
    assert row[7:] == [
        '{"name": "Ben"}',
        '{"name": "Ben Miller"}',
        str(log.main.session_id),
        "10.0.0.1",
    ]


def test_the_csv_defuses_formulas(log: Log) -> None:
    log.ben.name = '=HYPERLINK("http://evil")'
    log.session.add(log.ben)
    log.session.commit()
    log.add("user.invited", target_type="user", target_id=str(log.ben.id))
    row = _csv(log)[1]
    assert row[6] == '\'=HYPERLINK("http://evil")'
    assert [csv_safe(v) for v in ("+1", "-2", "@x", "\tx", "a=b", "")] == [
        "'+1",
        "'-2",
        "'@x",
        "'\tx",
        "a=b",
        "",
    ]


def test_the_csv_reads_in_batches_without_losing_or_repeating_rows(log: Log, monkeypatch) -> None:
    monkeypatch.setattr(audit_log, "CSV_BATCH", 3)
    for n in range(8):
        log.add(f"user.n{n}", n // 2)  # pairs share a timestamp: the id breaks the tie
    log.add("user.other", actor=log.other)
    actions = [row[3] for row in _csv(log)[1:]]
    assert actions == [f"user.n{n}" for n in range(7, -1, -1)]


def test_the_csv_applies_the_filter(log: Log) -> None:
    log.add("user.invited", 1)
    log.add("budget.saved", 2)
    assert [row[3] for row in _csv(log, AuditFilter(area="budget"))[1:]] == ["budget.saved"]


def test_filters_from_untrusted_strings_drop_what_does_not_parse() -> None:
    assert (
        filter_from_params(
            {"who": "12x", "area": "user'; drop", "target": "a b", "from": "2026-02-30", "to": "x"}
        )
        == AuditFilter()
    )
    wanted = AuditFilter(
        actor_user_id=5,
        area="budget.saved",
        target_type="budget_user",
        text="ben",
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 31),
    )
    assert filter_from_params(filter_to_params(wanted)) == wanted
    assert filter_to_params(AuditFilter()) == {}
    assert len(filter_from_params({"q": "x" * 500}).text) == 100


def test_user_choices_stay_in_the_company_and_are_limited(log: Log) -> None:
    for n in range(5):
        make_user(log.session, log.main.company_id, f"u{n}@acme.example", [], name=f"Zed {n}")
    log.session.commit()
    everyone = user_choices(log.session, log.main)
    assert {name for _id, name in everyone} >= {"Ben Miller", "Main", "Zed 0"}
    assert all(user_id != log.other.user_id for user_id, _name in everyone)
    assert [name for _id, name in user_choices(log.session, log.main, search="zed", limit=3)] == [
        "Zed 0",
        "Zed 1",
        "Zed 2",
    ]
    assert user_choices(log.session, log.main, search="ben@") == [(log.ben.id, "Ben Miller")]


def test_writing_and_reading_meet(log: Log) -> None:
    """An entry written by the services' own helper shows up with its session."""
    audit.record_admin(
        log.session,
        log.main,
        action="chain.saved",
        target_type="chain_company",
        target_id=0,
        after={"levels": [{"rule": "any", "approvers": []}]},
    )
    log.session.commit()
    row = _rows(log)[0]
    assert row["target"] == "Company approver chain"
    assert row["changes"] == "Approval levels: 1"


def test_only_the_first_changes_are_the_summary(log: Log) -> None:
    before = {f"k{n}": n for n in range(5)}
    log.add("role.changed", before=before, after={key: v + 1 for key, v in before.items()})
    row = _rows(log)[0]
    assert row["changes"].split("\n") == ["K0: 0 → 1", "K1: 1 → 2", "K2: 2 → 3"]
    assert row["more_changes"].split("\n") == ["K3: 3 → 4", "K4: 4 → 5"]


def test_a_scim_change_and_a_user_change_carry_their_kinds_and_read_as_before(log: Log) -> None:
    """Who acted is recorded by kind (and id); the log words a user by name and a SCIM
    token by its label, and the CSV names them the same way."""
    scim = ScimClient(token_id=7, company_id=log.main.company_id, label="Okta")
    target = {"target_type": "user", "target_id": log.ben.id}
    audit.record_admin(log.session, log.main, action="user.invited", **target)  # type: ignore[arg-type]
    audit.record_admin(log.session, scim, action="user.deactivated", **target)  # type: ignore[arg-type]
    log.session.commit()
    written = log.session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    assert [(e.actor_kind, e.actor_ref, e.actor_user_id) for e in written] == [
        (PrincipalKind.CUSTOMER_USER, log.main.user_id, log.main.user_id),
        (PrincipalKind.SCIM_TOKEN, 7, None),
    ]
    page = audit_page(log.session, log.main, audit_filter=AuditFilter())
    assert [(r.actor_kind, r.actor_name) for r in page.records] == [
        (PrincipalKind.SCIM_TOKEN, "Okta"),
        (PrincipalKind.CUSTOMER_USER, "Main"),
    ]
    by_scim, by_user = _rows(log)
    assert (by_scim["who"], by_user["who"]) == ("SCIM token Okta", "Main")
    assert by_scim["target"] == by_user["target"] == "User: Ben Miller"
    assert [row[1:3] for row in _csv(log)[1:]] == [
        ["", "SCIM token Okta"],
        [str(log.main.user_id), "Main"],
    ]
