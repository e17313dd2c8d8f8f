"""Production mode: what check_production refuses, and what `customer-center serve` starts."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest
from reflex_base.environment import environment as reflex_environment
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center import production
from customer_center.http import health
from customer_center.settings import (
    ConfigurationError,
    Settings,
    SmtpSettings,
    check_production,
    get_settings,
    load_settings,
)

SAFE = {
    "env": "production",
    "database_url": "postgresql+psycopg://portal@db.internal/portal",
    "secret_key": "s" * 40,
    "base_url": "https://portal.example",
    "cors_origins": ("https://portal.example",),
    "secure_cookies": True,
    "smtp": SmtpSettings("mail.example", 587, "", "", True, False),
    "erp_status_token": "t" * 40,
    "redis_url": "redis://cache.internal:6379/0",
    "workers": 4,
    "password_hashing": "standard",
}


def production_settings(**changes: object) -> Settings:
    return dataclasses.replace(get_settings(), **{**SAFE, **changes})  # type: ignore[arg-type]


def refusal(**changes: object) -> str:
    with pytest.raises(ConfigurationError) as refused:
        check_production(production_settings(**changes))
    return str(refused.value)


def test_a_safe_production_configuration_starts() -> None:
    check_production(production_settings())
    check_production(production_settings(redis_url="", workers=1))  # one worker needs no Redis
    check_production(production_settings(erp="http", erp_url="https://erp.example/api"))


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"cors_origins": ("*",)}, "CC_CORS_ORIGINS must list the portal's origins, not '*'"),
        ({"cors_origins": ()}, "CC_CORS_ORIGINS must list https:// origins only"),
        (
            {"cors_origins": ("https://portal.example", "http://intranet.example")},
            "CC_CORS_ORIGINS must list https:// origins only",
        ),
        (
            {"cors_origins": ("https://shop.example",)},
            "CC_CORS_ORIGINS must include https://portal.example",
        ),
        ({"database_url": "sqlite:///data/cc.db"}, "CC_DATABASE_URL must name a PostgreSQL"),
        ({"redis_url": "", "workers": 2}, "CC_REDIS_URL must be set when CC_WORKERS"),
        ({"workers": -1}, "CC_WORKERS must be 0"),
        ({"secret_key": "short"}, "CC_SECRET_KEY"),
        ({"base_url": "http://portal.example"}, "CC_BASE_URL must be an https://"),
        ({"secure_cookies": False}, "CC_SECURE_COOKIES"),
        ({"smtp": None}, "CC_SMTP_HOST"),
        ({"password_hashing": "fast"}, "CC_PASSWORD_HASHING must be standard"),
        ({"erp": "http", "erp_url": ""}, "CC_ERP_URL must be the ERP service's https://"),
        ({"erp": "http", "erp_url": "http://erp.example"}, "CC_ERP_URL must be"),
    ],
)
def test_production_refuses_an_unsafe_setting_and_says_which(
    changes: dict[str, object], says: str
) -> None:
    assert says in refusal(**changes)


def test_every_problem_is_named_at_once() -> None:
    message = refusal(database_url="sqlite://", cors_origins=("*",), secret_key="")
    assert all(name in message for name in ("CC_DATABASE_URL", "CC_CORS_ORIGINS", "CC_SECRET"))


def test_other_environments_are_not_checked() -> None:
    check_production(production_settings(env="dev", database_url="sqlite://", secret_key=""))


def test_cors_origins_default_to_the_base_url_origin_and_are_trimmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CC_BASE_URL", "https://portal.example/customers/")
    monkeypatch.delenv("CC_CORS_ORIGINS", raising=False)
    assert load_settings().cors_origins == ("https://portal.example",)
    monkeypatch.setenv("CC_CORS_ORIGINS", "https://a.example/, https://b.example,")
    assert load_settings().cors_origins == ("https://a.example", "https://b.example")


def test_host_and_workers_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CC_HOST", raising=False)
    monkeypatch.setenv("CC_WORKERS", "3")
    settings = load_settings()
    assert (settings.host, settings.workers) == ("127.0.0.1", 3)


def test_serve_builds_the_frontend_with_reflex_for_its_one_port() -> None:
    settings = production_settings(host="10.0.0.5", port=8080, workers=4)
    command = production.build_command()
    assert command[0].endswith("scripts/with-node")
    assert command[1:] == ["reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"]
    env = production.build_env(settings, {"PATH": "/bin"})
    assert (env["REFLEX_FRONTEND_PORT"], env["REFLEX_BACKEND_PORT"]) == ("8080", "8080")
    assert (env["REFLEX_USE_NPM"], env["PATH"]) == ("1", "/bin")


def test_serve_runs_uvicorn_workers_on_uvloop_without_per_message_deflate_on_the_build() -> None:
    settings = production_settings(host="10.0.0.5", port=8080, workers=4)
    command = production.web_command(settings)
    assert command[:4] == [sys.executable, "-m", "uvicorn", "--factory"]
    assert command[-1] == "customer_center.customer_center:app"
    options = dict(zip(command[4:-1:2], command[5:-1:2], strict=True))
    assert options == {
        "--host": "10.0.0.5",
        "--port": "8080",
        "--workers": "4",
        "--log-level": "warning",
        "--ws-per-message-deflate": "false",
        "--loop": "uvloop",
    }
    env = production.web_env({"PATH": "/bin", "CC_EMBEDDED_RELAY": "1"})
    assert env["CC_EMBEDDED_RELAY"] == "0", "web processes leave the outbox to the relay"
    assert production.PREBUILT_ENV.items() <= env.items()
    assert env["PATH"] == "/bin"


def test_uvicorn_takes_the_options_serve_gives_it() -> None:
    from click.testing import CliRunner
    from uvicorn.main import main as uvicorn_main

    module = sys.modules["uvicorn.main"]  # the package's `main` attribute is the command
    settings = production_settings(port=8080, workers=2)
    seen: list[dict[str, object]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "run", lambda app, **options: seen.append(options))
        result = CliRunner().invoke(uvicorn_main, production.web_command(settings)[3:])
    assert result.exit_code == 0, result.output
    assert seen[0]["ws_per_message_deflate"] is False
    assert seen[0]["loop"] == "uvloop"
    assert (seen[0]["workers"], seen[0]["factory"]) == (2, True)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """What ``serve`` runs, in order (a build that fails with 3 when ``FAIL_BUILD`` is set);
    nothing is started."""
    commands: list[list[str]] = []

    def run(command: list[str], **_: object) -> subprocess.CompletedProcess[bytes]:
        commands.append(command)
        return subprocess.CompletedProcess(command, 3 if os.environ.get("FAIL_BUILD") else 0)

    monkeypatch.setattr("customer_center.migrations.upgrade", lambda url: None)
    monkeypatch.setattr(production.subprocess, "run", run)
    monkeypatch.setattr(production, "_start", lambda command, env: commands.append(command))
    monkeypatch.setattr(production, "_supervise", lambda processes: 0)
    return commands


def test_serve_builds_first_then_serves_the_build_as_without_build(
    started: list[list[str]],
) -> None:
    assert production.serve(relay=False) == 0
    assert started == [production.build_command(), production.web_command(load_settings())]


def test_a_failed_build_starts_nothing(
    started: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIL_BUILD", "1")
    assert production.serve() == 3
    assert started == [production.build_command()]


def test_the_prebuilt_environment_names_reflexs_own_switches() -> None:
    names = {
        reflex_environment.REFLEX_ENV_MODE.name,
        reflex_environment.REFLEX_SKIP_COMPILE.name,
        reflex_environment.REFLEX_MOUNT_FRONTEND_COMPILED_APP.name,
    }
    assert set(production.PREBUILT_ENV) == names


def test_workers_default_like_reflex(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(production.os, "cpu_count", lambda: 2)
    assert production.worker_count(production_settings(workers=0)) == 5
    assert production.worker_count(production_settings(workers=0, redis_url="")) == 1
    assert production.worker_count(production_settings(workers=3)) == 3


def test_when_one_process_ends_serve_stops_the_others_and_exits_with_its_code() -> None:
    web = production._start([sys.executable, "-c", "import time; time.sleep(60)"], os.environ)
    relay = production._start([sys.executable, "-c", "raise SystemExit(3)"], os.environ)
    assert production._supervise([web, relay]) == 3
    assert web.poll() is not None, "the web process was stopped too"


def test_serve_refuses_unsafe_production_settings_before_touching_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CC_ENV", "production")
    monkeypatch.delenv("CC_SECRET_KEY", raising=False)
    started: list[object] = []
    monkeypatch.setattr(production, "_start", lambda *args: started.append(args))
    assert production.serve() == 2
    assert "CC_SECRET_KEY must be set" in capsys.readouterr().err
    assert started == []


def test_health_answers_ok_when_the_database_answers(db) -> None:
    client = TestClient(Starlette(routes=health.routes))
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "outbox": {"due": 0, "oldest_due_seconds": 0},
    }


def test_health_reports_the_outbox_lag(db, session) -> None:
    from datetime import timedelta

    from customer_center.models.base import utcnow
    from customer_center.models.outbox import SENT, OutboxMessage

    session.add(OutboxMessage(kind="email", next_attempt_at=utcnow() - timedelta(minutes=10)))
    session.add(OutboxMessage(kind="email", next_attempt_at=utcnow() + timedelta(minutes=10)))
    session.add(OutboxMessage(kind="email", status=SENT))
    session.commit()
    body = TestClient(Starlette(routes=health.routes)).get("/health").json()
    assert body["outbox"]["due"] == 1  # the later one is not due yet, the sent one is done
    assert 590 <= body["outbox"]["oldest_due_seconds"] <= 700


def test_health_answers_503_naming_redis_when_it_does_not_answer(
    db, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = health.get_settings()
    monkeypatch.setattr(
        health,
        "get_settings",
        lambda: dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{port}/0"),
    )
    response = TestClient(Starlette(routes=health.routes)).get("/health")
    assert response.status_code == 503
    assert (response.json()["status"], response.json()["database"]) == ("unavailable", "ok")
    assert response.json()["redis"] == "down"


def test_health_answers_503_without_the_reason_when_the_database_is_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> object:
        raise ConnectionError("connection refused by db.internal:5432")

    monkeypatch.setattr(health, "get_engine", broken)
    response = TestClient(Starlette(routes=health.routes)).get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}
    assert "db.internal" not in response.text
