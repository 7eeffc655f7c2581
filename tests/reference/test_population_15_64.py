"""The population aged 15–64 (World Bank WDI SP.POP.1564.TO) as shipped reference data: the real file's checks
(SOURCES.md §9), its traps, explained gaps, refusals naming the cell, and a property over generated files."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput, SourceFileError
from observatory.reference.population_15_64 import (
    DATA_FILE,
    HEADER,
    INDICATOR,
    population_15_64,
    read_population_15_64,
)
from observatory.reference.release import packaged_content_sha256
from observatory.reference.wdr_definitions import table_definitions

METADATA = '\ufeff"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\r\n'
PREAMBLE = '\ufeff"Data Source","World Development Indicators",\r\n\r\n"Last Updated Date","2024-12-16",\r\n\r\n'


def wide(rows: list[tuple[str, str, list[str]]], years: list[int], indicator: str = INDICATOR) -> str:
    """A file laid out as the World Bank writes it: preamble, quoted wide rows, an empty last column, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([*HEADER, *map(str, years), ""])
    for name, code, cells in rows:
        writer.writerow([name, code, "Population ages 15-64, total", indicator, *cells, ""])
    return PREAMBLE + out.getvalue()


def metadata(economies: dict[str, str]) -> str:
    lines = [f'"{code}","{region}","Low income","","{code} name",\r\n' for code, region in economies.items()]
    return METADATA + "".join(lines)


def test_the_shipped_file_gives_the_checks_of_its_source_note() -> None:
    population = population_15_64()
    assert population.year(2020)["IND"] == 943_088_901
    assert len(population.year(2020)) == 217 and all(len(population.year(y)) == 217 for y in range(2010, 2024))
    assert {"WLD", "ARB", "EUU"} <= population.aggregates and "WLD" not in population.year(2020)
    assert population.income_groups["IND"] == "Lower middle income" and population.regions["IND"] == "South Asia"
    assert population.last_updated == "2024-12-16" and population.vintage.startswith("WDI 2024-12-16, sha256 ")


def test_the_file_is_part_of_the_reference_release() -> None:
    assert DATA_FILE.parent.name == "reference" and len(packaged_content_sha256()) == 64


@pytest.mark.parametrize("year", [2024, 1900])
def test_a_year_without_data_is_an_explained_gap(year: int) -> None:
    with pytest.raises(BadInput, match=f"no value for {year}; years covered: 1960–2023"):
        population_15_64().year(year)


def test_places_the_file_lacks_are_named() -> None:
    assert population_15_64().missing(2020, {"IND", "AIA", "GLP"}) == ["AIA", "GLP"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("just text\r\n", "no header row"),
        (wide([("Aland", "AAA", ["12", "x"])], [2020, 2021]), "row 6, 2021"),
        (wide([("Aland", "AAA", ["-5", "1"])], [2020, 2021]), "row 6, 2020"),
        (wide([("Aland", "AAA", ["5", "1"])], [2020, 2021], "SP.POP.TOTL"), "row 6, Indicator Code"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_cell(data: str, problem: str) -> None:
    with pytest.raises(SourceFileError, match=problem):
        read_population_15_64(data, metadata({"AAA": "Europe & Central Asia"}), "test.csv")


def test_metadata_without_its_columns_is_refused() -> None:
    with pytest.raises(SourceFileError, match="no column"):
        read_population_15_64(wide([], [2020]), '"Code","Area"\r\n', "test.csv")


cells = st.one_of(st.just(""), st.integers(min_value=0, max_value=10**10).map(str))


@given(
    st.dictionaries(
        st.text(alphabet="ABCDEFGHIJ", min_size=3, max_size=3),
        st.tuples(st.booleans(), st.lists(cells, min_size=3, max_size=3)),
        max_size=8,
    )
)
def test_economies_round_trip_and_aggregates_are_left_out(rows: dict[str, tuple[bool, list[str]]]) -> None:
    years = [2021, 2022, 2023]
    economies = {code: "Somewhere" for code, (economy, _) in rows.items() if economy}
    text = wide([(f"{code}, name", code, values) for code, (_, values) in rows.items()], years)
    read = read_population_15_64(text, metadata(economies), "generated.csv")
    for code, (economy, values) in rows.items():
        for year, value in zip(years, values, strict=True):
            expected = float(value) if economy and value else None
            assert read.by_year[year].get(code) == expected
    assert read.aggregates == {code for code, (economy, _) in rows.items() if not economy}
    assert read.last_updated == "2024-12-16"


def test_every_table_drug_has_a_definition_made_of_national_series() -> None:
    definitions = table_definitions()
    assert set(definitions) == {"cannabis", "opioids", "opiates", "cocaine", "amphetamines", "ecstasy"}
    assert [p.national_drug for p in definitions["amphetamines"].components] == [
        "Amphetamines",
        "Prescription stimulants",
    ]
    assert {p.includes_note for p in definitions["amphetamines"].components} == {"z*", ""}
    assert all(definition.series or definition.combined for definition in definitions.values())
