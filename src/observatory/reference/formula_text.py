"""Text a spreadsheet would run as a formula ("CSV injection", OWASP), and the one way every file we write keeps it
inert.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=cmd|' /C calc'!A0``, ``+HYPERLINK(…)``, ``@SUM(…)``); a tab or a carriage return in front hides the sign from
a check of the first character only. A plain number (``-5``, ``+1.5e3``, ``-12%``) is not a formula, whatever its
sign. Validation refuses such text in cells where no number is expected (``formula-like-text``); every CSV and
workbook writer passes each cell through ``inert``, so that text stored before, or coming from elsewhere, is
written as text.

A carriage return inside text is a way in too: Python's csv writer, ending lines with a line feed, leaves a field
with a lone CR unquoted, and a spreadsheet starts a new row there, at whatever follows. ``inert`` writes every line
break as a line feed, which the writer quotes and a spreadsheet keeps inside the cell.
"""

import re
from typing import TypeVar

#: The first characters OWASP lists: a spreadsheet starts a formula at the first four.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SIGNS = TRIGGERS[:4]
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
T = TypeVar("T")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula: it starts with one of ``TRIGGERS``, or with a sign after
    blanks, and it is not a plain number."""
    stripped = text.strip()
    if not text.startswith(TRIGGERS) and not stripped.startswith(SIGNS):
        return False
    return _PLAIN_NUMBER.fullmatch(stripped) is None


def inert(value: T) -> T | str:
    """``value`` as a cell of a CSV file or workbook we write: formula-like text behind a single quote (OWASP), so
    that a spreadsheet shows it as text, and each line break as a line feed; numbers, plain-number text, other text
    and ``None`` as they are."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    return "'" + text if is_formula_like(value) else text
