"""Bounded integers for every path, query and body parameter of the web layer.

A number the records store cannot hold is refused as a 422 naming the parameter, before any query runs: an id past
the INTEGER columns of PostgreSQL (32 bits: "integer out of range") or an offset past SQLite's 64 bits
(``OverflowError``) never reaches the database. The types are plain constrained ints, so they fit a path
(``submission_id: Id``), a query (``Annotated[Year | None, Query(description=...)]``), a list (``list[Year]``) and a
body model's field alike.
"""

from functools import cache
from typing import Annotated

from pydantic import Field

from observatory.reference.geography import UnknownCountry, places, resolve_country

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


#: Query parameters that name a country: their values may be names, aliases, ISO2 or M49 codes as well as ISO3.
COUNTRY_PARAMETERS = frozenset({"country"})


def country_codes(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The query's pairs with each country value as its ISO 3166 alpha-3 code where the reference resolves it
    (``country=India`` → ``IND``, ``country=356`` → ``IND``); values it does not know are kept for the route to
    refuse by name."""
    return [(name, _country_code(value) if name in COUNTRY_PARAMETERS else value) for name, value in pairs]


def _country_code(value: str) -> str:
    text = value.strip()
    if not text or (len(text) == 3 and text.isalpha() and text.isupper()):
        return value
    if text.isdigit():
        return _by_m49().get(text.zfill(3), value)
    try:
        return resolve_country(text).iso3
    except UnknownCountry:
        return value


@cache
def _by_m49() -> dict[str, str]:
    return {place.m49: place.iso3 for place in places() if place.m49}
