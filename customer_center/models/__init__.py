"""All tables, imported in one place so metadata (and Alembic) sees every one of them."""
