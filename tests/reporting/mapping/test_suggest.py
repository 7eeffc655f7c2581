"""Proposals for files written by others (built from ``../shared/data``): what ``auto`` applies, what it leaves to a
person, and how the file then reads."""

import pytest

from observatory.reporting.declaration import declaration
from observatory.reporting.mapping import BadMapping, FileMapping, suggest_mapping
from observatory.reporting.validation.run import check_file
from tests.reporting.mapping.byo_files import colombia_departments_wide, header_on_row_4, unodc_series_csv

SEIZURES = declaration("annual-seizures")


def test_a_republished_unodc_series_reads_with_auto_and_null_is_missing() -> None:
    data = unodc_series_csv()
    proposal = suggest_mapping(data, "unodc.csv", SEIZURES)
    mapping = proposal.mapping
    assert mapping.columns == {
        "Region": "region",
        "country": "country",
        "ISO Code": "iso3",
        "Drug Group": "drug_group",
        "Drug": "drug",
        "Year": "year",
        "KG Equivalent": "kilograms",
    }
    assert mapping.missing == ("NULL",) and mapping.derive == ("drug_subgroup",)
    outcome = check_file(data, "unodc.csv", SEIZURES, mapping=mapping)
    rows_with_errors = {problem.row for problem in outcome.report.errors}
    assert outcome.report.rows > 11_000 and len(rows_with_errors) <= outcome.report.rows // 100
    first = next(record for record in outcome.records if record.row == 2)
    assert first.values["kilograms"].__class__.__name__ == "Missing"  # every 40th quantity is NULL, row 2 the first


def test_older_names_and_historical_states_resolve() -> None:
    outcome = check_file(
        unodc_series_csv(),
        "unodc.csv",
        SEIZURES,
        mapping=suggest_mapping(unodc_series_csv(), "u.csv", SEIZURES).mapping,
    )
    codes = {record.codes.get("country") for record in outcome.records}
    assert {"TUR", "SWZ", "CIV", "DDR", "SCG"} <= codes
    (convention,) = [p for p in outcome.report.problems if p.code == "series-convention"]
    assert convention.value == "Serbia and Montenegro" and "in 1990 is read as SCG" in convention.message


def test_a_state_wise_wide_file_becomes_one_record_per_drug_and_state() -> None:
    data = colombia_departments_wide()
    proposal = suggest_mapping(data, "col.csv", SEIZURES, "COL")
    mapping = proposal.mapping
    assert mapping.constants == {"country": "COL"} and mapping.columns == {"Year": "year", "Departamento": "admin1"}
    assert mapping.wide is not None and mapping.wide.columns["Heroina_g"].unit == "g"
    assert mapping.totals is not None and mapping.totals.labels == ("TOTAL",)
    fuzzy = {item.source: item.candidates[0] for item in proposal.items if not item.applied and item.candidates}
    assert fuzzy == {
        "GUAJIRA": "La Guajira",
        "SAN ANDRÉS": "San Andrés, Providencia y Santa Catalina",
        "VALLE": "Valle del Cauca",
    }
    assert "VALLE" not in str(mapping.values)  # a fuzzy match is listed, never applied
    outcome = check_file(data, "col.csv", SEIZURES, mapping=mapping)
    assert not outcome.report.errors
    assert outcome.report.counts() == {"unknown-admin-area": 3}
    heroin = [r for r in outcome.records if r.codes.get("drug") == "Heroin"]
    assert heroin and all(r.codes["drug_group"] == "Opioids" for r in heroin)


def test_confirmed_area_names_clear_the_warnings() -> None:
    data = colombia_departments_wide()
    mapping = suggest_mapping(data, "col.csv", SEIZURES, "COL").mapping
    confirmed = mapping.model_copy(
        update={
            "values": {
                "admin1": {
                    "VALLE": "Valle del Cauca",
                    "GUAJIRA": "La Guajira",
                    "SAN ANDRÉS": "San Andrés, Providencia y Santa Catalina",
                }
            }
        }
    )
    assert check_file(data, "col.csv", SEIZURES, mapping=confirmed).report.counts() == {}


def test_a_total_row_that_differs_from_its_parts_is_a_warning() -> None:
    lines = colombia_departments_wide().decode().splitlines()
    lines[-1] = lines[-1].replace(lines[-1].split(",")[2], "1.0", 1)
    data = ("\n".join(lines) + "\n").encode()
    mapping = suggest_mapping(data, "col.csv", SEIZURES, "COL").mapping
    report = check_file(data, "col.csv", SEIZURES, mapping=mapping).report
    (differs,) = [p for p in report.problems if p.code == "total-differs"]
    assert "gives 1 for kilograms" in differs.message and differs.severity.value == "warning"


def test_a_header_on_row_4_is_found() -> None:
    data = header_on_row_4()
    mapping = suggest_mapping(data, "annex.csv", SEIZURES).mapping
    assert mapping.header_row == 4 and len(mapping.columns) == 9
    report = check_file(data, "annex.csv", SEIZURES, mapping=mapping).report
    assert report.ok and report.rows == 60


def test_a_mapping_naming_a_column_the_file_lacks_is_refused_naming_it() -> None:
    mapping = FileMapping(dataset="annual-seizures", columns={"Contry": "country"})
    with pytest.raises(BadMapping, match=r"reads the column 'Contry', which col\.csv does not have in row 1"):
        check_file(colombia_departments_wide(), "col.csv", SEIZURES, mapping=mapping)


def test_a_unit_that_does_not_convert_is_reported_once_and_not_read() -> None:
    data = b"Year,State_UT,Ganja_Kg,Heroin_Kg,Codeine_Litre\n2024,Punjab,10,2,5\n2024,Kerala,4,1,\n"
    proposal = suggest_mapping(data, "ind.csv", SEIZURES, "IND")
    report = check_file(data, "ind.csv", SEIZURES, mapping=proposal.mapping).report
    assert report.counts() == {"unit-not-convertible": 1} and report.rows == 4
