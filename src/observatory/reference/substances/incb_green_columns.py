"""Rebuilding the name and chemical-name columns of a Green List row from its PDF text.

The PDF parser wrote each table row as lines of text in which the columns are interleaved: line 1 holds the
code, the CAS number, the first line of every name cell and the first line of the chemical-name cell; each
further line holds the next line of every cell that wraps. For example::

    PM 022 1189805-46-6 mephedrone, 4- (RS)-2-methylamino-1-(4-methylphenyl)propan-
    methylmethcathinone 1-one

is the names "mephedrone" and "4-methylmethcathinone" and the chemical name
"(RS)-2-methylamino-1-(4-methylphenyl)propan-1-one".

Rules, applied line by line:

* on line 1 the first token is a name; the chemical name starts at the first token that looks chemical
  (brackets, two or more locants, a Greek letter in a long word, "2,5-dimethoxy...", "Quinolin-8-yl"...);
* names are split at commas, at "(ABBR)", after a capitalised INN ("AMFETAMINE | amphetamine") and before a
  short capitalised abbreviation ("BROLAMFETAMINE | DOB");
* a name ending in "-" was cut by the line end: it takes the first token of the next line ("4-" +
  "methylmethcathinone"); a name ending in "," continues the list on the next line ("methoxetamine," "MXE");
* other name text on a later line ("RACEMATE racemate", "rone") is appended, with a space, to the name of
  its column: capitals to the INN, the rest to the last name; the joins are reported for review;
* a chemical name that ends in "-" or has an open bracket continues on the next line;
* a line holding only a number is a footnote marker: it and everything after it are page text, not the row;
* a date on a line of its own is page text too.
"""

import re
from dataclasses import dataclass, field

