"""How well a rebuilt table's ranges hold the published one: per drug × area, whether the published best value lies
inside our low–high and the ratio of the two widths; pooled over several levels with the median absolute relative
difference. Works on the cells table of ``wdr_comparison`` (``CELL_SCHEMA``)."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

Row = dict[str, Any]


def interval_cells(cells: pa.Table, measure: str = "prevalence") -> list[Row]:
    """Per drug × area where both tables give best, low and high of ``measure``: whether the published best lies
    inside our low–high, and our width ÷ the published width (None when theirs is zero)."""
    ends: defaultdict[tuple[str, str, str], dict[str, tuple[float | None, float | None]]] = defaultdict(dict)
    for cell in cells.to_pylist():
        if cell["measure"] == measure:
            ends[(cell["drug"], cell["level"], cell["area"])][cell["end"]] = (cell["ours"], cell["published"])
    rows = []
    for (drug, level, area), found in ends.items():
        values = [found.get(end, (None, None)) for end in ("best", "low", "high")]
        if any(value is None for pair in values for value in pair):
            continue
        (_, best), (low, their_low), (high, their_high) = values
        assert best is not None and low is not None and high is not None
        assert their_low is not None and their_high is not None
        width = their_high - their_low
        rows.append(
            {
                "drug": drug,
                "level": level,
                "area": area,
                "inside": low <= best <= high,
                "width_ratio": (high - low) / width if width > 0 else None,
            }
        )
    return rows


def pooled(cells: pa.Table, measure: str, levels: Sequence[str] = ("global", "region")) -> Row:
    """``wdr_comparison.summary``'s measures over the cells of several levels together (by default global and
    regional, the cells the WDR publishes for every drug)."""
    gaps = sorted(
        abs(cell["relative_difference"])
        for cell in cells.to_pylist()
        if cell["measure"] == measure
        and cell["end"] == "best"
        and cell["level"] in levels
        and cell["relative_difference"] is not None
    )
    spans = [item for item in interval_cells(cells, measure) if item["level"] in levels]
    ratios = sorted(item["width_ratio"] for item in spans if item["width_ratio"] is not None)
    inside = sum(item["inside"] for item in spans)
    return {
        "levels": list(levels),
        "measure": measure,
        "cells": len(gaps),
        "median_absolute_relative_difference": median(gaps),
        "range_cells": len(spans),
        "published_best_inside_ours": inside,
        "interval_coverage": inside / len(spans) if spans else None,
        "median_width_ratio": median(ratios),
    }


def median(values: Sequence[float]) -> float | None:
    """The median of sorted ``values`` (None when empty)."""
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
