import csv
import io
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.errors import BadInput, Forbidden
from observatory.reference.drug_names import drug_hierarchy
from observatory.reference.release import load_packaged_release
from observatory.reporting.declaration import declaration
from observatory.reporting.submissions import observations
from observatory.reporting.submit import submit_file
from observatory.reporting.templates import LISTS, choices, country_template
from observatory.reporting.validation import check_file
from observatory.reporting.workflow import apply_step
from observatory.store.migrate import upgrade

ADMIN = Principal("root", Role.ADMIN)
REVIEWER = Principal("reviewer", Role.ADMIN)  # four eyes: not who uploaded
LAST_YEAR = (
    "country,drug_group,drug_subgroup,drug,year,kilograms\n"
    "Ghana,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"
    "Ghana,Opioids,Opiates,Heroin,2023,3\n"
)
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids)"


@pytest.fixture
def template(engine: Engine, tmp_path: Path) -> bytes:
    upgrade(engine)
    load_packaged_release(engine)
    first = submit_file(engine, ADMIN, LAST_YEAR.encode(), "gha-2023.csv", "annual-seizures", "GHA").submission_id
    apply_step(engine, REVIEWER, first, "approve", analytics=tmp_path / "analytics")
    return country_template(engine, ADMIN, "annual-seizures", "GHA", 2024)


def test_a_template_carries_last_years_rows_and_reads_back_once_filled(engine: Engine, template: bytes) -> None:
    book = load_workbook(BytesIO(template))
    assert book.sheetnames == ["Data", "Last year", "Fields", LISTS]
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
    assert result.report["errors"] == [] and result.report["warnings"] == [] and result.values_stored == 2
    stored = observations(engine, ADMIN, result.submission_id)
    assert {(row["year"], row["value"]) for row in stored} == {(2024, 7.25)}


def validations(book: Workbook) -> dict[str, DataValidation]:
    """The drop-down rule of each column of ``Data``, by the column's field id."""
    data = book["Data"]
    header = {cell.column_letter: cell.value for cell in data[1]}
    found: dict[str, DataValidation] = {}
    for rule in data.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            letter = cells.coord.split(":")[0].rstrip("0123456789")
            assert cells.coord == f"{letter}2:{letter}1048576"
            found[str(header[letter])] = rule
    return found


def listed(book: Workbook, rule: DataValidation) -> list[str]:
    """The names the rule's range on the lists sheet holds."""
    sheet, cells = str(rule.formula1).split("!")
    assert sheet.strip("'") == LISTS
    return [str(row[0].value) for row in book[LISTS][cells.replace("$", "")]]


@pytest.mark.parametrize(
    ("field", "expected_in_list", "not_in_list"),
    [
        ("country", "Ghana", "Narnia"),
        ("country", "Bolivia (Plurinational State of)", "USSR"),
        ("drug_group", CANNABIS, "Cannabis-type"),
        ("drug_group", "“Ecstasy”-type substances", "ATS"),
        ("drug_subgroup", "Opiates", "Heroin"),
        ("drug", "Heroin", "Ganja"),
        ("drug", "Poppy straw (seed heads, pods or capsules)", "Doda post"),
    ],
)
def test_dimensions_with_a_vocabulary_offer_a_drop_down_list_from_the_hidden_sheet(
    template: bytes, field: str, expected_in_list: str, not_in_list: str
) -> None:
    book = load_workbook(BytesIO(template))
    rule = validations(book)[field]
    assert (rule.type, rule.allow_blank, rule.showErrorMessage, rule.errorStyle) == ("list", True, True, "warning")
    names = listed(book, rule)
    assert names == list(choices(declaration("annual-seizures").field(field)))
    assert expected_in_list in names and not_in_list not in names
    assert len(", ".join(names)) > 255, "short enough to write into the rule: the hidden sheet is not needed"


def test_only_the_dimensions_with_a_list_get_one_and_the_lists_are_hidden(template: bytes) -> None:
    book = load_workbook(BytesIO(template))
    assert sorted(validations(book)) == ["country", "drug", "drug_group", "drug_subgroup"]
    assert book[LISTS].sheet_state == "hidden"
    assert book["Data"].sheet_state == "visible"


def test_every_name_a_list_offers_is_accepted_as_it_is_written() -> None:
    plan = declaration("annual-seizures")
    seizures = {(row.group, row.subgroup, row.drug) for row in drug_hierarchy() if "7.1" in row.tables}
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["country", "drug_group", "drug_subgroup", "drug", "year", "kilograms"])
    writer.writerows([country, "Opioids", "Opiates", "Heroin", 2023, 1] for country in choices(plan.field("country")))
    writer.writerows(["Ghana", *names, 2023, 1] for names in sorted(seizures, key=str))
    outcome = check_file(text.getvalue().encode(), "lists.csv", plan)
    assert outcome.report.errors == ()
    for record in outcome.records:
        for field in ("drug_group", "drug_subgroup", "drug"):
            assert record.codes[field] == record.record.cells[field]
    offered = {field: set(choices(plan.field(field))) for field in ("drug_group", "drug_subgroup", "drug")}
    assert offered == {
        "drug_group": {group for group, _, _ in seizures},
        "drug_subgroup": {subgroup for _, subgroup, _ in seizures},
        "drug": {drug for _, _, drug in seizures},
    }


def test_a_template_for_an_unknown_country_is_refused(engine: Engine) -> None:
    upgrade(engine)
    with pytest.raises(BadInput):
        country_template(engine, ADMIN, "annual-seizures", "XXX", 2024)


def test_only_who_may_read_the_countrys_unpublished_data_gets_its_template(engine: Engine) -> None:
    upgrade(engine)
    with pytest.raises(Forbidden):
        country_template(engine, Principal("sy", Role.FOCAL_POINT, frozenset({"SEN"})), "annual-seizures", "GHA", 2024)
