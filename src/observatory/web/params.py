"""Bounded integers for every path, query and body parameter of the web layer.

A number the records store cannot hold is refused as a 422 naming the parameter, before any query runs: an id past
the INTEGER columns of PostgreSQL (32 bits: "integer out of range") or an offset past SQLite's 64 bits
(``OverflowError``) never reaches the database. The types are plain constrained ints, so they fit a path
(``submission_id: Id``), a query (``Annotated[Year | None, Query(description=...)]``), a list (``list[Year]``) and a
body model's field alike.
"""

from typing import Annotated

from pydantic import Field

#: The largest id: ids are INTEGER columns, 32 bits on PostgreSQL (SQLite's hold 64).
MAX_ID = 2**31 - 1
#: The largest signed 64-bit integer: an offset or count either engine can still compare (BIGINT, SQLite INTEGER).
MAX_INT64 = 2**63 - 1
#: The years any figure, survey or report of the observatory can be about.
FIRST_YEAR, LAST_YEAR = 1900, 2100

#: The id of a stored row (submission, observation, alert, practice, workshop, request, attachment, token, release).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A count, an offset or a threshold: none is negative, none exceeds what the store can count.
Count = Annotated[int, Field(ge=0, le=MAX_INT64)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
#: Any whole number an INTEGER column holds, when the service judges its meaning (an age: 0 to 120).
Stored = Annotated[int, Field(ge=-MAX_ID - 1, le=MAX_ID)]
