"""SCIM 2.0 provisioning (RFC 7643/7644) on top of the portal's users and roles.

The protocol (routing, validation, PATCH, filters' syntax, ETags, error responses) is
``scim2-server``'s; this package is the storage it reads and writes through: users and roles
of one company, changed through the portal's own services.
"""
