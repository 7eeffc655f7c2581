"""Properties of reading through a mapping: whatever the cells, a mapped file gives a report (never an exception
other than a refusal naming the mapping or the format), one record per filled row, and a marker is never a value."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatory.reporting.declaration import declaration
from observatory.reporting.mapping import BadMapping, FileMapping
from observatory.reporting.readers import NoReaderFound
from observatory.reporting.validation.run import check_file

SEIZURES = declaration("annual-seizures")
HEADINGS = ["Pays", "Année", "Drogue", "Kg"]
MAPPING = FileMapping(
    dataset="annual-seizures",
    columns={"Pays": "country", "Année": "year", "Drogue": "drug", "Kg": "kilograms"},
    missing=("NULL", ".."),
    derive=("drug_group", "drug_subgroup"),
)
cells = st.one_of(
    st.sampled_from(["Ghana", "Kenya", "Narnia", "Heroin", "Ganja", "NULL", "..", "2023", "12.5", "-4", "1e999", ""]),
    st.text(st.characters(codec="utf-8"), max_size=12),
)


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=4, max_size=4), min_size=1, max_size=8))
def test_any_cells_give_a_report_with_one_record_per_filled_row(rows: list[list[str]]) -> None:
    data = as_csv(rows)
    try:
        outcome = check_file(data, "any.csv", SEIZURES, mapping=MAPPING)
    except (BadMapping, NoReaderFound):
        return
    for record in outcome.records:
        kilograms = record.values.get("kilograms")
        assert type(kilograms).__name__ != "Observed" or str(kilograms) not in ("NULL", "..")
    assert outcome.report.rows <= len(rows)
