"""The seller's side: what the seller's customer-care staff read about a customer company.

Every function takes a :class:`~customer_center.domain.principals.SellerAgent`, requires
``seller.view`` and, when it looks into one company, records the look in that company's
audit log (:mod:`looks`), which its main contact reads. The rules of what a company shows
live once, in company-scoped query functions the customer's own pages call too.
"""
