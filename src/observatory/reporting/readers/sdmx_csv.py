"""SDMX-CSV (versions 1 and 2): a CSV whose first column is ``DATAFLOW`` or ``STRUCTURE``, one observation a line."""

from observatory.reporting.readers.base import Sheet, Source, UnreadableFile
from observatory.reporting.readers.delimited import CsvReader, sniff_delimiter
from observatory.reporting.readers.text import decode, looks_like_text

FIRST_COLUMNS = ("DATAFLOW", "STRUCTURE")


class SdmxCsvReader(CsvReader):
    format = "sdmx-csv"
    title = "SDMX-CSV (first column DATAFLOW or STRUCTURE)"

    @classmethod
    def handles(cls, data: bytes) -> bool:
        if not looks_like_text(data):
            return False
        first = decode(data[:4096]).content.lstrip().split("\n", 1)[0]
        return first.lstrip('"').upper().startswith(FIRST_COLUMNS)

    def read(self, data: bytes, name: str) -> Source:
        text = decode(data).content
        lines = self.rows(text, sniff_delimiter(text), name)
        if not lines:
            raise UnreadableFile(f"{name}: an SDMX-CSV file needs a header line", [{"file": name}])
        header, *rows = lines
        columns = tuple(str(cell).strip() for cell in header.cells)
        if len(set(columns)) != len(columns):
            raise UnreadableFile(f"{name}: the SDMX-CSV header names a column twice: {list(columns)}", [{"file": name}])
        structure = str(rows[0].cells[0]) if rows and rows[0].cells else ""
        notes = (f"structure {structure}",) if structure else ()
        return Source(name, self.format, (Sheet("", tuple(rows), header=columns),), notes)
