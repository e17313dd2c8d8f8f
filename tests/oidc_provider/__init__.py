"""A real OpenID Connect provider (npm ``oidc-provider``) on a loopback port, run with the
project's own Node; its signing key is made here, so tests can also sign tokens the provider
would never issue (expired, for another audience) with the very key the portal trusts."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WITH_NODE = ROOT / "scripts" / "with-node"
CLIENT_SECRET = "provider-test-client-secret-0123456789"  # noqa: S105 - a test client's secret


def ensure_installed() -> None:
    """A fresh clone has no node_modules: install exactly what package-lock.json says."""
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            [str(WITH_NODE), "npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    client_id: str
    key: RSAKey
    config_path: Path
    config: dict = field(default_factory=dict)

    @property
    def client_secret(self) -> str:
        return CLIENT_SECRET

    def set_account(self, login: str, email: str, name: str, groups: list[str]) -> None:
        """Add or change an employee at the provider (read again at every sign-in)."""
        self.config["accounts"][login] = {"email": email, "name": name, "groups": groups}
        self.config_path.write_text(json.dumps(self.config))

    def sign(self, claims: dict, key: RSAKey | None = None) -> str:
        """An ID token with these claims, signed with the provider's key (or ``key``)."""
        signer = key or self.key
        header = {"alg": "RS256", "kid": signer.kid}
        return jwt.encode(header, claims, signer)

    def claims_for(self, login: str, nonce: str, **overrides: object) -> dict:
        """The claims the provider itself would put in an ID token for ``login``."""
        account = self.config["accounts"][login]
        now = int(time.time())
        return {
            "iss": self.issuer,
            "sub": login,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "nonce": nonce,
            **account,
            "email_verified": True,
            **overrides,
        }


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})


@contextmanager
def running_provider(
    tmp: Path, client_id: str, redirect_uris: list[str], name: str = "idp"
) -> Iterator[Provider]:
    """Start one provider with one confidential client; stopped when the block ends."""
    ensure_installed()
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    key = new_key(f"{name}-key")
    config = {
        "issuer": issuer,
        "port": port,
        "jwks": {"keys": [key.as_dict(private=True)]},
        "clients": [
            {
                "client_id": client_id,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            }
        ],
        "accounts": {},
    }
    config_path = tmp / f"{name}-{port}.json"
    config_path.write_text(json.dumps(config))
    log = (tmp / f"{name}-{port}.log").open("w")
    process = subprocess.Popen(
        [str(WITH_NODE), "node", str(HERE / "provider.mjs"), str(config_path)],
        cwd=HERE,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_serving(issuer, process)
        yield Provider(issuer, client_id, key, config_path, config)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        log.close()


def _wait_until_serving(issuer: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the OpenID Connect provider exited")
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).is_success:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the OpenID Connect provider did not start")


def log_in_at_provider(authorization_url: str, login: str) -> str:
    """What an employee does at the provider (development login form, any password):
    returns the address the provider sends the browser back to (the portal's callback)."""
    with httpx.Client(timeout=10) as browser:
        response = browser.get(authorization_url)
        for _ in range(10):
            location = response.headers.get("location")
            if location and not location.startswith(("http://127.0.0.1", "/")):
                return location  # back to the portal
            if location:
                response = browser.get(urljoin(str(response.url), location))
                continue
            form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            assert form, response.text[:500]
            fields = {"prompt": "login", "login": login, "password": "any"}
            if 'name="prompt" value="consent"' in response.text:
                fields = {"prompt": "consent"}
            response = browser.post(
                urljoin(str(response.url), unescape(form.group(1))), data=fields
            )
        raise AssertionError("the provider did not send the browser back")
