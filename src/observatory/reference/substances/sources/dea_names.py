"""Splitting the ``substance`` column of the DEA Orange Book into names.

The column mixes a common name, codes, chemical names and comments:
"JWH-018 (also known as AM678) (1-Pentyl-3-(1-naphthoyl)indole)", "5F–ADB; 5F–MDMB–PINACA (Methyl ...)",
"Cenobamate [(1R)-1-(2-chlorophenyl)-...]carbamate", "5-Fluoro-UR-144 and XLR11 [1-(5-Fluoro-pentyl)...".
The result is the names (main name first) and the chemical names.
"""

import re
from dataclasses import dataclass

_ALSO_KNOWN = re.compile(r"^(?:also known as|aka)\s+", re.IGNORECASE)
_CODE = re.compile(r"^(?=.*(?:\d|[A-Z]{2}))[A-Z0-9][A-Za-z0-9]*(?:[-–][A-Za-z0-9]+)*$")
_QUALIFIER = re.compile(r"^[a-z]+(?: [a-z-]+)+$")
_NAME_SEPARATOR = re.compile(r";\s+|,\s+|\s+and\s+")


@dataclass(frozen=True, slots=True)
class DeaNames:
    names: tuple[str, ...]
    chemical_names: tuple[str, ...]


def split_dea_substance(text: str) -> DeaNames:
    main, groups = _trailing_groups(" ".join(text.split()))
    names, chemicals = _main_names(main)
    for group in groups:
        group = _ALSO_KNOWN.sub("", group).strip()
        if _QUALIFIER.match(group):
            continue
        (names if _is_short_name(group) else chemicals).append(group)
    kept = [name for name in names if name and not name.endswith("-")]
    return DeaNames(tuple(dict.fromkeys(kept)), tuple(dict.fromkeys(c for c in chemicals if c)))


def _trailing_groups(text: str) -> tuple[str, list[str]]:
    """Parenthesised groups at the end of ``text``: "Pentedrone (α-methylaminovalerophenone)"."""
    groups: list[str] = []
    rest = text.strip()
    while rest.endswith(")"):
        start = _opening(rest)
        if start <= 0:
            break
        content = rest[start + 1 : -1].strip()
        if not (rest[start - 1].isspace() or _is_short_name(content)):
            break
        groups.insert(0, content)
        rest = rest[:start].rstrip()
    if rest.count("(") > rest.count(")") and " (" in rest:
        cut = rest.index(" (")
        groups.insert(0, rest[cut + 2 :].strip())
        rest = rest[:cut]
    return rest, groups


def _opening(text: str) -> int:
    """Index of the "(" closing at the last character of ``text``, or -1."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return -1


def _chemical_tail(main: str) -> tuple[str, str]:
    """A chemical name written after the common name: "Cenobamate [(1R)-...]carbamate", "UR-144 (1-Pentyl...)"."""
    for marker in (" [", " ("):
        if marker in main:
            cut = main.index(marker)
            return main[:cut].strip(), main[cut + 1 :].strip()
    words = main.split(" ", 1)
    if len(words) == 2 and _CODE.match(words[0]) and words[1][:1].isalnum() and "(" in words[1]:
        return words[0], words[1]
    return main, ""


def _main_names(main: str) -> tuple[list[str], list[str]]:
    """Names joined by ";", "," or "and" ("APINACA and AKB48"), each perhaps followed by a chemical name."""
    parts = [_chemical_tail(part.strip()) for part in _NAME_SEPARATOR.split(main) if part.strip()]
    if len(parts) > 1 and all(_is_short_name(name) for name, _ in parts):
        return [name for name, _ in parts], [chemical for _, chemical in parts if chemical]
    name, chemical = _chemical_tail(main)
    return [name], [chemical] if chemical else []


def _is_short_name(text: str) -> bool:
    """A code or a one- or two-word name, not a chemical name or a comment."""
    return len(text) <= 30 and text.count(" ") <= 1 and text.count("(") == text.count(")")
