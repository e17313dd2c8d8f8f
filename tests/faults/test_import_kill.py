"""A CSV user import killed (SIGKILL) in the middle of a batch.

The import runs in a process of its own here, exactly the service calls the worker's
background task makes (``preview_import``, then ``import_rows``: each batch one transaction).
The test locks the user table once a batch is saved, so the next batch waits half-done, and
kills the process: the saved batches are there whole, the cut one not at all, and importing
the same file again adds each missing user once (the preview skips addresses in use).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.models.user import User
from tests.factories import make_company, signed_in_cookie
from tests.faults.conftest import migrated_database
from tests.faults.processes import ROOT, portal_env
from tests.faults.servers import ThrowawayPostgres, wait_for
from tests.faults.test_worker_kill import Held

ROWS, BATCH = 400, 20
IMPORT = """
import sys
from customer_center.auth.principals import resolve_principal
from customer_center.db import session_scope
from customer_center.presenters.people import builtin_role_names
from customer_center.services.people import user_import
from customer_center.settings import get_settings

cookie, csv_path, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
with session_scope() as session:
    actor = resolve_principal(session, cookie)
    preview = user_import.preview_import(
        session, actor, csv_bytes=open(csv_path, "rb").read(), builtin_names=builtin_role_names
    )
steps = user_import.import_rows(
    actor, settings=get_settings(), rows=preview.rows, batch_size=batch
)
for step in steps:
    print("saved", step.done, flush=True)
"""
USERS = "SELECT count(*) FROM user_account WHERE email LIKE 'imported%'"


def _csv(path: Path) -> Path:
    lines = ["name,email,language,roles"]
    lines += [f"Imported {n},imported{n:03}@acme.example,de,buyer" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _import(env: dict[str, str], cookie: str, csv: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", IMPORT, cookie, str(csv), str(BATCH)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _users(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(USERS)).scalar_one())


def test_an_import_killed_mid_batch_keeps_whole_batches_and_completes_once(
    postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    url, engine = migrated_database(postgres, "import_kill")
    with Session(engine) as session:
        main = make_company(session)
        user = session.get(User, main.user_id)
        assert user is not None
        cookie = signed_in_cookie(session, user)
    env, csv = portal_env(url), _csv(tmp_path / "users.csv")

    importing = _import(env, cookie, csv)
    assert importing.stdout is not None
    assert importing.stdout.readline().split() == ["saved", str(BATCH)]  # one batch is in
    held = Held(engine, "user_account")  # the next one waits at its inserts
    try:
        wait_for("the next batch waits", lambda: len(held.waiting_ports()) == 1, 30)
        importing.kill()
        importing.wait()
    finally:
        held.release()
    saved = _users(engine)
    assert saved % BATCH == 0 and BATCH <= saved < ROWS  # whole batches, the cut one not at all

    again = _import(env, cookie, csv)
    out, _ = again.communicate(timeout=120)
    assert again.returncode == 0
    assert out.split()[-1] == str(ROWS - saved)  # only the missing ones
    assert _users(engine) == ROWS  # each once
