"""Scoring one method's alarms on one simulated series against its known outbreaks (METHODS.md §5).

Measures, over the assessed weeks [P]: false-positive rate = alarms in non-outbreak weeks ÷ non-outbreak
weeks; probability of detection (POD) = outbreaks with at least one alarm in their weeks ÷ outbreaks;
sensitivity = outbreak weeks alarmed ÷ outbreak weeks; POD in the first week; timeliness = mean delay,
in weeks, from an outbreak's start to its first alarm (detected outbreaks only). An outbreak week is a
week that received an outbreak case; an outbreak whose Poisson size came out 0 is not counted.
"""

from dataclasses import dataclass

import numpy as np

from observatory.ewa.signals.result import Detection
from observatory.ewa.signals.simulation import SimulatedSeries

MEASURES = ("false_positive_rate", "probability_of_detection", "sensitivity", "pod_first_week", "timeliness_weeks")


@dataclass(frozen=True, slots=True)
class Tally:
    """Raw counts behind the measures; tallies add up across series."""

    non_outbreak_weeks: int = 0
    false_alarms: int = 0
    outbreak_weeks: int = 0
    alarmed_outbreak_weeks: int = 0
    outbreaks: int = 0
    detected: int = 0
    detected_first_week: int = 0
    delays: tuple[int, ...] = ()

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.non_outbreak_weeks + other.non_outbreak_weeks,
            self.false_alarms + other.false_alarms,
            self.outbreak_weeks + other.outbreak_weeks,
            self.alarmed_outbreak_weeks + other.alarmed_outbreak_weeks,
            self.outbreaks + other.outbreaks,
            self.detected + other.detected,
            self.detected_first_week + other.detected_first_week,
            self.delays + other.delays,
        )

    def measures(self) -> dict[str, float | None]:
        return {
            "false_positive_rate": _ratio(self.false_alarms, self.non_outbreak_weeks),
            "probability_of_detection": _ratio(self.detected, self.outbreaks),
            "sensitivity": _ratio(self.alarmed_outbreak_weeks, self.outbreak_weeks),
            "pod_first_week": _ratio(self.detected_first_week, self.outbreaks),
            "timeliness_weeks": float(np.mean(self.delays)) if self.delays else None,
        }


def score(simulated: SimulatedSeries, detection: Detection) -> Tally:
    """Compare one method's alarms over the assessed weeks with the series' outbreaks."""
    first = simulated.assessed_from
    alarms = detection.alarms[-(len(simulated.series) - first) :]
    alarmed = {first + offset for offset, alarm in enumerate(alarms) if alarm}
    assessed = set(range(first, len(simulated.series)))
    outbreak_weeks = simulated.outbreak_weeks() & assessed
    tally = Tally(
        non_outbreak_weeks=len(assessed - outbreak_weeks),
        false_alarms=len(alarmed - outbreak_weeks),
        outbreak_weeks=len(outbreak_weeks),
        alarmed_outbreak_weeks=len(alarmed & outbreak_weeks),
    )
    for outbreak in simulated.outbreaks:
        weeks = [week for week in outbreak.weeks if week in assessed]
        if outbreak.start in assessed and weeks:
            hits = [week for week in weeks if week in alarmed]
            tally += Tally(
                outbreaks=1,
                detected=int(bool(hits)),
                detected_first_week=int(weeks[0] in alarmed),
                delays=(hits[0] - outbreak.start,) if hits else (),
            )
    return tally


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
