"""Validation reports: every problem with its code, severity, row, column, value, message and suggestions."""

import json
from typing import Any

import pytest

from observatory.reporting.declaration import declaration
from observatory.reporting.validation import check_file, modified_z
from observatory.reporting.values import Missing, MissingReason, NotApplicable, Observed, Period, Zero
from observatory.reporting.workbook import Cell

SUBMISSION = b"""country,crop,year,best,low,high
Atlantis,opium poppy,2023,100,90,110
Myanmar,opium poppy,2023,-5,,
Afghanistan,opium poppy,2023,500,600,700
Mexico,opium poppy,2022,100,90,110
Mexico,opium poppy,2022,100,90,110
"""


def report(dataset: str, data: bytes, layout: str | None = None) -> dict[str, Any]:
    return check_file(data, "submission.csv", declaration(dataset), layout).report.to_json()


def problems(dataset: str, data: bytes, layout: str | None = None) -> list[tuple[str, str, int | None, str | None]]:
    found = report(dataset, data, layout)
    return [(p["code"], p["severity"], p["row"], p["column"]) for p in [*found["errors"], *found["warnings"]]]


def test_one_report_lists_every_kind_of_problem() -> None:
    found = report("cultivation", SUBMISSION)
    assert found["ok"] is False and found["rows"] == 5
    assert set(found) == {"ok", "errors", "warnings", "rows", "summary"}
    flat = [(p["code"], p["severity"], p["row"], p["column"]) for p in [*found["errors"], *found["warnings"]]]
    assert flat == [
        ("unknown-country", "error", 2, "country"),
        ("negative-quantity", "error", 3, "best"),
        ("best-outside-range", "warning", 4, "best"),
        ("duplicate-row", "warning", 6, None),
    ]
    for problem in [*found["errors"], *found["warnings"]]:
        assert set(problem) == {"code", "severity", "row", "column", "value", "message", "suggestions"}
    unknown = found["errors"][0]
    assert unknown["value"] == "Atlantis" and unknown["message"].startswith("Row 2, column 'country': 'Atlantis'")
    assert len(unknown["suggestions"]) == 3
    assert found["errors"][1]["message"] == "Row 3, column 'best': Area (ha) cannot be below 0, but is -5"
    assert "row 5" in found["warnings"][1]["message"]
    json.dumps(found)


def test_unknown_country_suggests_the_three_closest() -> None:
    found = report("drug-deaths", b"Country,Year,Number\nKenia,2015,3\n")
    (problem,) = found["errors"]
    assert problem["code"] == "unknown-country" and "Kenya (KEN)" in problem["suggestions"]
    assert len(problem["suggestions"]) == 3 and "Did you mean" in problem["message"]


def test_a_country_that_did_not_exist_that_year() -> None:
    (problem,) = report("drug-deaths", b"Country,Year,Number\nUSSR,2015,3\n")["errors"]
    assert problem["code"] == "country-not-in-year" and "1991" in problem["message"]


