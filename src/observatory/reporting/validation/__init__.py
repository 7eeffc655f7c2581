"""Checking submissions against their declaration; every finding is a ``Problem`` in a ``Report``, never raised."""

from observatory.reporting.validation.outliers import History, modified_z
from observatory.reporting.validation.problems import CODES, Problem
from observatory.reporting.validation.report import Report
from observatory.reporting.validation.run import Outcome, check_file, check_reading
from observatory.reporting.validation.typed_records import Checked

__all__ = [
    "CODES",
    "Checked",
    "History",
    "Outcome",
    "Problem",
    "Report",
    "check_file",
    "check_reading",
    "modified_z",
]
