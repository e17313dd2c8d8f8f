"""SCIM 2.0 provisioning (RFC 7643/7644): an inbound adapter on top of the portal's users and
roles.

The protocol (routing, validation, PATCH, filters' syntax, ETags, error responses) is
``scim2-server``'s; this package is the endpoint (``endpoint``) and the storage it reads and
writes through (``storage``): users and roles of one company, changed through the portal's own
services.
"""

from customer_center.http.scim.endpoint import routes

__all__ = ["routes"]
