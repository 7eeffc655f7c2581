"""First-level administrative areas (states, provinces, departments) of a country, by their ISO 3166-2 names.

The names come from pycountry's copy of ISO 3166-2 (Debian's iso-codes data), kept with the library rather than
copied here. A name matches without regard to case, accents, spacing or punctuation ("BOGOTÁ D.C." is not
"Distrito Capital de Bogotá": that is a suggestion for a person to confirm, never applied alone).
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from observatory.reference.geography import resolve_country

__all__ = ["AdminArea", "admin_areas", "closest_admin_areas", "find_admin_area"]


@dataclass(frozen=True, slots=True)
class AdminArea:
    code: str
    name: str
    kind: str


def area_key(text: str) -> str:
    """Case, accents, spacing and punctuation removed: "SAN ANDRÉS" → "san andres"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", plain.casefold()).split())


@cache
def admin_areas(iso3: str) -> tuple[AdminArea, ...]:
    """The top-level subdivisions of the country ``iso3`` (none for a country ISO 3166-2 does not divide)."""
    iso2 = resolve_country(iso3).iso2
    found = pycountry.subdivisions.get(country_code=iso2) or []  # type: ignore[no-untyped-call]
    return tuple(
        sorted(
            (
                AdminArea(area.code, area.name, area.type)
                for area in found
                if getattr(area, "parent_code", None) is None
            ),
            key=lambda area: area.name,
        )
    )


@cache
def _by_key(iso3: str) -> dict[str, AdminArea]:
    return {area_key(area.name): area for area in admin_areas(iso3)} | {
        area_key(area.code.split("-", 1)[1]): area for area in admin_areas(iso3)
    }


def find_admin_area(iso3: str, text: str) -> AdminArea | None:
    """The area ``text`` names exactly (up to case, accents and punctuation), or its ISO 3166-2 code's suffix."""
    return _by_key(iso3).get(area_key(text))


def closest_admin_areas(iso3: str, text: str, n: int = 3) -> list[AdminArea]:
    """Areas whose names are close to ``text`` or contain it as a word ("VALLE" → Valle del Cauca)."""
    key = area_key(text)
    areas = admin_areas(iso3)
    containing = [area for area in areas if key and re.search(rf"\b{re.escape(key)}\b", area_key(area.name))]
    names = {area_key(area.name): area for area in areas}
    close = [names[name] for name in difflib.get_close_matches(key, list(names), n=n, cutoff=0.6)]
    return list(dict.fromkeys([*containing, *close]))[:n]
