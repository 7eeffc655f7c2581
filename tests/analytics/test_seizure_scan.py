"""The one scan behind a trend gives what the two queries it replaced gave: the headline sums by year (exact, with
their counts and submissions) and, per year, the plant material, the reported totals and the differing totals."""

import math

import pytest

from observatory.analytics.seizure_scan import trend_scan
from observatory.analytics.seizures import dimension_values
from observatory.analytics.snapshot import DATASET
from observatory.analytics.store import AnalyticsStore


@pytest.mark.parametrize("area", [None, ("region", "Americas")])
def test_the_scan_gives_the_sums_and_notes_of_separate_queries(
    analytics: AnalyticsStore, area: tuple[str, str] | None
) -> None:
    source = analytics.source(DATASET)
    for group in dimension_values(analytics, "drug_group"):
        where, parameters = "drug_group = ?", [group]
        if area:
            where, parameters = where + f" AND {area[0]} = ?", [*parameters, area[1]]
        scan = trend_scan(analytics, ("year",), where, parameters)
        sums = analytics.rows(
            f"SELECT year, list(kilograms) FILTER (WHERE kilograms IS NOT NULL), count(*), count(kilograms), "
            f"count(*) FILTER (WHERE total_check = 'total-differs'), count(covers), list(DISTINCT submission_id) "
            f"FROM {source} WHERE {where} AND headline GROUP BY year ORDER BY year",
            parameters,
        )
        assert [
            (g.keys["year"], g.row()["kilograms"], g.records, g.reported, g.differing, g.covered, sorted(g.submissions))
            for g in scan.sums
        ] == [
            (year, math.fsum(values) if values else None, records, reported, differing, covered, sorted(ids))
            for year, values, records, reported, differing, covered, ids in sums
        ]
        notes = analytics.rows(
            f"""SELECT year, list(kilograms) FILTER (WHERE plant_material AND kilograms IS NOT NULL),
                       string_agg(DISTINCT drug, '; ' ORDER BY drug) FILTER (WHERE plant_material),
                       count(*) FILTER (WHERE reported_total AND headline),
                       count(*) FILTER (WHERE reported_total AND NOT headline),
                       count(*) FILTER (WHERE reported_total AND total_check = 'total-differs')
                FROM {source} WHERE {where} GROUP BY year ORDER BY year""",
            parameters,
        )
        assert [
            (year, out.plant_kilograms, out.names, out.totals_used, out.totals_left_out, out.differing)
            for (name, year), out in scan.left_out.items()
            if name == group
        ] == [
            (year, math.fsum(plants) if plants else None, names, used, skipped, differing)
            for year, plants, names, used, skipped, differing in notes
        ]
