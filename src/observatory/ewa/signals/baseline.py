"""The Farrington baseline: reference periods, their windows and the seasonal levels between them (METHODS.md §5).

Steps 1–2 of the algorithm per assessed period t₀: the reference periods are t₀ − j·freq for j = 1…b
(``index`` mode) or, for weekly series in ``date`` mode, the week whose Monday is nearest to the
same calendar day j years earlier (R ``surveillance`` with ``epochAsDate``). Each reference period
carries a window of ±w periods, and t₀ the window t₀ − w … t₀; all of them are level ``p``
(= ``noPeriods``). With p > 1 every gap between consecutive windows is split into p − 1 blocks of
equal length, the remainder going to the first blocks, numbered 1 … p − 1 from the older window on.
"""

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Literal

from observatory.ewa.signals.series import CountSeries, Frequency

ReferenceMode = Literal["index", "date"]


def reference_periods(series: CountSeries, now: int, years: int, mode: ReferenceMode) -> tuple[int, ...]:
    """Positions of t₀ and its ``years`` reference periods, newest first (may fall before the series)."""
    if mode == "date" and series.frequency is Frequency.WEEKLY:
        today = series.period(now)
        days = (_nearest_monday(_years_before(today, j)) for j in range(1, years + 1))
        return (now, *(series.frequency.periods_between(series.start, day) for day in days))
    return tuple(now - j * series.frequency.periods_per_year for j in range(years + 1))


def seasonal_levels(references: Sequence[int], w: int, levels: int) -> dict[int, int]:
    """Level of every baseline position, before any period is excluded.

    ``references`` are t₀ and its reference periods, newest first. A gap shorter than ``levels − 1``
    leaves some of its blocks empty.
    """
    now = references[0]
    level_of = dict.fromkeys(range(now - w, now + 1), levels)
    for newer, older in pairwise(references):
        level_of.update(dict.fromkeys(range(older - w, older + w + 1), levels))
        if levels == 1:
            continue
        position = older + w + 1
        for level, length in enumerate(_block_lengths(newer - older - 2 * w - 1, levels - 1), start=1):
            level_of.update(dict.fromkeys(range(position, position + length), level))
            position += length
    return level_of


def _block_lengths(gap: int, blocks: int) -> list[int]:
    size, rest = divmod(gap, blocks)
    return [size + 1 if i < rest else size for i in range(blocks)]


def _years_before(day: date, years: int) -> date:
    """Same month and day ``years`` earlier; 29 February becomes 1 March, as R's ``seq(by = "-1 year")``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 3, 1)


def _nearest_monday(day: date) -> date:
    offset = day.weekday()
    return Frequency.WEEKLY.shift(Frequency.WEEKLY.period_start(day), 1 if offset > 3 else 0)
