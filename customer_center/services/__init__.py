"""Use cases: each takes a session, a principal and keyword arguments."""

# Portal users reach the ERP as contacts, whichever service changes them (issue 20).
from customer_center.services.people import erp_contact_sync as _erp_contact_sync

_erp_contact_sync.install()
