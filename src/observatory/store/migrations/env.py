"""Alembic environment: the engine comes from ``observatory.store.migrate``, never from a file."""

from alembic import context
from sqlalchemy import Engine

from observatory.store.metadata import metadata

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
