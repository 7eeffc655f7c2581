"""The codes of the countries and territories that exist today."""

from functools import cache

from observatory.reference.geography import places


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-3 codes of every current country or territory (historical states left out)."""
    return frozenset(place.iso3 for place in places() if place.valid_to is None)
