"""k-anonymity of toxicology cases and drug-checking samples in public views (DOMAIN.md §1.4, Tox-Portal).

A case's quasi-identifiers are its age, sex and place, within its country (always shown). Ages are shown only
as ten-year bands. Each case is released at the most detailed of these levels at which its combination is
shared by at least ``k`` cases released at that level, computed over every case the store holds (never over
one query's results, so a filter cannot single a case out):

1. age band, sex and place;
2. age band and sex (place withheld);
3. sex (age and place withheld);
4. nothing but the country.

So every combination a public view shows with an age band, a sex or a place is shared by at least ``k`` cases
shown with exactly that combination. Dates of cases are shown to the month.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

DEFAULT_K = 5
BAND_YEARS = 10
TOP_BAND = 80


@dataclass(frozen=True, slots=True)
class CaseFacts:
    event_id: int
    country: str | None
    age_band: str | None
    sex: str | None
    place: str | None

    @property
    def combination(self) -> tuple[str | None, ...]:
        return (self.country, self.age_band, self.sex, self.place)

    @property
    def withheld(self) -> tuple[str, ...]:
        """The quasi-identifiers not released (whether or not the case had them)."""
        return tuple(
            name for name, value in (("age", self.age_band), ("sex", self.sex), ("place", self.place)) if value is None
        )


def age_band(age: int | None) -> str | None:
    """ "20-29", ..., "80+"."""
    if age is None:
        return None
    if age >= TOP_BAND:
        return f"{TOP_BAND}+"
    low = age - age % BAND_YEARS
    return f"{low}-{low + BAND_YEARS - 1}"


_LEVELS: tuple[Callable[[CaseFacts], CaseFacts], ...] = (
    lambda case: case,
    lambda case: replace(case, place=None),
    lambda case: replace(case, place=None, age_band=None),
    lambda case: replace(case, place=None, age_band=None, sex=None),
)


def anonymise(
    cases: Iterable[tuple[int, str | None, int | None, str | None, str | None]], k: int = DEFAULT_K
) -> dict[int, CaseFacts]:
    """The facts a public view may show of each case, by event id, from ``(id, country, age, sex, place)``."""
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    remaining = [
        CaseFacts(event_id, country, age_band(age), sex, place) for event_id, country, age, sex, place in cases
    ]
    released: dict[int, CaseFacts] = {}
    for level, generalise in enumerate(_LEVELS):
        generalised = [generalise(case) for case in remaining]
        sizes = Counter(case.combination for case in generalised)
        last = level == len(_LEVELS) - 1
        kept = [case for case in generalised if last or sizes[case.combination] >= k]
        released.update((case.event_id, case) for case in kept)
        remaining = [case for case in remaining if case.event_id not in released]
    return released