_LOCANT = re.compile(r"(?<![A-Za-z])(?:\d+[a-z]?(?:,\d+[a-z]?)*|N|O)['’]?-")
_MULTI_LOCANT_WORD = re.compile(r"^\d+(?:,\d+)+['’]?-[a-z]{4,}")
_LOCANT_WORD = re.compile(r"^\d+-[a-z]{8,}")
_ALKYL = frozenset({"methyl", "ethyl", "propyl", "isopropyl", "butyl", "isobutyl", "tert-butyl", "benzyl"})
_GREEK = frozenset("αβγδ")
_FOOTNOTE_LINE = re.compile(r"\s*\d{1,2}\s*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_QUALIFIER = re.compile(r"\s+and\s+its\b.*$|^(?:the|and|its|their|following)\b.*$", re.IGNORECASE)
_FUNCTION_WORDS = ("and", "its", "the", "of", "their")


@dataclass(slots=True)
class GreenColumns:
    names: list[str] = field(default_factory=list)
    chemical_name: str = ""
    qualifiers: list[str] = field(default_factory=list)
    rejoined: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    dropped_lines: list[str] = field(default_factory=list)
    dropped_dates: list[str] = field(default_factory=list)


def split_columns(lines: list[str]) -> GreenColumns:
    """Names and chemical name from the row's text lines, code and CAS number already removed."""
    result = GreenColumns()
    state = _State(result)
    for number, line in enumerate(lines):
        if number and _FOOTNOTE_LINE.fullmatch(line):
            result.dropped_lines = lines[number:]
            break
        tokens = _without_dates(line.split(), result)
        if number == 0:
            state.first_line(tokens)
        else:
            state.continuation_line(tokens)
    state.finish()
    return result


def looks_chemical(token: str, *, following: str | None = None, first: bool = False) -> bool:
    """Whether ``token`` starts (or continues) a chemical name rather than a drug name."""
    if first:
        return False
    return (
        _has_brackets(token)
        or _LOCANT.findall(token).__len__() >= 2
        or (any(c in _GREEK for c in token) and len(token) >= 10)
        or _MULTI_LOCANT_WORD.match(token) is not None
        or _LOCANT_WORD.match(token) is not None
        or re.search(r"\d-yl$", token) is not None
        or (token.casefold() in _ALKYL and not token.isupper() and following is not None and looks_chemical(following))
    )


def _has_brackets(token: str) -> bool:
    if any(c in token for c in "[]{}"):
        return True
    if token.startswith("("):
        closing = token.find(")")
        after = token[closing + 1 :].lstrip("-")
        return len(token) >= 12 and closing > 0 and any(c.islower() for c in after) and not after.isalpha()
    return "(" in token[1:] or token.count(")") > token.count("(")


def _is_capitals(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_abbreviation(token: str) -> bool:
    return _is_capitals(token) and (sum(c.isalpha() for c in token) <= 4 or any(c.isdigit() for c in token))


def _without_dates(tokens: list[str], result: GreenColumns) -> list[str]:
    kept = [token for token in tokens if not _DATE.fullmatch(token)]
    result.dropped_dates.extend(token for token in tokens if _DATE.fullmatch(token))
    return kept


@dataclass(slots=True)
class _State:
    result: GreenColumns
    names: list[list[str]] = field(default_factory=list)
    chemical: list[str] = field(default_factory=list)
    touched: int | None = None
    rejoined: set[int] = field(default_factory=set)

    def first_line(self, tokens: list[str]) -> None:
        start = _chemical_start(tokens, first_line=True)
        self._add_names(tokens[:start])
        self._add_chemical(tokens[start:])

    def continuation_line(self, tokens: list[str]) -> None:
        rest = self._feed_open_names(tokens)
        rest = self._feed_listed_names(rest)
        start = _chemical_start(rest, first_line=False)
        if self._chemical_is_open():
            start = 0 if start == len(rest) else _name_words_end(rest[:start])
        self._append_leftovers(rest[:start])
        self._add_chemical(rest[start:])

    def finish(self) -> None:
        for index, parts in enumerate(self.names):
            name = " ".join(parts).strip(" ,")
            name = _strip_wrapping_parentheses(name)
            qualifier = _QUALIFIER.search(name)
            if qualifier:
                self.result.qualifiers.append(qualifier.group().strip())
                name = name[: qualifier.start()].strip(" ,")
            if not name:
                continue
            if name.endswith("-"):
                self.result.truncated.append(name)
            elif name not in self.result.names:
                self.result.names.append(name)
                if index in self.rejoined:
                    self.result.rejoined.append(name)
        self.result.chemical_name = _join_chemical(self.chemical)

    def _add_names(self, tokens: list[str]) -> None:
        for token in tokens:
            if self._starts_new_name(token):
                self.names.append([token])
            else:
                self.names[-1].append(token)

    def _starts_new_name(self, token: str) -> bool:
        if not self.names:
            return True
        current = self.names[-1]
        last = current[-1]
        if last.endswith((",", "-")) or _is_parenthesised_abbreviation(token):
            return True
        if all(_is_capitals(part) for part in current):
            return not _is_capitals(token) or (_is_abbreviation(token) and not _is_abbreviation(current[0]))
        return False

    def _feed_open_names(self, tokens: list[str]) -> list[str]:
        rest = list(tokens)
        for index, parts in enumerate(self.names):
            if rest and parts[-1].endswith("-") and not looks_chemical(rest[0]):
                parts[-1] += rest.pop(0)
                self.touched = index
            if parts[-1].casefold() in _FUNCTION_WORDS:
                while rest and rest[0].isalpha() and rest[0].islower():
                    parts.append(rest.pop(0))
        if rest and rest[0] == ")" and self.touched is not None:
            self.names[self.touched][-1] += rest.pop(0)
        return rest

    def _feed_listed_names(self, tokens: list[str]) -> list[str]:
        rest = list(tokens)
        while rest and self.names and self.names[-1][-1].endswith(",") and not looks_chemical(rest[0]):
            self.names.append([rest.pop(0)])
            self.touched = len(self.names) - 1
        return rest

    def _append_leftovers(self, tokens: list[str]) -> None:
        for token in tokens:
            if _is_parenthesised_abbreviation(token) or (self.names and self.names[-1][-1].endswith(",")):
                self.names.append([token])
                continue
            target = self._column_of(token)
            self.names[target].append(token)
            self.touched = target
            self.rejoined.add(target)

    def _column_of(self, token: str) -> int:
        """Capitals continue the INN column, other words the name column they were cut from."""
        if not self.names:
            self.names.append([])
            return 0
        capitals = [index for index, parts in enumerate(self.names) if _is_capitals(parts[0])]
        if _is_capitals(token):
            if self.touched is not None:
                return self.touched
            return capitals[0] if capitals else len(self.names) - 1
        if self.touched is not None and self.touched not in capitals:
            return self.touched
        others = [index for index in range(len(self.names)) if index not in capitals]
        return others[-1] if others else len(self.names) - 1

    def _add_chemical(self, tokens: list[str]) -> None:
        self.chemical.extend(tokens)

    def _chemical_is_open(self) -> bool:
        text = _join_chemical(self.chemical)
        return bool(text) and (text.endswith("-") or _unbalanced(text))


def _chemical_start(tokens: list[str], *, first_line: bool) -> int:
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if looks_chemical(token, following=following, first=first_line and index == 0):
            return index
    return len(tokens)


def _name_words_end(tokens: list[str]) -> int:
    """How many leading tokens are name text when the chemical name is still open: words without digits."""
    for index, token in enumerate(tokens):
        if any(c.isdigit() for c in token) and not _is_parenthesised_abbreviation(token):
            return index
    return len(tokens)


def _join_chemical(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        text += token if not text or text.endswith("-") else f" {token}"
    return text


def _unbalanced(text: str) -> bool:
    return any(text.count(opening) != text.count(closing) for opening, closing in ("()", "[]", "{}"))


def _is_parenthesised_abbreviation(token: str) -> bool:
    return token.startswith("(") and token.endswith(")") and _is_capitals(token[1:-1])


def _strip_wrapping_parentheses(name: str) -> str:
    if name.startswith("(") and name.endswith(")") and name.count("(") == 1:
        return name[1:-1].strip()
    if name.startswith("(") and name.count("(") > name.count(")"):
        return name[1:].strip()
    return name
