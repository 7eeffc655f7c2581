"""Reading a submitted file under a declaration and checking it: the one entry point for a submission.

``check_file`` raises only ``NoReaderFound`` (no reader recognises the bytes). A file a reader recognises but
refuses (a zip bomb, XML entities, too many columns) or cannot read becomes a report with one error, and every
data problem is a line of the report.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from observatory.reporting.declaration import Declaration
from observatory.reporting.readers import Limits, RefusedFile, Source, UnreadableFile, read_source
from observatory.reporting.readers.binding import bind
from observatory.reporting.readers.records import Bound, LayoutIssue
from observatory.reporting.validation.duplicates import check_duplicates
from observatory.reporting.validation.outliers import History, check_outliers
from observatory.reporting.validation.problems import CODES, Problem
from observatory.reporting.validation.report import Report
from observatory.reporting.validation.rules import check_rules
from observatory.reporting.validation.schema import Schema, check_record
from observatory.reporting.validation.typed_records import Checked


@dataclass(frozen=True, slots=True)
class Outcome:
    """The checked records (usable where the report has no error for them), the report, and what was read how."""

    records: tuple[Checked, ...]
    report: Report
    layouts: Mapping[str, str] = field(default_factory=dict)
    source: Source | None = None


def check_file(
    data: bytes,
    name: str,
    declaration: Declaration,
    layout: str | None = None,
    history: History = (),
    limits: Limits | None = None,
) -> Outcome:
    """Read ``data`` (a file called ``name``) as the data set ``declaration`` describes, and check it."""
    try:
        source = read_source(data, name, limits)
    except (UnreadableFile, RefusedFile) as exc:
        return Outcome((), Report.of([Problem(exc.code, CODES[exc.code], None, None, None, exc.message)], 0))
    outcome = check_source(source, declaration, layout, history)
    return Outcome(outcome.records, outcome.report, outcome.layouts, source)


def check_source(source: Source, declaration: Declaration, layout: str | None = None, history: History = ()) -> Outcome:
    return validate(declaration, bind(source, declaration.all_layouts(), layout), history)


def validate(declaration: Declaration, bound: Bound, history: History = ()) -> Outcome:
    """Check records already read: schema and vocabularies, cross-field rules, duplicates, then history."""
    problems = [_layout_problem(issue, len({r.sheet for r in bound.records}) > 1) for issue in bound.issues]
    schema = Schema.of(declaration)
    records = tuple(check_record(schema, record, problems) for record in bound.records)
    problems.extend(check_rules(declaration, records))
    problems.extend(check_duplicates(declaration, records))
    problems.extend(check_outliers(declaration, records, history))
    return Outcome(records, Report.of(problems, len(records)), bound.layouts)


def _layout_problem(issue: LayoutIssue, several_sheets: bool) -> Problem:
    sheet = f"Sheet {issue.sheet!r}: " if issue.sheet and several_sheets else ""
    return Problem(issue.code, CODES[issue.code], issue.row, issue.column, issue.value, sheet + issue.message)
