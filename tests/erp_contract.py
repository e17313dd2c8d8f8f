"""Checking HTTP traffic against the published ERP contract (docs/erp-openapi.yaml).

:class:`ContractTransport` sits under the portal's HTTP client: every request the client
sends and every answer the service gives is validated by openapi-core, so a test run through
it checks both sides at once. An ERP integration team can point it at their own service.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

CONTRACT = Path(__file__).resolve().parent.parent / "docs" / "erp-openapi.yaml"


def load_contract() -> OpenAPI:
    return OpenAPI.from_file_path(str(CONTRACT))


def as_werkzeug(request: httpx.Request) -> Request:
    url = request.url
    environ = EnvironBuilder(
        path=url.path,
        base_url=f"{url.scheme}://{url.netloc.decode()}",
        query_string=url.query.decode(),
        method=request.method,
        headers=dict(request.headers),
        data=request.content,
    ).get_environ()
    return Request(environ)


class ContractTransport(httpx.BaseTransport):
    """Validates each exchange; the problems (not raised, so a test sees them all) collect in
    ``problems``, the operations seen in ``seen`` (method and path template)."""

    def __init__(self, contract: OpenAPI | None = None) -> None:
        self.contract = contract or load_contract()
        self.inner = httpx.HTTPTransport()
        self.problems: list[str] = []
        self.seen: set[tuple[str, str, int]] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        response = self.inner.handle_request(request)
        body = response.read()
        checked_request = WerkzeugOpenAPIRequest(as_werkzeug(request))
        checked_response = WerkzeugOpenAPIResponse(
            Response(body, status=response.status_code, headers=dict(response.headers))
        )
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        try:
            self.contract.validate_request(checked_request)
        except Exception as error:
            self.problems.append(f"request {where}: {_explain(error)}")
        try:
            self.contract.validate_response(checked_request, checked_response)
        except Exception as error:
            self.problems.append(f"response {where}: {_explain(error)}")
        self.seen.add((request.method, request.url.path.split("/")[2], response.status_code))
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )


def _explain(error: Exception) -> str:
    causes = [str(error)]
    cause = error.__cause__
    while cause is not None:
        causes.append(str(cause)[:500])
        cause = cause.__cause__
    details = getattr(error.__cause__, "schema_errors", None) or []
    causes += [str(detail.message) for detail in details]
    return " | ".join(causes)
