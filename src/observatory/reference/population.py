"""Total population by country and year, as stored in the records store (World Bank series)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select

from observatory.store.schema import Population


def population(engine: Engine, countries: Sequence[str] = (), years: Sequence[int] = ()) -> list[dict[str, Any]]:
    """Rows ``{"country_iso3", "year", "persons"}`` for the countries and years asked (all when empty)."""
    query = select(Population.country_iso3, Population.year, Population.persons)
    if countries:
        query = query.where(Population.country_iso3.in_([code.upper() for code in countries]))
    if years:
        query = query.where(Population.year.in_(years))
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(Population.country_iso3, Population.year)).all()
    return [{"country_iso3": country, "year": year, "persons": persons} for country, year, persons in rows]
