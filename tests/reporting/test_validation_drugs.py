"""Drug names in the annual-seizures data set: each level checked against the WDR hierarchy, stored as table 7.1
spells it, national names read through the alias tables, and sub-groups and drugs held to their group."""

import csv
import io
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.datasets import DEMO_SEIZURES
from observatory.reference.drug_names import Level
from observatory.reference.release import load_packaged_release
from observatory.reference.seizure_drug_names import SeizureName, seizure_name
from observatory.reporting.declaration import declaration
from observatory.reporting.submissions import observations
from observatory.reporting.submit import submit_file
from observatory.reporting.validation import check_file, vocabularies
from observatory.reporting.values import Observed
from observatory.store.migrate import upgrade

ATS = "Amphetamine-type stimulants (excluding “ecstasy”)"
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids)"
ECSTASY = "“Ecstasy”-type substances"
POPPY_STRAW = "Poppy straw (seed heads, pods or capsules)"
HEADER = ["country", "drug_group", "drug_subgroup", "drug", "year", "kilograms"]
#: Codes this check adds; the real WDR 7.1 file raises none of them.
DRUG_CODES = {
    "unknown-drug-group",
    "unknown-drug-subgroup",
    "unknown-drug",
    "unconfirmed-drug-name",
    "subgroup-outside-group",
    "drug-outside-group",
}


