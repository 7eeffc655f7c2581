"""The reporting universe: the places a global reporting round such as the UNODC Annual Report Questionnaire (ARQ)
expects a reply from.

Package data ``datasets/reference/reporting_universe.csv``, one row per place with its kind, status and source:

- the 193 UN Member States (UNTERM's list), to which the ARQ goes through their Permanent Missions;
- the two non-member observer States, the Holy See and the State of Palestine, which reply to the ARQ (both are in
  WDR 2025 annex table 2.1, whose expert perceptions of trends are an ARQ item);
- the territories UNODC reports separately: Hong Kong SAR, Macao SAR and Gibraltar, whose ARQ replies the WDR
  annex shows, and Aruba, Bermuda and Puerto Rico, which the annex lists from other sources only and which are
  therefore ``unconfirmed``.

It is not the 250 places of ISO 3166 (``countries.country_codes``): Antarctica, uninhabited islands and the
territories no UNODC table lists separately are never expected. Taiwan Province of China and Kosovo under UNSCR
1244 appear in WDR tables from other sources (AMCEWG, ESPAD) and are left out, as are Cook Islands and Niue, which
no WDR 2025 table names.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from observatory.datasets import DATASETS
from observatory.reference.countries import country_codes
from observatory.reference.geography import place
from observatory.reference.tables import cell_error, read_table

UNIVERSE = DATASETS / "reference" / "reporting_universe.csv"
COLUMNS = ("iso3", "name", "kind", "status", "source")
STATUSES = ("confirmed", "unconfirmed")


class Kind(StrEnum):
    MEMBER_STATE = "member-state"
    NON_MEMBER_STATE = "non-member-state"
    TERRITORY = "territory"


@dataclass(frozen=True, slots=True)
class Member:
    """A place of the reporting universe; ``confirmed`` is false where no reply of its own to the ARQ was seen."""

    iso3: str
    name: str
    kind: Kind
    confirmed: bool
    source: str


@cache
def reporting_universe() -> tuple[Member, ...]:
    return read_universe(UNIVERSE)


@cache
def universe_codes() -> frozenset[str]:
    return frozenset(member.iso3 for member in reporting_universe())


@cache
def unconfirmed_codes() -> frozenset[str]:
    return frozenset(member.iso3 for member in reporting_universe() if not member.confirmed)


def read_universe(path: Path) -> tuple[Member, ...]:
    """The rows of a file laid out as ``reporting_universe.csv``: each code a current place, named as M49 names it,
    listed once."""
    members: dict[str, Member] = {}
    for number, row in read_table(path, COLUMNS, exact=True):
        code = row["iso3"]
        if code not in country_codes():
            raise cell_error(path, number, "iso3", code, "not the ISO 3166 alpha-3 code of a current place")
        if code in members:
            raise cell_error(path, number, "iso3", code, "listed twice")
        if row["name"] != place(code).name:
            raise cell_error(path, number, "name", row["name"], f"{code} is named {place(code).name!r}")
        if row["kind"] not in Kind.__members__.values():
            raise cell_error(path, number, "kind", row["kind"], f"expected one of {[str(k) for k in Kind]}")
        if row["status"] not in STATUSES:
            raise cell_error(path, number, "status", row["status"], f"expected one of {list(STATUSES)}")
        if not row["source"].strip():
            raise cell_error(path, number, "source", row["source"], "every place needs its source")
        members[code] = Member(code, row["name"], Kind(row["kind"]), row["status"] == "confirmed", row["source"])
    return tuple(members.values())
