"""Signal detection for the Early Warning Advisory: aberrations in weekly or monthly report counts (METHODS.md §5).

Build a :class:`CountSeries` from dated events with :func:`count_series`, then run :func:`farrington`
(Noufaily et al.'s improved algorithm by default), :func:`ears` (C1, C2, C3) or :func:`cusum`. Each
returns a :class:`Detection`: one :class:`PeriodResult` per assessed period. :func:`run_evaluation`
scores every method on simulated series with known outbreaks.
"""

from observatory.ewa.signals.cusum import CUSUM, CusumConfig, cusum
from observatory.ewa.signals.ears import C1, C2, C3, EarsConfig, ears
from observatory.ewa.signals.evaluation import DETECTORS, EvaluationReport, run_evaluation
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
    "DETECTORS",
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
    "PeriodResult",
    "Scenario",
    "SeriesKey",
    "count_series",
    "cusum",
    "ears",
    "farrington",
    "run_evaluation",
    "simulate",
]
