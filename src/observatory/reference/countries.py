"""Countries and territories: UN M49 plus the few territories statistical tables use outside it."""

import csv
from functools import cache

from observatory.datasets import M49_OVERVIEW, TERRITORIES_OUTSIDE_M49


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-3 codes of every country or territory the platform knows."""
    with (
        M49_OVERVIEW.open(encoding="utf-8", newline="") as m49,
        TERRITORIES_OUTSIDE_M49.open(encoding="utf-8", newline="") as others,
    ):
        codes = {row["ISO-alpha3 Code"] for row in csv.DictReader(m49) if row["ISO-alpha3 Code"]}
        codes |= {row["iso3"] for row in csv.DictReader(others)}
    return frozenset(codes)
