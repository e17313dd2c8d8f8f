"""Returns and credit requests: the customer side, the seller side, the credit note."""
