"""Reading CAS numbers out of the free text sources put in their CAS columns.

Sources write "15588-95-1 (base)", "Hydrochloride: 16015-69-3", "1823776-22-2 (HCl)", "Base: 50-37-3",
"54-04--6", "72242-03-06", "5650-44-2 (右旋体)，49656-78-2(右旋体盐酸盐)", "Not Available", "暂无".

Rules, in order:

* separators are hyphens: a doubled hyphen or a dot is a typing slip ("54-04--6", "83631-79.2");
* a check-digit group written with a leading zero ("72242-03-06") is read without it;
* a number survives only when its check digit is right: anything else is reported as malformed, never guessed;
* a number labelled as a salt, solvate or stereoisomer ("(HCl)", "Sodium:", "盐酸盐", "右旋体") is *related*:
  it does not identify the parent substance; "base", "free acid" and no label mean the parent.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from observatory.reference.substances.identifiers import is_valid_cas, name_key

_CANDIDATE = re.compile(r"\d+(?:\s*[-.]+\s*\d+)+")
_RELATED_HINTS = (
    "hcl",
    "hydrochloride",
    "hbr",
    "hydrobromide",
    "salt",
    "sodium",
    "potassium",
    "sulfate",
    "sulphate",
    "citrate",
    "tartrate",
    "phosphate",
    "maleate",
    "fumarate",
    "oxalate",
    "hydrate",
    "盐酸盐",  # hydrochloride
    "右旋体",  # dextrorotatory isomer
    "左旋体",  # laevorotatory isomer
)


@dataclass(frozen=True, slots=True)
class CasReading:
    cas: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    malformed: tuple[str, ...] = ()
    repaired: tuple[tuple[str, str], ...] = ()


def read_cas_numbers(text: str | None, own_names: Iterable[str] = ()) -> CasReading:
    """The CAS numbers in ``text``; a number labelled with one of ``own_names`` belongs to the parent."""
    if not text:
        return CasReading()
    own = {name_key(name) for name in own_names} - {""}
    cas: list[str] = []
    related: list[str] = []
    malformed: list[str] = []
    repaired: list[tuple[str, str]] = []
    matches = list(_CANDIDATE.finditer(text))
    for index, match in enumerate(matches):
        written = match.group()
        number = repair_cas(written)
        if number is None:
            malformed.append(written)
            continue
        if number != written:
            repaired.append((written, number))
        before = text[matches[index - 1].end() if index else 0 : match.start()]
        after = text[match.end() : matches[index + 1].start() if index + 1 < len(matches) else len(text)]
        target = related if _labels_related_form(before, after, own) else cas
        if number not in target:
            target.append(number)
    return CasReading(tuple(cas), tuple(related), tuple(malformed), tuple(repaired))


def repair_cas(written: str) -> str | None:
    """``written`` as a valid CAS number after the typing-slip rules, or ``None``."""
    groups = re.split(r"\s*[-.]+\s*", written.strip())
    if len(groups) != 3:
        return None
    body, middle, check = groups
    if len(check) == 2 and check.startswith("0"):
        check = check[1:]
    number = f"{body}-{middle}-{check}"
    return number if is_valid_cas(number) else None


def _labels_related_form(before: str, after: str, own: set[str]) -> bool:
    label = _label(before, after).casefold()
    if not label or "base" in label or "free acid" in label:
        return False
    if any(hint in label for hint in _RELATED_HINTS):
        return True
    # A number labelled with another substance's name ("1246815-51-9 (2-MMC)") is that substance's.
    return bool(own) and name_key(label) not in own


def _label(before: str, after: str) -> str:
    """The text that qualifies one number: "Base:" before it, or "(HCl)" right after it."""
    following = re.match(r"\s*[(（]([^)）]*)[)）]", after)
    if following:
        return following.group(1).strip()
    preceding = re.search(r"([^\d,，;:()]*):\s*$", before)
    return preceding.group(1).strip() if preceding else ""
