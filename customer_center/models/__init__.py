"""SQLModel tables, one module per aggregate; ``registry`` imports them all for Alembic."""
