"""One cleaned entry of an INCB list (Yellow, Green or Red), and the text rules the three cleaners share."""

import re
from dataclasses import dataclass

YELLOW = "incb-yellow"
GREEN = "incb-green"
RED = "incb-red"

#: Longest notes kept; anything longer is PDF text that overflowed into the cell.
MAX_NOTES = 300
_SCHEDULE = re.compile(r"Schedule\s+(?P<schedule>I{1,3}V?|IV)\b")
_LINE_BREAK_HYPHEN = re.compile(r"(?<=[\w\])}])- (?=[\w\[({])")


@dataclass(frozen=True, slots=True)
class IncbEntry:
    """One drug or precursor as an INCB list gives it, after cleaning.

    ``row`` counts data rows from 1 after the header; ``code`` is the INCB drug code ("NA 001", "PM 022");
    ``other_names`` are the names the list prints beside the main one, ``synonyms`` looser aliases.
    """

    source: str
    row: int
    schedule: str
    name: str
    code: str | None = None
    inn: str | None = None
    other_names: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    cas: str | None = None
    chemical_name: str | None = None
    notes: str | None = None


def convention_schedule(text: str) -> str | None:
    """The schedule named in ``text`` ("IV" for "Schedule IV (1961)"), or ``None``."""
    match = _SCHEDULE.search(text)
    return match["schedule"] if match else None


def join_line_breaks(text: str) -> str:
    """Chemical names broken after a hyphen at a line end: "6,14-endo- ethenooripavine" is one word."""
    return _LINE_BREAK_HYPHEN.sub("-", " ".join(text.split()))


def is_balanced(text: str) -> bool:
    return all(text.count(opening) == text.count(closing) for opening, closing in ("()", "[]", "{}"))


def looks_truncated(name: str) -> bool:
    """A name cut at a line end: it ends in a hyphen or a comma, or leaves a bracket open."""
    return name.endswith(("-", ",")) or not is_balanced(name)
