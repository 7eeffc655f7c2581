"""JSON records: an array of objects, or an object holding one such array (``{"data": [...]}``).

Each record's row number is the line its opening brace is on, which is what a person sees in an editor.
"""

import json
from collections.abc import Iterator
from typing import Any

from observatory.reporting.readers.base import Reader, Sheet, Source, SourceRow, UnreadableFile
from observatory.reporting.readers.text import decode, looks_like_text
from observatory.reporting.workbook import Cell

#: Finds where each record starts; numbers stay text (a long one would not fit ``int``).
_DECODER = json.JSONDecoder(parse_int=str, parse_float=str)
_WHITESPACE = " \t\n\r"


class JsonReader(Reader):
    format = "json"
    title = "JSON records (an array of objects)"

    @classmethod
    def handles(cls, data: bytes) -> bool:
        return looks_like_text(data) and decode(data[:4096]).content.lstrip().startswith(("[", "{"))

    def read(self, data: bytes, name: str) -> Source:
        text = decode(data).content
        digits = self.limits.max_number_digits
        try:
            # A number of more digits is kept as its text (``int`` refuses 4,300 digits and more with a ValueError;
            # ``float`` makes it inf): validation then says, at its cell, that it is not a number.
            document = json.loads(
                text,
                parse_int=lambda number: int(number) if len(number) <= digits else number,
                parse_float=lambda number: float(number) if len(number) <= digits else number,
            )
        except json.JSONDecodeError as exc:
            raise UnreadableFile(
                f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                [{"file": name, "row": exc.lineno, "column": exc.colno}],
            ) from exc
        except RecursionError as exc:
            raise UnreadableFile(f"{name}: the JSON is nested too deeply to be a table", [{"file": name}]) from exc
        key, records = _records(document, name)
        lines = _record_lines(text, key)
        header = tuple(dict.fromkeys(column for record in records for column in record))
        self.check_shape(name, len(records), len(header))
        rows = tuple(
            SourceRow(line, tuple(_cell(record.get(column)) for column in header))
            for line, record in zip(lines, records, strict=True)
        )
        self.check_texts(name, "the keys of the records", header)
        for row in rows:
            self.check_texts(name, f"the record on line {row.number}", row.cells)
        return Source(name, self.format, (Sheet("", rows, header=header),))


def _records(document: Any, name: str) -> tuple[str | None, list[dict[str, Any]]]:
    key: str | None = None
    if isinstance(document, dict):
        arrays = [k for k, v in document.items() if isinstance(v, list)]
        if len(arrays) != 1:
            raise UnreadableFile(
                f"{name}: expected an array of records, or an object with exactly one array; found keys "
                f"{list(document)[:10]}",
                [{"file": name}],
            )
        key = arrays[0]
        document = document[key]
    if not isinstance(document, list) or not all(isinstance(record, dict) for record in document):
        raise UnreadableFile(f"{name}: every record must be a JSON object ({{...}})", [{"file": name}])
    return key, document


def _record_lines(text: str, key: str | None) -> Iterator[int]:
    """The line each record of the array starts on (the array at the top, or under ``key``)."""
    position = _skip(text, 0)
    if key is not None:
        position = _member(text, position + 1, key)
    position = _skip(text, position + 1)
    line, counted = 1, 0
    while text[position] != "]":
        line += text.count("\n", counted, position)
        counted = position
        yield line
        _, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        if text[position] == ",":
            position = _skip(text, position + 1)


def _member(text: str, position: int, key: str) -> int:
    """The position of the value of ``key`` in the object whose members start at ``position``."""
    while True:
        name, position = _DECODER.raw_decode(text, _skip(text, position))
        position = _skip(text, _skip(text, position) + 1)
        if name == key:
            return position
        _, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position) + 1


def _skip(text: str, position: int) -> int:
    while text[position] in _WHITESPACE:
        position += 1
    return position


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)
