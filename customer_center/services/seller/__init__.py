"""The seller's side: what customer-care staff look up and do, audited."""
