"""The seller's side: what the seller's customer-care staff look up and do.

Every function takes a :class:`~customer_center.domain.principals.SellerAgent` and requires
its staff right; a look into one company (its 360 view, its prices) is recorded in that
company's audit log (:mod:`looks`), which its main contact reads. The rules of what a company
shows live once, in company-scoped query functions the customer's own pages call too.
"""
