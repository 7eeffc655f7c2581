"""OBS_STATUS: how a value's state (``reporting.values``) is published, with the SDMX cross-domain code list.

The codes are those of SDMX's CL_OBS_STATUS, shipped in ``data/cl_obs_status.csv`` with its source in
``data/SOURCES.md``. A value and a true zero are both ``A`` (normal value; the zero is in OBS_VALUE); a missing value
is ``O``, ``L`` or ``Q`` after why it is missing; a value that cannot exist is ``M``. Zero, missing and not
applicable therefore stay three different things in every format.
"""

import csv
from functools import cache
from pathlib import Path

CODELIST = Path(__file__).parent / "data" / "cl_obs_status.csv"
NORMAL, MISSING, NOT_COLLECTED, SUPPRESSED, CANNOT_EXIST = "A", "O", "L", "Q", "M"
_MISSING = {"not-available": MISSING, "not-collected": NOT_COLLECTED, "confidential": SUPPRESSED}


@cache
def obs_status_codes() -> dict[str, str]:
    """Code → English name, as the SDMX code list gives them."""
    with CODELIST.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def obs_status(value_state: str, missing_reason: str | None) -> str:
    """The OBS_STATUS of a value in ``value_state`` (``value``, ``zero``, ``missing``, ``not-applicable``)."""
    if value_state in ("value", "zero"):
        return NORMAL
    if value_state == "not-applicable":
        return CANNOT_EXIST
    return _MISSING.get(missing_reason or "", MISSING)


def value_state(status: str, value: float | None) -> str:
    """The state a published (status, value) pair stands for: the inverse of ``obs_status``."""
    if status == NORMAL:
        return "zero" if value == 0 else "value"
    return "not-applicable" if status == CANNOT_EXIST else "missing"
