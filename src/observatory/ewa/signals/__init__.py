"""Signal detection for the Early Warning Advisory: aberrations in weekly or monthly report counts (METHODS.md §5).

Build a :class:`CountSeries` from dated events with :func:`count_series`, then run :func:`farrington`
(Noufaily et al.'s improved algorithm by default), :func:`ears` (C1, C2, C3) or :func:`cusum`. Each
returns a :class:`Detection`: one :class:`PeriodResult` per assessed period. :func:`run_evaluation`
scores every method on simulated series with known outbreaks;
:func:`markdown_report` writes the result up.
"""

from observatory.ewa.signals.cusum import CUSUM, CusumConfig, cusum
from observatory.ewa.signals.ears import C1, C2, C3, EarsConfig, ears
from observatory.ewa.signals.evaluation import METHODS, EvaluationReport, Method, methods, run_evaluation
from observatory.ewa.signals.evaluation_markdown import markdown_report
from observatory.ewa.signals.farrington import NOUFAILY, ORIGINAL, FarringtonConfig, farrington
from observatory.ewa.signals.result import Detection, PeriodResult
from observatory.ewa.signals.series import COMPLETE, CountSeries, Coverage, Event, Frequency, SeriesKey, count_series
from observatory.ewa.signals.simulation import SCENARIOS, Design, Scenario, simulate

__all__ = [
    "C1",
    "C2",
    "C3",
    "COMPLETE",
    "CUSUM",
    "METHODS",
    "NOUFAILY",
    "ORIGINAL",
    "SCENARIOS",
    "CountSeries",
    "Coverage",
    "CusumConfig",
    "Design",
    "Detection",
    "EarsConfig",
    "EvaluationReport",
    "Event",
    "FarringtonConfig",
    "Frequency",
    "Method",
    "PeriodResult",
    "Scenario",
    "SeriesKey",
    "count_series",
    "cusum",
    "ears",
    "farrington",
    "markdown_report",
    "methods",
    "run_evaluation",
    "simulate",
]
