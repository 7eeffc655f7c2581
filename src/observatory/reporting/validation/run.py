"""Reading a submitted file under a declaration and checking it: the one entry point for a submission.

``check_file`` raises only ``NoReaderFound`` (no reader recognises the bytes). A file a reader recognises but
refuses (a zip bomb, XML entities, too many columns) or cannot read becomes a report with one error, and every
data problem is a line of the report. Records are checked batch by batch, as ``readers.reading`` delivers them:
schema and vocabularies, cross-field rules and history per batch, repeated rows once all are seen.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from observatory.reporting.declaration import Declaration
from observatory.reporting.mapping.model import FileMapping
from observatory.reporting.readers import Limits, RefusedFile, Source, UnreadableFile
from observatory.reporting.readers.csv_columns import IrregularText
from observatory.reporting.readers.reading import Reading, RecordReading, open_reading
from observatory.reporting.readers.records import LayoutIssue
from observatory.reporting.validation.checked_batch import CheckedBatch
from observatory.reporting.validation.duplicates import Duplicates
from observatory.reporting.validation.outliers import History, Outliers
from observatory.reporting.validation.problems import CODES, Problem, layout_problem
from observatory.reporting.validation.report import Report
from observatory.reporting.validation.rules import check_rules
from observatory.reporting.validation.schema import Schema, check_batch
from observatory.reporting.validation.typed_records import Checked

#: A check a caller adds (a submission's country), run on each batch after the declaration's own.
BatchCheck = Callable[[CheckedBatch], Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The report, what was read how, and the reading itself, whose records ``checked`` types again on demand."""

    report: Report
    declaration: Declaration | None = None
    reading: Reading | None = None

    @property
    def layouts(self) -> Mapping[str, str]:
        return self.reading.layouts if self.reading is not None else {}

    @property
    def source(self) -> Source | None:
        return self.reading.source if isinstance(self.reading, RecordReading) else None

    def checked(self) -> Iterator[CheckedBatch]:
        """The records again, typed, batch by batch (their problems are in the report already)."""
        if self.reading is None or self.declaration is None:
            return
        schema = Schema.of(self.declaration)
        for batch in self.reading.batches():
            yield check_batch(schema, batch)[0]

    @property
    def records(self) -> tuple[Checked, ...]:
        """Every record as record-by-record validation sees it (a list of a small file's records, for tests)."""
        return tuple(record for checked in self.checked() for record in checked.records())


def check_file(
    data: bytes,
    name: str,
    declaration: Declaration,
    layout: str | None = None,
    history: History = (),
    limits: Limits | None = None,
    columns: bool = True,
    checks: Sequence[BatchCheck] = (),
    mapping: FileMapping | None = None,
) -> Outcome:
    """Read ``data`` (a file called ``name``) as the data set ``declaration`` describes, and check it.

    ``columns=False`` reads delimited text row by row, as files that cannot be read in columns are. With
    ``mapping``, the file is read through it instead of the declared layouts (``BadMapping`` if it does not fit).
    """
    try:
        try:
            reading = read_file(data, name, declaration, layout, limits, columns, mapping)
            return Outcome(check_reading(reading, declaration, history, checks), declaration, reading)
        except IrregularText:
            reading = read_file(data, name, declaration, layout, limits, False, mapping)
            return Outcome(check_reading(reading, declaration, history, checks), declaration, reading)
    except (UnreadableFile, RefusedFile) as exc:
        return Outcome(Report.of([Problem(exc.code, CODES[exc.code], None, None, None, exc.message)], 0))


def read_file(
    data: bytes,
    name: str,
    declaration: Declaration,
    layout: str | None = None,
    limits: Limits | None = None,
    columns: bool = True,
    mapping: FileMapping | None = None,
) -> Reading:
    """The one way a submitted file is read: through its ``mapping`` if it has one, else the declared layouts."""
    if mapping is not None:
        # Imported here: a mapping checks its value maps against the vocabularies of this package, which imports
        # this module first.
        from observatory.reporting.mapping.apply import mapped_reading

        return mapped_reading(data, name, declaration, mapping, limits)
    return open_reading(data, name, declaration.all_layouts(), layout, limits, columns)


def check_reading(
    reading: Reading, declaration: Declaration, history: History = (), checks: Sequence[BatchCheck] = ()
) -> Report:
    """Check records already read: schema and vocabularies, cross-field rules, duplicates, history, ``checks``."""
    problems = [_layout_problem(issue, reading.several_sheets) for issue in reading.issues]
    schema = Schema.of(declaration)
    found: list[Problem] = []
    broken: list[Problem] = []
    unusual: list[Problem] = []
    added: list[Problem] = []
    duplicates = Duplicates(declaration)
    outliers = Outliers(declaration, history)
    rows = 0
    for batch in reading.batches():
        checked, cells = check_batch(schema, batch)
        found.extend(cells)
        broken.extend(check_rules(declaration, checked))
        duplicates.add(checked)
        unusual.extend(outliers.check(checked))
        added.extend(problem for check in checks for problem in check(checked))
        rows += batch.size
    return Report.of([*problems, *found, *broken, *duplicates.problems(), *unusual, *added], rows)


def _layout_problem(issue: LayoutIssue, several_sheets: bool) -> Problem:
    return layout_problem(issue, several_sheets)