@pytest.mark.parametrize(
    ("dataset", "data", "expected"),
    [
        ("drug-deaths", b"Country,Year,Number\nKenya,20x5,3\n", ("not-a-year", "error", 2, "Year")),
        ("drug-deaths", b"Country,Year,Number\nKenya,2015,many\n", ("not-a-number", "error", 2, "Number")),
        ("drug-deaths", b"Country,Year,Number\nKenya,2015,3.5\n", ("not-an-integer", "error", 2, "Number")),
        ("drug-deaths", b"Country,Year,Number\nKenya,2015,-3\n", ("negative-quantity", "error", 2, "Number")),
        ("drug-deaths", b"Country,Year,Number\nKenya,2015,3\nKenya,2015,4\n", ("duplicate-key", "error", 3, None)),
        (
            "drug-deaths",
            b"Country,Year,Number\nTurkey,2015,3\nT\xc3\xbcrkiye,2015,4\n",
            ("duplicate-key", "error", 3, None),
        ),
        ("drug-deaths", b"Country,Year,Number\nKenya,2015,3\nKenya,2015,3\n", ("duplicate-row", "warning", 3, None)),
        ("pwid", b"Country,Year,Number\nKenya,2015,130\n", ("out-of-range", "error", 2, "Number")),
        (
            "prevalence",
            b"country,drug,recall,year,best\nKenya,Cannabis,weekly,2020,1\n",
            ("unknown-level", "error", 2, "recall"),
        ),
        (
            "expert-trends",
            b"country,year,drug_group,overall\nKenya,2023,Cannabis,Big increase\n",
            ("unknown-level", "error", 2, "overall"),
        ),
        (
            "treatment",
            b"country,year,drug,people,male,female\nKenya,2023,Opioids,100,70,40\n",
            ("parts-exceed-total", "error", 2, "people"),
        ),
        ("treatment", b"country,year,drug\nKenya,2023,Opioids\n", ("missing-column", "error", 1, "people")),
        ("treatment", b"country,year,drug,people\nKenya,2023,Opioids,\n", ("missing-value", "error", 2, "people")),
        (
            "individual-seizures",
            b"seizure_date,country,drug,quantity,unit\n2023-04-30,Kenya,Heroin,2.5,kilogramz\n",
            ("unknown-unit", "error", 2, "unit"),
        ),
        (
            "individual-seizures",
            b"seizure_date,country,drug,quantity,unit\n30/04/2023,Kenya,Heroin,2.5,kg\n",
            ("not-a-date", "error", 2, "seizure_date"),
        ),
        (
            "individual-seizures",
            b"seizure_date,country,drug,quantity,unit,transit_countries\n"
            b"2023-04-30,Kenya,Heroin,2.5,kg,Spain; Atlantis\n",
            ("unknown-country", "error", 2, "transit_countries"),
        ),
        (
            "annual-seizures",
            b"country,drug_group,drug_subgroup,drug,year,kilograms,iso3\nKenya,Opioids,Heroin,Heroin,2023,1,GHA\n",
            ("country-code-mismatch", "error", 2, "iso3"),
        ),
        (
            "drug-purity",
            b"country,level_of_sale,drug,year,typical,measurement\nKenya,Retail,Heroin,2023,120,% (percent)\n",
            ("purity-out-of-range", "error", 2, "typical"),
        ),
        ("pwid", b"Country,Year,Number\nKenya,around 2011 and 2014,1\n", ("imprecise-year", "warning", 2, "Year")),
        ("pwid", b"Country,Year,Number\nKenya,2011,1\n", ("ambiguous-layout", "error", None, None)),
        ("annual-seizures", b"country,year,colour\nKenya,2023,red\n", ("unknown-column", "warning", 1, "colour")),
        (
            "prevalence",
            b"country,drug,recall,year,best\nUnited Kingdom (Scotland),Cannabis,past-year,2020,1\n",
            ("area-not-national", "warning", 2, "country"),
        ),
        (
            "prevalence",
            b"country,drug,recall,year,best,male,female\nKenya,Cannabis,past-year,2020,5,1,2\n",
            ("total-outside-sexes", "warning", 2, "best"),
        ),
        (
            "individual-seizures",
            b"seizure_date,country,drug,quantity,unit\n2023-04-30,Kenya,Heroin,2.5,\n",
            ("missing-value", "error", 2, "unit"),
        ),
    ],
)
def test_each_problem_has_a_stable_code(dataset: str, data: bytes, expected: tuple[object, ...]) -> None:
    assert expected in problems(
        dataset, data, "cdpe-pwid" if dataset == "pwid" and b"Number\nKenya,2011," not in data else None
    )


def test_purity_in_milligrams_is_not_held_to_0_100() -> None:
    data = b"country,level_of_sale,drug,year,typical,measurement\nKenya,Retail,MDMA,2023,120,mg/tablet\n"
    assert problems("drug-purity", data) == []


