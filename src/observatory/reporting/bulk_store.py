"""Writing observation rows in bulk, on the connection (and so in the transaction) of the session given.

SQLite takes them through the driver's ``executemany`` on one prepared INSERT; PostgreSQL through ``COPY`` of CSV
text that Arrow writes (a null is an unquoted empty field, text is always quoted, so an empty text stays one).
"""

from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from observatory.reporting.observation_table import COLUMNS, ObservationRows
from observatory.store.reporting_schema import Observation

TABLE = Observation.__tablename__
INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
COPY = f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)"


def store_rows(session: Session, rows: ObservationRows) -> int:
    """Insert ``rows`` into the observation table; how many were written."""
    if not rows.size:
        return 0
    connection: Any = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        sink = pa.BufferOutputStream()
        pacsv.write_csv(rows.table(), sink, pacsv.WriteOptions(include_header=False))
        with connection.cursor() as cursor, cursor.copy(COPY) as copy:
            copy.write(memoryview(sink.getvalue()))
    else:
        cursor = connection.cursor()
        try:
            cursor.executemany(INSERT, rows.tuples())
        finally:
            cursor.close()
    return rows.size * len(rows.elements)
