"""The records store: the source of truth (SQLAlchemy 2; SQLite embedded, PostgreSQL on servers)."""