def test_value_states_follow_the_declaration() -> None:
    data = b"country,year,drug,people,male,female,first_time\nKenya,2023,Opioids,0,c,..,-\n"
    outcome = check_file(data, "t.csv", declaration("treatment"))
    (record,) = outcome.records
    assert record.values["people"] == Zero(0)
    assert record.values["male"] == Missing(MissingReason.CONFIDENTIAL, "c")
    assert record.values["female"] == Missing(MissingReason.NOT_AVAILABLE, "..")
    assert record.values["first_time"] == NotApplicable("-")
    assert record.values["share_of_all"] == Missing(MissingReason.NOT_COLLECTED)
    assert record.values["year"] == Observed(Period(2023, 2023, "2023")) and record.codes["country"] == "KEN"


def test_decimal_comma_files_are_read_as_such() -> None:
    data = "country;drug;recall;year;best;low;high\nKenya;Cannabis;past-year;2022/23;1,5;1,2;1,9\n".encode("cp1252")
    outcome = check_file(data, "p.csv", declaration("prevalence"))
    assert outcome.report.ok
    (record,) = outcome.records
    assert (record.values["best"], record.values["year"]) == (Observed(1.5), Observed(Period(2022, 2023, "2022/23")))


def test_sdmx_csv_and_json_submissions() -> None:
    sdmx = b"DATAFLOW,REF_AREA,DRUG,TIME_PERIOD,OBS_VALUE\nUNODC:SEIZURES(1.0),KEN,Cocaine,2023,5.5\n"
    outcome = check_file(sdmx, "s.csv", declaration("annual-seizures"))
    assert (
        outcome.report.ok
        and outcome.layouts == {"": "sdmx"}
        and outcome.records[0].values["kilograms"] == Observed(5.5)
    )
    records = [
        {"Country/Territory": "Kenya", "Date": "2023-04-30", "DrugGroup": "Heroin", "Q2": 2.5, "U2": "Kilograms"},
        {"Country/Territory": "Kenya", "Date": "2023-05-02", "DrugGroup": "Heroin", "Q2": 3, "U2": "Tablets"},
    ]
    outcome = check_file(json.dumps(records).encode(), "dmp.json", declaration("individual-seizures"))
    assert outcome.report.ok and outcome.layouts == {"": "dmp-json"}
    assert [record.codes["unit"] for record in outcome.records] == ["kg", "tablet"]


def test_outliers_against_the_countrys_history() -> None:
    history: list[dict[str, Cell]] = [
        {
            "country": "KEN",
            "drug_group": "Opioids",
            "drug_subgroup": "Heroin",
            "drug": "Heroin",
            "year": year,
            "kilograms": kg,
        }
        for year, kg in [(2018, 10), (2019, 12), (2020, 11), (2021, 13), (2022, 12)]
    ]
    data = b"country,drug_group,drug_subgroup,drug,year,kilograms\nKenya,Opioids,Heroin,Heroin,2023,500\n"
    found = check_file(data, "s.csv", declaration("annual-seizures"), history=history).report
    assert found.ok and found.flatten("code", "row", "column") == [
        ["outlier-modified-z", 2, "kilograms"],
        ["year-on-year-jump", 2, "kilograms"],
    ]
    assert "41.7 times the 12 reported for 2022" in found.warnings[1].message
    usual = data.replace(b",500", b",12.5")
    assert check_file(usual, "s.csv", declaration("annual-seizures"), history=history).report.problems == ()
    assert check_file(data, "s.csv", declaration("annual-seizures")).report.problems == ()


@pytest.mark.parametrize(
    ("value", "history", "expected"),
    [
        (12.0, [10, 12, 11, 13, 12], 0.0),
        (20.0, [10, 12, 11, 13, 12], 5.396),
        (12.0, [12, 12, 12, 12, 13], 0.0),
        (20.0, [12, 12, 12, 12, 13], 31.915),
        (12.0, [12, 12, 12], 0.0),
        (13.0, [12, 12, 12], float("inf")),
    ],
)
def test_modified_z_score(value: float, history: list[float], expected: float) -> None:
    assert modified_z(value, history) == pytest.approx(expected, abs=1e-3)