def seizures(*rows: tuple[str, str, str]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(["Ghana", *row, 2023, 1] for row in rows)
    return text.getvalue().encode()


def flat(data: bytes) -> list[tuple[str, str, str | None]]:
    found = check_file(data, "s.csv", declaration("annual-seizures")).report
    return [(problem.code, problem.severity.value, problem.column) for problem in found.problems]


def stored(data: bytes) -> tuple[str, ...]:
    (record,) = check_file(data, "s.csv", declaration("annual-seizures")).records
    values = [record.values[name] for name in ("drug_group", "drug_subgroup", "drug")]
    assert all(isinstance(value, Observed) for value in values)
    return tuple(str(value.value) for value in values if isinstance(value, Observed))


ACCEPTED = [
    # (group, sub-group, drug) as written → as stored
    (("Opioids", "Opiates", "Heroin"), ("Opioids", "Opiates", "Heroin")),
    (("opioids", "OPIATES", "  heroin "), ("Opioids", "Opiates", "Heroin")),
    (("Opioids", "Opiates", "Smack"), ("Opioids", "Opiates", "Heroin")),
    (("Opioids", "Opiates", "Brown sugar"), ("Opioids", "Opiates", "Heroin")),
    (("Opioids", "Opiates", "Doda post"), ("Opioids", "Opiates", POPPY_STRAW)),
    (("Opioids", "Opiates", "poppy husk"), ("Opioids", "Opiates", POPPY_STRAW)),
    (
        ('"Ecstasy"-type substances', "“Ecstasy”-type substances", "MDMA"),
        (ECSTASY, ECSTASY, "3,4-methylenedioxymethamphetamine (MDMA)"),
    ),
    (("ecstasy", "ecstasy", "mdma"), (ECSTASY, ECSTASY, "3,4-methylenedioxymethamphetamine (MDMA)")),
    (
        ('Amphetamine-type stimulants (excluding "ecstasy")', "Methamphetamine", "Yaba"),
        (ATS, "Methamphetamine", "“Yaba”"),
    ),
    (
        ("Amphetamine–type stimulants (excluding ‘ecstasy’)", "Methamphetamine", "'Yaba'"),
        (ATS, "Methamphetamine", "“Yaba”"),
    ),
    ((ATS, "Methamphetamine", "Shabu"), (ATS, "Methamphetamine", "Methamphetamine")),
    (
        ("Cannabis-type", "Cannabis  herb", "Ganja"),
        (CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb (marijuana)"),
    ),
    (
        ("Cannabis-type drugs", "Cannabis resin (hashish)", "Charas"),
        (CANNABIS, "Cannabis resin (hashish)", "Cannabis resin (hashish)"),
    ),
    ((CANNABIS, "Cannabis oil", "Hashish oil"), (CANNABIS, "Cannabis oil", "Cannabis oil")),
    (
        (CANNABIS, "Synthetic cannabinoids under international control", "JWH-018"),
        (CANNABIS, "Synthetic cannabinoids under international control", "JWH-018"),
    ),
    (("Cocaine-type drugs", "Cocaine", "cocaine HCl"), ("Cocaine-type", "Cocaine", "Cocaine hydrochloride")),
    (("Cocaine-type", "Cocaine", "Cocaine"), ("Cocaine-type", "Cocaine", "Cocaine")),
    (("Opioids", "Heroin", "Heroin"), ("Opioids", "Heroin", "Heroin")),
    (
        ("Sedatives and Tranquillizers", "Benzodiazepines", "Valium"),
        ("Sedatives and tranquillizers", "Benzodiazepines", "Valium"),
    ),
]


@pytest.mark.parametrize(("written", "expected"), ACCEPTED, ids=["/".join(row) for row, _ in ACCEPTED])
def test_names_are_accepted_and_stored_as_table_7_1_spells_them(
    written: tuple[str, str, str], expected: tuple[str, str, str]
) -> None:
    data = seizures(written)
    assert flat(data) == []
    assert stored(data) == expected


REFUSED = [
    # (group, sub-group, drug), the problem, a suggestion it must make
    (
        ("Cannabistype", "Cannabis herb (marijuana)", "Cannabis herb (marijuana)"),
        ("unknown-drug-group", "drug_group"),
        CANNABIS,
    ),
    (("Opoids", "Opiates", "Heroin"), ("unknown-drug-group", "drug_group"), "Opioids"),
    (("Opioids", "Opiats", "Heroin"), ("unknown-drug-subgroup", "drug_subgroup"), "Opiates"),
    (("Opioids", "Opiates", "Herion"), ("unknown-drug", "drug"), "Heroin"),
    (("Opioids", "Opiates", "Narnia weed"), ("unknown-drug", "drug"), "Cannabis herb (marijuana)"),
    (("Opioids", "Opiates", "Ganjaa"), ("unknown-drug", "drug"), "Cannabis herb (marijuana)"),
    (("Opioids", "Opiates", "“”"), ("unknown-drug", "drug"), None),
]


@pytest.mark.parametrize(("written", "expected", "suggested"), REFUSED, ids=["/".join(row) for row, _, _ in REFUSED])
def test_an_unknown_name_is_an_error_naming_it_with_the_three_closest(
    written: tuple[str, str, str], expected: tuple[str, str], suggested: str | None
) -> None:
    report = check_file(seizures(written), "s.csv", declaration("annual-seizures")).report
    (problem,) = report.problems
    code, column = expected
    assert (problem.code, problem.severity.value, problem.column) == (code, "error", column)
    value = written[("drug_group", "drug_subgroup", "drug").index(column)]
    assert problem.value == value and repr(value) in problem.message
    if suggested is None:
        assert problem.suggestions == ()
        return
    assert len(problem.suggestions) == 3 and suggested in problem.suggestions
    assert f"Did you mean {'; '.join(problem.suggestions)}?" in problem.message
    assert problem.to_json()["suggestions"] == list(problem.suggestions)


def test_a_refused_name_stores_nothing_and_is_not_held_to_its_group() -> None:
    outcome = check_file(seizures(("Cannabistype", "Opiates", "Heroin")), "s.csv", declaration("annual-seizures"))
    assert [problem.code for problem in outcome.report.problems] == ["unknown-drug-group"]
    (record,) = outcome.records
    assert "drug_group" not in record.values and "drug_group" not in record.codes


UNCONFIRMED = [("Bhang", "Cannabis herb (marijuana)"), ("Phensidyl", "Codeine"), ("Phensedyl", "Codeine")]


@pytest.mark.parametrize(("name", "read_as"), UNCONFIRMED)
def test_an_unconfirmed_national_name_is_read_with_a_warning_citing_its_source(name: str, read_as: str) -> None:
    group, subgroup = (
        (CANNABIS, "Cannabis herb (marijuana)") if "Cannabis" in read_as else ("Opioids", "Pharmaceutical opioids")
    )
    data = seizures((group, subgroup, name))
    report = check_file(data, "s.csv", declaration("annual-seizures")).report
    (problem,) = report.problems
    assert (problem.code, problem.severity.value, problem.column, problem.value) == (
        "unconfirmed-drug-name",
        "warning",
        "drug",
        name,
    )
    assert f"is read as {read_as!r}" in problem.message and "(" in problem.message
    assert report.ok and stored(data)[2] == read_as


OUTSIDE = [
    # (group, sub-group, drug) → the warnings (by column), and a group the last one names as the right one
    (
        ("Hallucinogens", "Opiates", "Heroin"),
        [("drug-outside-group", "drug"), ("subgroup-outside-group", "drug_subgroup")],
        "Opioids",
    ),
    (("Opioids", "Opiates", "JWH-018"), [("drug-outside-group", "drug")], CANNABIS),
    (("Cocaine-type", "Cocaine", "Ganja"), [("drug-outside-group", "drug")], CANNABIS),
    (("Opioids", "Cannabis herb", "Heroin"), [("subgroup-outside-group", "drug_subgroup")], CANNABIS),
]


@pytest.mark.parametrize(("written", "expected", "named"), OUTSIDE, ids=["/".join(row) for row, _, _ in OUTSIDE])
def test_a_subgroup_or_drug_outside_its_group_is_a_warning(
    written: tuple[str, str, str], expected: list[tuple[str, str]], named: str
) -> None:
    report = check_file(seizures(written), "s.csv", declaration("annual-seizures")).report
    assert report.ok
    assert [(problem.code, problem.column) for problem in report.warnings] == expected
    assert all(problem.severity.value == "warning" and problem.row == 2 for problem in report.warnings)
    message = report.warnings[-1].message
    assert f"is not filed under drug group {written[0]!r} in any WDR table" in message
    assert "the tables file it under " in message and named in message.split("the tables file it under ")[1]


def test_one_warning_per_record_though_the_pair_is_checked_once() -> None:
    data = seizures(*[("Opioids", "Opiates", "JWH-018")] * 3, ("Opioids", "Opiates", "Heroin"))
    outside, repeated = ("drug-outside-group", "warning", "drug"), ("duplicate-row", "warning", None)
    assert flat(data) == [outside, repeated, outside, repeated, outside]


def test_each_distinct_name_is_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []

    def counted(name: str, level: Level) -> SeizureName:
        calls.append((name, level))
        return seizure_name(name, level)

    monkeypatch.setattr("observatory.reporting.validation.vocabularies.seizure_name", counted)
    vocabularies._drug.cache_clear()
    rows = [("Opioids", "Opiates", drug) for drug in ("Heroin", "Smack", "Opium") for _ in range(400)]
    assert check_file(seizures(*rows), "s.csv", declaration("annual-seizures")).report.errors == ()
    assert sorted(calls, key=str) == sorted(
        [("Opioids", "group"), ("Opiates", "subgroup"), ("Heroin", "drug"), ("Smack", "drug"), ("Opium", "drug")],
        key=str,
    )
    vocabularies._drug.cache_clear()


def real_rows() -> Iterator[tuple[object, ...]]:
    outcome = check_file(DEMO_SEIZURES.read_bytes(), DEMO_SEIZURES.name, declaration("annual-seizures"))
    for record in outcome.records:
        yield (
            tuple(record.record.cells[name] for name in ("drug_group", "drug_subgroup", "drug")),
            tuple(record.codes.get(name) for name in ("drug_group", "drug_subgroup", "drug")),
        )


def test_every_row_of_the_real_wdr_7_1_file_passes_and_keeps_its_spelling() -> None:
    report = check_file(DEMO_SEIZURES.read_bytes(), DEMO_SEIZURES.name, declaration("annual-seizures")).report
    assert report.rows > 11_000 and report.errors == ()
    assert {problem.code for problem in report.problems} & DRUG_CODES == set()
    rows = list(real_rows())
    assert len(rows) == report.rows
    assert all(cells == codes for cells, codes in rows)


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def test_the_stored_value_is_the_table_7_1_spelling(store: Engine) -> None:
    data = seizures(("Cannabis-type", "Cannabis herb", "Ganja"), ("opioids", "Opiates", "Doda post"))
    result = submit_file(store, Principal("root", Role.ADMIN), data, "ind.csv", "annual-seizures", "GHA")
    assert result.report["errors"] == [] and result.values_stored == 2
    rows = observations(store, Principal("root", Role.ADMIN), result.submission_id)
    assert [
        (row["dimensions"]["drug_group"], row["dimensions"]["drug_subgroup"], row["dimensions"]["drug"]) for row in rows
    ] == [
        (CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb (marijuana)"),
        ("Opioids", "Opiates", POPPY_STRAW),
    ]
