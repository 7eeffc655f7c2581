"""Alembic environment: the engine comes from ``observatory.store.migrate``, never from a file.

SQLite rebuilds a table to alter it ("batch" mode), which its foreign-key enforcement forbids while other tables
refer to it; enforcement is switched off for the migration and every reference is checked before it is committed.
"""

from alembic import context
from sqlalchemy import Engine

from observatory.store.metadata import metadata

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    # The pragma has no effect inside a transaction, so it goes to the driver before ours begins.
    driver = connection.connection.driver_connection
    assert driver is not None
    if sqlite:
        driver.execute("PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, transactional_ddl=True)
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows whose references are broken: {broken[:5]}")
    finally:
        if sqlite:
            driver.execute("PRAGMA foreign_keys=ON")
