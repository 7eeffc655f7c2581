"""The report keeps every problem and adds a summary a person fixes a file from: one entry per code, with count,
first rows and values, columns, the fix, and the problems grouped by column and value. A message never repeats
the header."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from observatory.reporting.declaration import Severity, declaration
from observatory.reporting.readers import read_source
from observatory.reporting.readers.binding import bind
from observatory.reporting.validation.problems import CODES, FIXES, RULE_FIX, Problem, fix_for, layout_problem
from observatory.reporting.validation.report import FIRST, Report, report_summary, summarize
from observatory.reporting.validation.run import check_file
from tests.reporting.validation.wide_national import parana_wide

HEADER = "Region,SubRegion,Country,DrugGroup,DrugSubGroup,DrugName,Reference year,Kilograms,msCode\n"
HEROIN = "Africa,East Africa,{country},Opioids,Heroin,Heroin,{year},{kg},{code}\n"


def seizures(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode()


def test_every_code_has_a_fix() -> None:
    assert set(CODES) <= set(FIXES)
    assert all(fix.endswith(".") and len(fix) < 120 for fix in FIXES.values())
    assert fix_for("country-code-mismatch") == RULE_FIX


def test_the_summary_counts_each_code_with_its_first_rows_values_and_fix() -> None:
    rows = [HEROIN.format(country=f"Atlantis {n % 7}", year=2023, kg=n, code="KEN") for n in range(1, 13)]
    rows += [HEROIN.format(country="Kenya", year=2023, kg="lots", code="KEN")]
    report = check_file(seizures(*rows), "s.csv", declaration("annual-seizures")).report
    as_json = report.to_json()
    assert len(as_json["errors"]) + len(as_json["warnings"]) == len(report.problems)
    entries = {entry["code"]: entry for entry in as_json["summary"]}
    unknown = entries["unknown-country"]
    assert unknown["count"] == 12 == report.counts()["unknown-country"]
    assert unknown["severity"] == "error"
    assert unknown["columns"] == ["Country"]
    assert unknown["rows"] == [2, 3, 4, 5, 6]
    assert unknown["values"] == ["Atlantis 1", "Atlantis 2", "Atlantis 3", "Atlantis 4", "Atlantis 5"]
    assert unknown["fix"] == FIXES["unknown-country"]
    groups = unknown["groups"]
    assert [group["value"] for group in groups[:2]] == ["Atlantis 1", "Atlantis 2"]
    assert groups[0]["count"] == 2 and groups[0]["rows"] == [2, 9] and groups[0]["column"] == "Country"
    assert entries["not-a-number"]["values"] == ["lots"]
    severities = [entry["severity"] for entry in as_json["summary"]]
    assert severities == sorted(severities, key=lambda s: s != "error")


def test_a_missing_column_names_the_closest_headings_and_the_header_once() -> None:
    data = seizures(HEROIN.format(country="Kenya", year=2023, kg=1, code="KEN")).replace(b"DrugName", b"Drug_Name2")
    data = data.replace(b"Kilograms", b"Kilogram")
    source = read_source(data, "s.csv")
    bound = bind(source, declaration("annual-seizures").all_layouts())
    report = Report.of([layout_problem(issue, False) for issue in bound.issues], 1)
    missing = [p for p in report.problems if p.code == "missing-column"]
    assert {p.column for p in missing} == {"DrugName", "Kilograms"}
    by_column = {p.column: p for p in missing}
    assert by_column["Kilograms"].suggestions == ("Kilogram",)
    assert "'Kilogram'" in by_column["Kilograms"].message
    assert by_column["DrugName"].suggestions[0] == "Drug_Name2"
    for p in report.problems:
        assert "Region" not in p.message and "msCode" not in p.message
    [entry] = [e for e in report.to_json()["summary"] if e["code"] == "missing-column"]
    assert entry["details"]["columns_found"][0] == "Region" and len(entry["details"]["columns_found"]) == 9
    assert sum(1 for p in missing if p.details) == 1


def test_a_wide_national_file_gets_a_short_report() -> None:
    """The 38-column national file of the issue: a few missing columns, each named once, no false repeats."""
    report = check_file(parana_wide(), "parana.csv", declaration("annual-seizures")).report
    counts = report.counts()
    assert "duplicate-row" not in counts
    assert counts["unknown-column"] == 37
    header = "Cocaina_Jan_Kg"
    assert all(p.message.count(header) <= 1 for p in report.problems)
    assert all(len(p.message) < 200 for p in report.problems)
    summary = report.to_json()["summary"]
    missing = summary[0]
    assert missing["code"] == "missing-column"
    assert missing["details"]["columns_found"][:3] == ["Year", "Municipio", "Cocaina_Jan_Kg"]
    assert sum(1 for p in report.problems if p.details) == 1
    unread = next(entry for entry in summary if entry["code"] == "unknown-column")
    assert unread["count"] == 37 and len(unread["columns"]) == 37


def test_a_stored_report_without_a_summary_is_summarised() -> None:
    report = check_file(
        seizures(HEROIN.format(country="Atlantis", year=2023, kg=1, code="KEN")),
        "s.csv",
        declaration("annual-seizures"),
    ).report.to_json()
    old = {key: value for key, value in report.items() if key != "summary"}
    assert report_summary(old) == report["summary"] == report_summary(report)


problems = st.builds(
    Problem,
    code=st.sampled_from(["unknown-country", "not-a-number", "duplicate-row", "own-rule"]),
    severity=st.sampled_from(list(Severity)),
    row=st.none() | st.integers(1, 40),
    column=st.none() | st.sampled_from(["Country", "Kilograms"]),
    value=st.none() | st.integers(0, 3) | st.sampled_from(["a", "b", "1"]) | st.floats(allow_nan=False),
    message=st.text(max_size=20),
)


@given(st.lists(problems, max_size=60))
def test_the_summary_accounts_for_every_problem(found: list[Problem]) -> None:
    as_json: list[dict[str, Any]] = [p.to_json() for p in found]
    summary = summarize(as_json)
    assert sum(entry["count"] for entry in summary) == len(found)
    assert len({entry["code"] for entry in summary}) == len(summary)
    for entry in summary:
        own = [p for p in as_json if p["code"] == entry["code"]]
        assert entry["count"] == len(own)
        assert len(entry["rows"]) <= FIRST and len(entry["values"]) <= FIRST
        assert set(entry["rows"]) <= {p["row"] for p in own}
        assert sum(group["count"] for group in entry["groups"]) <= entry["count"]
        if not entry["more_groups"]:
            assert sum(group["count"] for group in entry["groups"]) == entry["count"]
        assert entry["fix"]
