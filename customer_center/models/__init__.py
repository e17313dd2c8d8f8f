"""SQLModel tables, one module per aggregate; ``customer_center.tables`` imports them all."""
