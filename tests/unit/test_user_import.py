"""Users CSV: parsing, the preview (every problem in words, no writes), the import in batches,
and the export that the import reads back."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.domain.csv_cells import csv_line, csv_safe, unguard
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.user_csv import EXPORT_COLUMNS, MAX_BYTES, MAX_ROWS, parse_users_csv
from customer_center.http import user_export as export_http
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.presenters.people import builtin_role_names, import_problem_text
from customer_center.services import emails
from customer_center.services.people import user_export, user_import
from customer_center.services.people.user_import import ImportRow
from customer_center.settings import get_settings
from tests.factories import actor_for, make_company, make_user, role_id, signed_in_cookie
from tests.state.test_forged_events import snapshot

HEADER = "name,email,language,roles\n"


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(lines) + "\n").encode()


def _file_error(data: bytes) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        parse_users_csv(data)
    assert refused.value.field == "file"
    return refused.value


# --- parsing -----------------------------------------------------------------------------------


def test_comma_file_with_quoting() -> None:
    rows = parse_users_csv(
        _csv('"Beispiel, Anna",anna@example.com,DE,"buyer;approver"', "Ben,ben@example.com,en,")
    )
    assert [(r.line, r.name, r.email, r.language, r.roles) for r in rows] == [
        (2, "Beispiel, Anna", "anna@example.com", "de", ("buyer", "approver")),
        (3, "Ben", "ben@example.com", "en", ()),
    ]


def test_semicolon_file_with_byte_order_mark_and_german_headers() -> None:
    data = "\ufeffE-Mail;Name;Rollen;Sprache\r\njörg@example.com;Jörg Müller;Einkäufer;de\r\n"
    (row,) = parse_users_csv(data.encode("utf-8"))
    assert (row.name, row.email, row.roles, row.language) == (
        "Jörg Müller",
        "jörg@example.com",
        ("Einkäufer",),
        "de",
    )


def test_unquoted_roles_in_a_semicolon_file_are_all_kept() -> None:
    (row,) = parse_users_csv(b"name;email;language;roles\nAnna;a@example.com;en;buyer;approver\n")
    assert row.roles == ("buyer", "approver")


def test_line_numbers_count_blank_and_multi_line_records() -> None:
    rows = parse_users_csv(
        _csv('"Anna\nBeispiel",a@example.com,en,buyer', "", "Ben,b@x.de,en,buyer")
    )
    assert [(r.line, r.name) for r in rows] == [(2, "Anna Beispiel"), (5, "Ben")]


def test_extra_columns_and_missing_optional_columns() -> None:
    (row,) = parse_users_csv(b"email,status,name\na@example.com,active,Anna\n")
    assert (row.name, row.email, row.language, row.roles) == ("Anna", "a@example.com", "", ())


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"x" * (MAX_BYTES + 1), "import.error.too_large"),
        ("name,email\nJörg,j@x.de\n".encode("latin-1"), "import.error.not_utf8"),
        (b"vorname,nachname\nA,B\n", "import.error.header"),
        (b"", "import.error.header"),
        (b"name,email\n\n,\n", "import.error.empty"),
        (b'name,email\n"' + b"x" * 200_000 + b'",a@x.de\n', "import.error.unreadable"),
    ],
)
def test_unusable_files_are_refused_as_a_whole(data: bytes, code: str) -> None:
    assert _file_error(data).code == code


def test_row_limit() -> None:
    rows = [f"U{i},u{i}@example.com,en,buyer" for i in range(MAX_ROWS)]
    assert len(parse_users_csv(_csv(*rows))) == MAX_ROWS
    error = _file_error(_csv(*rows, "One more,more@example.com,en,buyer"))
    assert (error.code, error.params) == ("import.error.too_many_rows", {"max": MAX_ROWS})


@pytest.mark.parametrize("value", ["=1+1", "+49 30", "-x", "@SUM(A1)", "\tx", "plain", "'quoted"])
def test_formula_guard_is_undone_on_import(value: str) -> None:
    guarded = csv_safe(value)
    assert not guarded.startswith(("=", "+", "-", "@", "\t"))
    assert unguard(guarded) == value


# --- the preview -------------------------------------------------------------------------------


class Acme:
    """Acme with its main contact, a buyer, a custom role, and Other AG."""

    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        self.ben = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        self.other = make_company(session, "C-2", "Other AG")
        make_user(session, self.other.company_id, "olga@other.example", ["buyer"])
        session.add(Role(company_id=self.main.company_id, code="warehouse", name="Lager Nord"))
        session.commit()
        self.session = session

    def role(self, code: str) -> int:
        return role_id(self.session, self.main.company_id, code)


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def _problems(row: ImportRow) -> list[str]:
    return [code for code, _params in row.problems]


def test_every_problem_is_named_in_words(session: Session, acme: Acme) -> None:
    data = _csv(
        "Anna,anna@acme.example,de,buyer",
        "Anna Again,ANNA@acme.example,de,buyer",
        "Ben,ben@acme.example,en,buyer",
        "Olga,olga@other.example,en,buyer",
        ",nobody@acme.example,en,buyer",
        "Bad Mail,not-an-address,en,buyer",
        "No Mail,,en,buyer",
        "French,fr@acme.example,fr,buyer",
        "No Role,norole@acme.example,en,",
        "Wizard,wiz@acme.example,en,buyer;wizard",
        "Boss,boss@acme.example,en,Main contact",
        "L" * 201 + ",long@acme.example,en,buyer",
    )
    preview = user_import.preview_import(
        session, acme.main, csv_bytes=data, builtin_names=builtin_role_names
    )
    by_line = {row.line: row for row in preview.rows}
    assert _problems(by_line[2]) == []
    assert by_line[3].problems == (("import.row.email_duplicate", {"line": 2}),)
    assert _problems(by_line[4]) == ["import.row.email_taken"]
    assert _problems(by_line[5]) == ["import.row.email_taken"]  # addresses are portal-wide
    assert _problems(by_line[6]) == ["import.row.name_missing"]
    assert _problems(by_line[7]) == ["import.row.email_invalid"]
    assert _problems(by_line[8]) == ["import.row.email_missing"]
    assert by_line[9].problems == (
        ("import.row.language_unknown", {"language": "fr", "choices": "en, de"}),
    )
    assert _problems(by_line[10]) == ["import.row.role_missing"]
    assert by_line[11].problems == (("import.row.role_unknown", {"role": "wizard"}),)
    assert _problems(by_line[12]) == ["import.row.role_main_contact"]
    assert by_line[13].problems == (("import.row.name_too_long", {"max": 200}),)
    assert (preview.ok_count, preview.error_count) == (1, 11)
    assert import_problem_text(by_line[3].problems[0], "en") == "same e-mail address as line 2"
    assert import_problem_text(by_line[3].problems[0], "de") == (
        "dieselbe E-Mail-Adresse wie Zeile 2"
    )


def test_errors_come_first_then_file_order(session: Session, acme: Acme) -> None:
    data = _csv("A,a@acme.example,en,buyer", "B,bad,en,buyer", "C,c@acme.example,en,buyer")
    rows = user_import.preview_import(
        session, acme.main, csv_bytes=data, builtin_names=builtin_role_names
    ).rows
    assert [(r.line, r.ok) for r in rows] == [(3, False), (2, True), (4, True)]


def test_roles_by_code_or_name_in_any_case_and_language(session: Session, acme: Acme) -> None:
    data = _csv(
        "A,a@acme.example,en,BUYER",
        "B,b@acme.example,en,einkäufer; Approver",
        "C,c@acme.example,en,lager nord",
        "D,d@acme.example,,warehouse",
    )
    rows = {
        r.line: r
        for r in user_import.preview_import(
            session, acme.main, csv_bytes=data, builtin_names=builtin_role_names
        ).rows
    }
    assert rows[2].role_ids == (acme.role("buyer"),)
    assert rows[3].role_ids == tuple(sorted((acme.role("buyer"), acme.role("approver"))))
    assert rows[4].role_ids == rows[5].role_ids == (acme.role("warehouse"),)
    assert rows[5].language == acme.main.language  # no language: the importer's
    assert all(row.ok for row in rows.values())


def test_roles_of_another_company_are_unknown(session: Session, acme: Acme) -> None:
    session.add(Role(company_id=acme.other.company_id, code="secret", name="Secret"))
    session.commit()
    (row,) = user_import.preview_import(
        session,
        acme.main,
        csv_bytes=_csv("A,a@acme.example,en,secret"),
        builtin_names=builtin_role_names,
    ).rows
    assert _problems(row) == ["import.row.role_unknown"]


def test_nobody_hands_out_rights_they_lack(session: Session, acme: Acme) -> None:
    hr_role = Role(company_id=acme.main.company_id, code="hr", name="HR")
    session.add(hr_role)
    session.flush()
    session.add(RolePermission(role_id=hr_role.id, permission=Permission.USERS_MANAGE))  # type: ignore[arg-type]
    hr = make_user(session, acme.main.company_id, "hr@acme.example", ["hr"])
    session.commit()
    data = _csv("A,a@acme.example,en,controller", "B,b@acme.example,en,hr")
    rows = {
        r.line: r
        for r in user_import.preview_import(
            session, actor_for(session, hr), csv_bytes=data, builtin_names=builtin_role_names
        ).rows
    }
    assert _problems(rows[2]) == ["import.row.role_beyond_rights"]
    assert rows[3].ok


def test_the_preview_writes_nothing(session: Session, acme: Acme, db) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(db, None)
    data = _csv("A,a@acme.example,en,buyer", "B,bad,en,buyer")
    user_import.preview_import(session, acme.main, csv_bytes=data, builtin_names=builtin_role_names)
    session.commit()
    assert snapshot(db, None) == before


# --- saving ------------------------------------------------------------------------------------


def _valid_rows(session: Session, acme: Acme, count: int) -> list[ImportRow]:
    data = _csv(*(f"User {i},user{i}@acme.example,de,buyer;approver" for i in range(count)))
    preview = user_import.preview_import(
        session, acme.main, csv_bytes=data, builtin_names=builtin_role_names
    )
    assert preview.ok_count == count
    return list(preview.rows)


def _imported(session: Session, acme: Acme) -> list[str]:
    session.expire_all()
    return sorted(
        session.exec(
            select(User.email).where(
                User.company_id == acme.main.company_id, User.status == UserStatus.INVITED
            )
        ).all()
    )


def test_valid_rows_are_invited_batch_by_batch(session: Session, acme: Acme) -> None:
    rows = _valid_rows(session, acme, 5)
    steps = list(
        user_import.import_rows(acme.main, settings=get_settings(), rows=rows, batch_size=2)
    )
    assert [(s.done, s.invited, s.total) for s in steps] == [(2, 2, 5), (4, 4, 5), (5, 5, 5)]
    assert _imported(session, acme) == [f"user{i}@acme.example" for i in range(5)]
    anna = session.exec(select(User).where(User.email == "user0@acme.example")).one()
    assert anna.language == "de"
    roles = set(session.exec(select(UserRole.role_id).where(UserRole.user_id == anna.id)).all())
    assert roles == {acme.role("buyer"), acme.role("approver")}
    assert len(session.exec(select(OutboxMessage)).all()) == 5


def test_rows_with_problems_are_skipped(session: Session, acme: Acme) -> None:
    data = _csv("A,a@acme.example,en,buyer", "B,bad,en,buyer")
    rows = user_import.preview_import(
        session, acme.main, csv_bytes=data, builtin_names=builtin_role_names
    ).rows
    (step,) = user_import.import_rows(acme.main, settings=get_settings(), rows=rows)
    assert (step.total, step.invited) == (1, 1)
    assert _imported(session, acme) == ["a@acme.example"]


def test_a_failing_batch_saves_nothing_of_its_own(
    session: Session, acme: Acme, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _valid_rows(session, acme, 5)
    queue, calls = emails.queue, []

    def failing_queue(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 4:  # the second user of the second batch
            raise RuntimeError("mail queue broken")
        return queue(*args, **kwargs)

    monkeypatch.setattr(emails, "queue", failing_queue)
    steps = user_import.import_rows(acme.main, settings=get_settings(), rows=rows, batch_size=2)
    assert next(steps).invited == 2
    with pytest.raises(RuntimeError):
        next(steps)
    assert _imported(session, acme) == ["user0@acme.example", "user1@acme.example"]


def test_rows_taken_since_the_preview_are_reported_and_the_rest_saved(
    session: Session, acme: Acme
) -> None:
    rows = _valid_rows(session, acme, 3)
    make_user(session, acme.other.company_id, "user1@acme.example", ["buyer"])
    session.commit()
    (step,) = user_import.import_rows(acme.main, settings=get_settings(), rows=rows)
    assert step.invited == 2
    assert [(r.line, r.problems[0][0]) for r in step.failed] == [(3, "users.error.email_taken")]
    assert _imported(session, acme) == ["user0@acme.example", "user2@acme.example"]


# --- the export --------------------------------------------------------------------------------


def _export(session: Session, acme: Acme) -> str:
    return "".join(user_export.iter_users_csv(session, acme.main))


def test_export_columns_are_read_back_by_the_import(
    session: Session, acme: Acme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(user_export, "CSV_BATCH", 2)  # several keyset batches
    ben = session.get(User, acme.ben.id)
    assert ben is not None
    ben.name = "=HYPERLINK(evil)"
    make_user(session, acme.main.company_id, "cara@acme.example", ["approver", "buyer"])
    session.commit()
    text = _export(session, acme)
    assert text.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    assert "'=HYPERLINK(evil)" in text
    assert "olga@other.example" not in text
    parsed = {row.email: row for row in parse_users_csv(text.encode())}
    users = session.exec(select(User).where(User.company_id == acme.main.company_id)).all()
    assert set(parsed) == {user.email for user in users}
    assert parsed["ben@acme.example"].name == "=HYPERLINK(evil)"
    assert parsed["cara@acme.example"].roles == ("approver", "buyer")
    assert parsed["main@c-1.example"].roles == ("main_contact",)


def test_export_line_has_every_column(session: Session, acme: Acme) -> None:
    line = _export(session, acme).splitlines()[1]
    assert line.startswith("Ben,ben@acme.example,en,buyer,active,no,")
    assert csv_line(["a", None, 1]) == "a,,1\r\n"


def test_export_route_is_for_user_managers_only(session: Session, acme: Acme) -> None:
    client = TestClient(Starlette(routes=export_http.routes))
    main_user = session.get(User, acme.main.user_id)
    for user, status in ((main_user, 200), (acme.ben, 403)):
        client.cookies.set(SESSION_COOKIE, signed_in_cookie(session, user))  # type: ignore[arg-type]
        response = client.get("/export/users.csv")
        assert response.status_code == status
    client.cookies.set(SESSION_COOKIE, signed_in_cookie(session, main_user))  # type: ignore[arg-type]
    body = client.get("/export/users.csv").content.decode("utf-8-sig")
    assert "ben@acme.example" in body and "olga@other.example" not in body
