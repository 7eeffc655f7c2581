"""Excel .xlsx workbooks, read with calamine: stored values only, formulas never evaluated.

The archive is checked first (size, zip bomb, XML document type declarations), then the extent of its sheets and
the length of its cells, streamed from the XML (``xlsx_extent``), and only then is every sheet read as a grid
whose row numbers are the ones Excel shows.
"""

import io
from collections.abc import Mapping

from python_calamine import CalamineError, CalamineWorkbook

from observatory.reporting.readers.archive import ZIP_ERRORS, check_archive, open_archive
from observatory.reporting.readers.base import Reader, Sheet, Source, SourceRow, UnreadableFile
from observatory.reporting.readers.linked_cells import linked_cells
from observatory.reporting.readers.xlsx_extent import check_extent

ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_PART = "xl/workbook.xml"


class XlsxReader(Reader):
    format = "xlsx"
    title = "Excel workbook (.xlsx)"

    @classmethod
    def handles(cls, data: bytes) -> bool:
        if not data.startswith(ZIP_MAGIC):
            return False
        try:
            with open_archive(data, "") as archive:
                return WORKBOOK_PART in archive.namelist()
        except UnreadableFile:
            return False

    def read(self, data: bytes, name: str) -> Source:
        with open_archive(data, name) as archive:
            check_archive(archive, name, self.limits)
            try:
                check_extent(archive, name, self.limits)
                linked = linked_cells(archive)
            except (*ZIP_ERRORS, KeyError, ValueError, SyntaxError, LookupError) as exc:
                raise UnreadableFile(f"{name}: the workbook's structure is damaged ({exc})", [{"file": name}]) from exc
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = tuple(self._sheet(workbook, sheet, name, linked.get(sheet, {})) for sheet in workbook.sheet_names)
        except (CalamineError, ValueError, TypeError, OSError) as exc:
            raise UnreadableFile(f"{name}: not a readable .xlsx workbook ({exc})", [{"file": name}]) from exc
        return Source(name, self.format, sheets)

    def _sheet(self, workbook: CalamineWorkbook, sheet: str, name: str, linked: Mapping[tuple[int, int], str]) -> Sheet:
        grid = workbook.get_sheet_by_name(sheet)
        self.check_shape(f"{name}, sheet {sheet!r}", grid.total_height, grid.total_width)
        rows = grid.to_python(skip_empty_area=False)
        return Sheet(
            sheet, tuple(SourceRow(number, tuple(row)) for number, row in enumerate(rows, start=1)), linked=linked
        )
