"""Cells whose value is a formula result taken from another workbook (``='[1]Sheet'!O6``).

Calamine reads the value Excel stored when the file was last saved and never evaluates a formula. For a link to
another workbook that stored value may be stale (WDR table 6.2.1 stores 0 for Afghanistan in 2019 this way), so
the cells are listed for validation to flag. Parsed with defusedxml, after ``archive.check_archive``.
"""

import re
import zipfile
from collections.abc import Mapping
from posixpath import join, normpath
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EXTERNAL = re.compile(r"\[\d+\]")
_REFERENCE = re.compile(r"([A-Z]+)(\d+)")

Linked = Mapping[tuple[int, int], str]


def linked_cells(archive: zipfile.ZipFile) -> dict[str, Linked]:
    """Sheet name → {(row number, 0-based column): formula} of every cell linked to another workbook."""
    names = archive.namelist()
    if not any(name.startswith("xl/externalLinks/") for name in names):
        return {}
    return {sheet: _linked(archive, part) for sheet, part in sheet_parts(archive).items() if part in names}


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the part of the archive its workbook relationship points to (which may not exist)."""
    if "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return {}
    targets = {
        element.get("Id", ""): _part(element.get("Target", ""))
        for element in _elements(archive, "xl/_rels/workbook.xml.rels", f"{PACKAGE}Relationship")
    }
    return {
        element.get("name", ""): targets.get(element.get(RELATIONSHIP, ""), "")
        for element in _elements(archive, "xl/workbook.xml", f"{MAIN}sheet")
    }


def _part(target: str) -> str:
    """A relationship target as a part name: relative to ``xl/``, or from the archive root if it starts with /."""
    return target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))


def _linked(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    for cell in _elements(archive, part, f"{MAIN}c"):
        formula = cell.findtext(f"{MAIN}f") or ""
        reference = _REFERENCE.fullmatch(cell.get("r", ""))
        if EXTERNAL.search(formula) and reference:
            found[int(reference.group(2)), column_index(reference.group(1))] = formula
    return found


def _elements(archive: zipfile.ZipFile, part: str, tag: str) -> list[Element]:
    with archive.open(part) as handle:
        found = []
        for _, element in iterparse(handle, events=("end",), forbid_dtd=True):
            if element.tag == tag:
                found.append(element)
        return found


def column_index(letters: str) -> int:
    """``"A"`` → 0, ``"O"`` → 14, ``"AA"`` → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def column_letters(index: int) -> str:
    """0 → ``"A"``, 26 → ``"AA"``: the column as a spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
