"""What the portal's SCIM endpoint declares: Users and Groups, PATCH, filters, ETags."""

from __future__ import annotations

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    External,
    Filter,
    Pagination,
    Patch,
    Reference,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
)
from scim2_server.service import ScimService

from customer_center.http.scim.schema import Group, User

MAX_RESULTS = 200
DEFAULT_PAGE_SIZE = 100

CONFIG = ServiceProviderConfig(
    documentation_uri=Reference[External](
        "https://github.com/customer-center/customer-center#provisioning-scim-20"
    ),
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=True),
    pagination=Pagination(
        cursor=False,
        index=True,
        default_pagination_method=Pagination.DefaultPaginationMethod.index,
        default_page_size=DEFAULT_PAGE_SIZE,
        max_page_size=MAX_RESULTS,
    ),
    authentication_schemes=[
        AuthenticationScheme(
            type=AuthenticationScheme.Type.oauthbearertoken,
            name="Bearer token",
            description="A token the company's main contact creates on the Provisioning page",
            spec_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc6750"),
            primary=True,
        )
    ],
)

PROVIDER = ScimProvider(models=[User, Group], config=CONFIG)
SERVICE = ScimService(PROVIDER)
