from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.errors import BadInput, Forbidden
from observatory.reference.release import load_packaged_release
from observatory.reporting.submissions import observations
from observatory.reporting.submit import submit_file
from observatory.reporting.templates import country_template
from observatory.reporting.workflow import apply_step
from observatory.store.migrate import upgrade

ADMIN = Principal("root", Role.ADMIN)
LAST_YEAR = (
    "country,drug_group,drug_subgroup,drug,year,kilograms\n"
    "Ghana,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"
    "Ghana,Opioids,Opiates,Heroin,2023,3\n"
)


def test_a_template_carries_last_years_rows_and_reads_back_once_filled(engine: Engine) -> None:
    upgrade(engine)
    load_packaged_release(engine)
    first = submit_file(engine, ADMIN, LAST_YEAR.encode(), "gha-2023.csv", "annual-seizures", "GHA").submission_id
    apply_step(engine, ADMIN, first, "approve")

    book = load_workbook(BytesIO(country_template(engine, ADMIN, "annual-seizures", "GHA", 2024)))
    assert book.sheetnames == ["Data", "Last year", "Fields"]
    data = book["Data"]
    header = [cell.value for cell in data[1]]
    rows = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in data.iter_rows(min_row=2)]
    assert sorted((row["drug"], row["year"], row["kilograms"]) for row in rows) == [
        ("Cocaine", 2024, None),
        ("Heroin", 2024, None),
    ]
    assert {row["country"] for row in rows} == {"Ghana"}
    kilograms = header.index("kilograms") + 1
    for number in (2, 3):
        data.cell(number, kilograms).value = 7.25
    filled = BytesIO()
    book.save(filled)

    result = submit_file(engine, ADMIN, filled.getvalue(), "gha-2024.xlsx", "annual-seizures", "GHA")
    assert result.report["errors"] == [] and result.values_stored == 2
    stored = observations(engine, ADMIN, result.submission_id)
    assert {(row["year"], row["value"]) for row in stored} == {(2024, 7.25)}


def test_a_template_for_an_unknown_country_is_refused(engine: Engine) -> None:
    upgrade(engine)
    with pytest.raises(BadInput):
        country_template(engine, ADMIN, "annual-seizures", "XXX", 2024)


def test_only_who_may_read_the_countrys_unpublished_data_gets_its_template(engine: Engine) -> None:
    upgrade(engine)
    with pytest.raises(Forbidden):
        country_template(engine, Principal("sy", Role.FOCAL_POINT, frozenset({"SEN"})), "annual-seizures", "GHA", 2024)
