"""The geography vocabulary: places, regions, historical entities and the names real source files use."""

import csv
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from observatory.errors import BadInput
from observatory.reference.geography import (
    WDR_REGIONS,
    CountryNotInYear,
    UnknownCountry,
    historical_entities,
    name_index,
    place,
    places,
    resolve,
    resolve_country,
)
from observatory.reference.place_names import Extent, Via, alias_spellings, iso_spellings, normalise

REPO = Path(__file__).parents[2]
SHARED = REPO / ".." / "shared" / "data"
WDR_FILES = sorted(SHARED.glob("unodc_*/*.xlsx"))
HEALTH_FILES = sorted(SHARED.glob("unodc_health/*.csv"))
COUNTRY_HEADERS = ("Country", "Country/Territory")
HEADER_SEARCH_ROWS = 10

# Sheets without a header naming a country column. Cultivation tables list countries in their first column.
CULTIVATION_SHEETS = {
    ("wdr2025_6.1.1_coca_bush_cultivation.xlsx", "Sheet1"),
    ("wdr2025_6.2.1_opium_poppy_cultivation.xlsx", "Sheet1"),
}
REGIONAL_SHEETS = {("wdr2025_1.1_prevalence_global_regional_2023.xlsx", "PrevAllDrugtypes")}

# Cultivation tables: a row names a country when it holds a number and its label is none of these.
NOT_A_COUNTRY = re.compile(r"^(total|lower bound|upper bound|other countries)\b", re.IGNORECASE)
FOOTNOTE_LETTERS = re.compile(r"(\s+[a-h](\s*,\s*[a-h])*)+\s*$")
QUALIFIER = " (best estimate)"

WDR_SUBREGIONS = {
    "Africa": {"East Africa", "North Africa", "Southern Africa", "West and Central Africa"},
    "Americas": {"Caribbean", "Central America", "North America", "South America"},
    "Asia": {
        "Central Asia and Transcaucasia",
        "East and South-East Asia",
        "Near and Middle East/South-West Asia",
        "South Asia",
    },
    "Europe": {"Eastern Europe", "South-Eastern Europe", "Western and Central Europe"},
    "Oceania": {"Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"},
}


@dataclass(frozen=True, slots=True)
class NameInFile:
    where: str
    name: str
    iso3: str | None


def sheets() -> Iterator[tuple[Path, str]]:
    for path in WDR_FILES:
        for sheet in CalamineWorkbook.from_path(str(path)).sheet_names:
            yield path, sheet


@cache
def rows_of(path: Path, sheet: str) -> list[list[object]]:
    return [list(row) for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()]


@cache
def first_row(path: Path, sheet: str) -> int:
    """The spreadsheet row number of ``rows_of(...)[0]`` (calamine leaves out empty leading rows)."""
    start = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).start
    assert start is not None, f"{path.name} [{sheet}] is empty"
    return start[0] + 1


def header_columns(rows: Sequence[Sequence[object]]) -> tuple[int, int, int | None] | None:
    """(header row, country column, msCode column) of a sheet whose header names its country column."""
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(cell).strip() for cell in row]
        for header in COUNTRY_HEADERS:
            if header in cells:
                return number, cells.index(header), cells.index("msCode") if "msCode" in cells else None
    return None


def names_in_table(path: Path, sheet: str) -> Iterator[NameInFile]:
    """Every non-empty country cell below the header, with the row's msCode where the table has one."""
    rows = rows_of(path, sheet)
    columns = header_columns(rows)
    assert columns is not None, f"{path.name} [{sheet}] has no country header"
    header, country, iso3 = columns
    for number, row in enumerate(rows[header + 1 :], start=first_row(path, sheet) + header + 1):
        name = str(row[country]).strip()
        if name:
            code = str(row[iso3]).strip() if iso3 is not None else ""
            yield NameInFile(f"{path.name} [{sheet}] row {number}", name, code or None)


def names_in_cultivation(path: Path, sheet: str) -> Iterator[NameInFile]:
    """First-column labels of rows that hold a number, less totals, bounds, footnote letters and qualifiers."""
    for number, row in enumerate(rows_of(path, sheet), start=first_row(path, sheet)):
        label = FOOTNOTE_LETTERS.sub("", str(row[0]).strip()).removesuffix(QUALIFIER).strip()
        holds_number = any(isinstance(cell, int | float) for cell in row[1:])
        if label and holds_number and not NOT_A_COUNTRY.match(label):
            yield NameInFile(f"{path.name} [{sheet}] row {number}", label, None)


def names_in(path: Path, sheet: str) -> list[NameInFile]:
    if (path.name, sheet) in CULTIVATION_SHEETS:
        return list(names_in_cultivation(path, sheet))
    return list(names_in_table(path, sheet))


def unresolved(names: list[NameInFile]) -> list[str]:
    problems: list[str] = []
    for found in {(name.name, name.iso3): name for name in names}.values():
        try:
            code = resolve_country(found.name).iso3
        except UnknownCountry as error:
            problems.append(f"{found.where}: {error}")
            continue
        if found.iso3 is not None and code != found.iso3:
            problems.append(f"{found.where}: {found.name!r} resolved to {code}, file says {found.iso3}")
    return problems


COUNTRY_SHEETS = [(path, sheet) for path, sheet in sheets() if (path.name, sheet) not in REGIONAL_SHEETS]


def test_the_shared_data_is_there() -> None:
    assert len(WDR_FILES) == 7, SHARED
    assert len(HEALTH_FILES) == 4, SHARED


def test_every_wdr_sheet_is_read_or_listed() -> None:
    listed = CULTIVATION_SHEETS | REGIONAL_SHEETS
    for path, sheet in sheets():
        has_header = header_columns(rows_of(path, sheet)) is not None
        assert has_header != ((path.name, sheet) in listed), f"{path.name} [{sheet}]"


@pytest.mark.parametrize(("path", "sheet"), COUNTRY_SHEETS, ids=[f"{p.name}[{s}]" for p, s in COUNTRY_SHEETS])
def test_every_country_name_in_a_wdr_sheet_resolves(path: Path, sheet: str) -> None:
    names = names_in(path, sheet)
    assert len({name.name for name in names}) >= 2
    assert unresolved(names) == []


def test_cultivation_names_are_the_countries_the_tables_show() -> None:
    paths = [path for path in WDR_FILES if (path.name, "Sheet1") in CULTIVATION_SHEETS]
    found = {resolve_country(name.name).iso3 for path in paths for name in names_in(path, "Sheet1")}
    assert found == {"BOL", "COL", "PER", "AFG", "LAO", "MMR", "MEX"}


@pytest.mark.parametrize("path", HEALTH_FILES, ids=[path.name for path in HEALTH_FILES])
def test_every_country_name_in_a_health_csv_resolves(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        names = [
            NameInFile(f"{path.name} row {number}", row["Country"].strip(), None)
            for number, row in enumerate(csv.DictReader(handle), start=2)
            if row["Country"].strip()
        ]
    assert names
    assert unresolved(names) == []


def test_world_bank_names_resolve_to_the_code_beside_them() -> None:
    known = {known.iso3 for known in places()}
    with (SHARED / "population" / "worldbank_population_1960_2023.csv").open(encoding="utf-8-sig") as handle:
        pairs = {(row["Country Name"], row["Country Code"]) for row in csv.DictReader(handle)}
    names = [NameInFile("World Bank population", name, code) for name, code in pairs if code in known]
    assert len(names) > 200
    assert unresolved(names) == []


TRICKY = [
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Bolivia", "BOL"),
    ("China, Hong Kong SAR", "HKG"),
    ("China, Macao SAR", "MAC"),
    ("Hong Kong SAR, China", "HKG"),
    ("China, Taiwan Province of China", "TWN"),
    ("Taiwan, Province of China", "TWN"),
    ("China", "CHN"),
    ("Türkiye", "TUR"),
    ("Turkiye", "TUR"),
    ("TÜRKIYE", "TUR"),
    ("Turkey", "TUR"),
    ("Kosovo under UNSCR 1244", "XKX"),
    ("Kosovo", "XKX"),
    ("Serbia", "SRB"),
    ("Iraq (Central Iraq)", "IRQ"),
    ("Netherlands (Kingdom of the)", "NLD"),
    ("Netherlands", "NLD"),
    ("Republic of Korea", "KOR"),
    ("Korea (Republic of)", "KOR"),
    ("Korea, Rep.", "KOR"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Democratic People’s Republic of Korea", "PRK"),
    ("Korea, Dem. People's Rep.", "PRK"),
    ("Iran (Islamic Republic of)", "IRN"),
    ("Iran, Islamic Rep.", "IRN"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d Ivoire", "CIV"),
    ("Congo", "COG"),
    ("Congo, Rep.", "COG"),
    ("Democratic Republic of the Congo", "COD"),
    ("Congo (Dem. Rep. of the)", "COD"),
    ("Dominica", "DMA"),
    ("Dominican Republic", "DOM"),
    ("Niger", "NER"),
    ("Nigeria", "NGA"),
    ("Guinea", "GIN"),
    ("Guinea-Bissau", "GNB"),
    ("Equatorial Guinea", "GNQ"),
    ("Sudan", "SDN"),
    ("South Sudan", "SSD"),
    ("United Kingdom (England and Wales)", "GBR"),
    ("Ireland and Northern Ireland", "IRL"),
    ("United States of America", "USA"),
    ("United States", "USA"),
    ("Lao PDR", "LAO"),
    ("Libyan Arab Jamahiriya", "LBY"),
    ("The former Yugoslav Republic of Macedonia", "MKD"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("State of Palestine", "PSE"),
    ("West Bank and Gaza", "PSE"),
    ("Curaçao", "CUW"),
    ("  saint   lucia ", "LCA"),
    ("St. Lucia", "LCA"),
    ("USA", "USA"),
    ("gbr", "GBR"),
    ("DE", "DEU"),
    ("af", "AFG"),
    ("XKX", "XKX"),
]


@pytest.mark.parametrize(("name", "iso3"), TRICKY, ids=[name for name, _ in TRICKY])
def test_tricky_names(name: str, iso3: str) -> None:
    assert resolve_country(name).iso3 == iso3


def test_narnia_is_an_error_naming_three_candidates() -> None:
    with pytest.raises(UnknownCountry) as caught:
        resolve_country("Narnia")
    error = caught.value
    assert isinstance(error, BadInput)
    assert error.code == "unknown-country"
    assert error.status == 400
    assert len(error.details) == 3
    assert len({detail["iso3"] for detail in error.details}) == 3
    assert "'Narnia'" in error.message
    for detail in error.details:
        assert detail["value"] == "Narnia"
        assert f"{detail['name']} ({detail['iso3']})" in error.message
    assert [detail["score"] for detail in error.details] == sorted((d["score"] for d in error.details), reverse=True)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Korea", {"KOR", "PRK"}), ("Niger Delta", {"NER", "NGA"}), ("Bahamas The Islands", {"BHS"})],
)
def test_an_ambiguous_or_unknown_name_is_refused_with_the_likely_places(name: str, expected: set[str]) -> None:
    with pytest.raises(UnknownCountry) as caught:
        resolve_country(name)
    assert expected <= {detail["iso3"] for detail in caught.value.details}


@pytest.mark.parametrize("name", ["", "   ", "N/A", "Total", "Europe", "World", "-"])
def test_blanks_placeholders_and_regions_are_not_countries(name: str) -> None:
    with pytest.raises(UnknownCountry, match=re.escape(repr(name))):
        resolve_country(name)


@pytest.mark.parametrize(
    ("name", "extent"),
    [
        ("Iraq (Central Iraq)", Extent.SUBNATIONAL),
        ("United Kingdom (Scotland)", Extent.SUBNATIONAL),
        ("Ireland and Northern Ireland", Extent.CROSS_BORDER),
        ("Iraq", Extent.NATIONAL),
    ],
)
def test_reporting_units_that_are_not_the_whole_country_say_so(name: str, extent: Extent) -> None:
    found = resolve(name)
    assert found.extent is extent
    assert bool(found.note) == (extent is not Extent.NATIONAL)


@pytest.mark.parametrize(
    ("name", "year", "iso3"),
    [
        ("USSR", 1985, "SUN"),
        ("Soviet Union", 1922, "SUN"),
        ("Union of Soviet Socialist Republics", 1991, "SUN"),
        ("SUN", 1990, "SUN"),
        ("USSR", None, "SUN"),
        ("Czechoslovakia", 1992, "CSK"),
        ("Yugoslavia", 1980, "YUG"),
        ("Serbia and Montenegro", 2005, "SCG"),
        ("Federal Republic of Yugoslavia", 1999, "SCG"),
        ("Netherlands Antilles", 2010, "ANT"),
        ("Sudan (former)", 2010, "SDN"),
        ("Czechia", 1980, "CZE"),
        ("Russian Federation", 1985, "RUS"),
    ],
)
def test_historical_entities_resolve_within_their_validity(name: str, year: int | None, iso3: str) -> None:
    assert resolve_country(name, year).iso3 == iso3


@pytest.mark.parametrize(
    ("name", "year", "words", "successors"),
    [
        ("USSR", 2000, "dissolved in 1991", {"RUS", "UKR", "KAZ", "EST"}),
        ("USSR", 1992, "dissolved in 1991", {"RUS"}),
        ("SUN", 2000, "dissolved in 1991", {"RUS"}),
        ("USSR", 1900, "did not exist before 1922", {"RUS"}),
        ("Czechoslovakia", 1993, "dissolved in 1992", {"CZE", "SVK"}),
        ("Yugoslavia", 1995, "dissolved in 1992", {"SCG", "SVN", "HRV", "BIH", "MKD"}),
        ("Serbia and Montenegro", 2007, "dissolved in 2006", {"SRB", "MNE"}),
        ("Netherlands Antilles", 2011, "dissolved in 2010", {"CUW", "SXM", "BES"}),
        ("Sudan (former)", 2012, "in 2011", {"SDN", "SSD"}),
    ],
)
def test_historical_entities_outside_their_validity_name_their_successors(
    name: str, year: int, words: str, successors: set[str]
) -> None:
    with pytest.raises(CountryNotInYear) as caught:
        resolve_country(name, year)
    error = caught.value
    assert isinstance(error, UnknownCountry)
    assert words in error.message
    assert successors <= set(error.details[0]["successors"])
    if "dissolved" in words:
        assert all(f"{place(code).name} ({code})" in error.message for code in successors)


def test_sudan_before_2011_carries_a_note_on_its_former_extent() -> None:
    assert "South Sudan" in resolve("Sudan", 2005).note
    assert "South Sudan" in resolve("SDN", 2011).note
    assert resolve("Sudan", 2012).note == ""
    assert resolve("Sudan").note == ""
    assert resolve("South Sudan", 2005).place.iso3 == "SSD"


def test_historical_entities_take_the_regions_their_successors_share() -> None:
    assert place("SCG").subregion_name == "Southern Europe"
    assert place("SCG").unodc_subregion == "South-Eastern Europe"
    assert place("CSK").region_name == "Europe"
    assert place("CSK").unodc_subregion == "Western and Central Europe"
    assert place("ANT").intermediate_name == "" and place("ANT").subregion_name == "Latin America and the Caribbean"
    assert place("YUG").unodc_region is None
    assert place("SUN").region_name == "" and place("SUN").unodc_region is None


def test_historical_table() -> None:
    entities = historical_entities()
    assert set(entities) == {"SUN", "CSK", "YUG", "SCG", "ANT", "SDN", "DDR"}
    for entity in entities.values():
        assert entity.successors and all(place(code) for code in entity.successors)
        assert entity.valid_from is not None and entity.valid_to is not None
        assert entity.valid_from < entity.valid_to
        assert len(entity.m49) == 3
    dated = {known.iso3 for known in places() if known.valid_to is not None}
    assert dated == {"SUN", "CSK", "YUG", "SCG", "ANT", "DDR"}


def test_places_hold_the_m49_table_and_the_territories_outside_it() -> None:
    everything = places()
    codes = [known.iso3 for known in everything]
    assert len(codes) == len(set(codes)) == 248 + 2 + 6
    assert places() is everything
    for known in everything:
        assert re.fullmatch(r"[A-Z]{3}", known.iso3) and re.fullmatch(r"[A-Z]{2}", known.iso2)
        assert known.m49 is None or re.fullmatch(r"\d{3}", known.m49)
        assert known.region_code == "" or re.fullmatch(r"\d{3}", known.region_code)
    assert place("BOL").m49 == "068"
    assert place("BOL").lldc and not place("BOL").sids and not place("BOL").ldc
    assert (place("BOL").region_code, place("BOL").region_name) == ("019", "Americas")
    assert place("BOL").intermediate_name == "South America"
    assert place("TWN").m49 is None and place("TWN").subregion_name == "Eastern Asia"
    assert place("XKX").subregion_name == "Southern Europe"
    assert place(" bol ").iso3 == "BOL"


def test_place_refuses_an_unknown_code() -> None:
    with pytest.raises(UnknownCountry, match="'XXX'"):
        place("XXX")


def wdr_codes() -> set[str]:
    codes: set[str] = set()
    for path, sheet in COUNTRY_SHEETS:
        codes |= {name.iso3 or resolve_country(name.name).iso3 for name in names_in(path, sheet)}
    return codes


def test_every_place_in_a_wdr_table_has_a_wdr_region_of_the_wdr_scheme() -> None:
    codes = wdr_codes()
    assert len(codes) > 150
    for code in codes:
        found = place(code)
        assert found.unodc_region in WDR_SUBREGIONS, code
        assert found.unodc_subregion in WDR_SUBREGIONS[found.unodc_region], code


@pytest.mark.parametrize(
    ("iso3", "region", "subregion"),
    [
        ("TUR", "Europe", "South-Eastern Europe"),
        ("IRN", "Asia", "Near and Middle East/South-West Asia"),
        ("AFG", "Asia", "Near and Middle East/South-West Asia"),
        ("MEX", "Americas", "North America"),
        ("EGY", "Africa", "North Africa"),
        ("GBR", "Europe", "Western and Central Europe"),
        ("ARM", "Asia", "Central Asia and Transcaucasia"),
    ],
)
def test_wdr_regions_differ_from_m49_where_the_wdr_says_so(iso3: str, region: str, subregion: str) -> None:
    assert (place(iso3).unodc_region, place(iso3).unodc_subregion) == (region, subregion)


def test_wdr_regions_file_is_what_the_script_derives(tmp_path: Path) -> None:
    output = tmp_path / "wdr_regions.csv"
    script = REPO / "scripts" / "derive_wdr_regions.py"
    subprocess.run([sys.executable, str(script), str(SHARED), str(output)], check=True, capture_output=True)
    assert output.read_text(encoding="utf-8") == WDR_REGIONS.read_text(encoding="utf-8")


def test_no_two_places_share_a_spelling() -> None:
    assert name_index().clashes == []


def test_every_alias_names_a_known_place_and_no_standard_list_has_it() -> None:
    iso_keys = {normalise(spelling.text) for spelling in iso_spellings(frozenset(known.iso3 for known in places()))}
    for alias in alias_spellings():
        held = name_index().find(alias.text)
        assert held is not None and (held.text, held.via) == (alias.text, Via.ALIAS), alias
        assert normalise(alias.text) not in iso_keys, alias
        assert place(alias.code)


def test_every_spelling_resolves_to_its_own_place() -> None:
    for spelling in name_index().entries.values():
        assert resolve_country(spelling.text).iso3 == spelling.code, spelling


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Türkiye", "turkiye"),
        ("Côte d’Ivoire ", "cote d ivoire"),
        ("  Korea, Republic   of ", "korea republic of"),
        ("Korea (Republic of)", "korea republic of"),
        ("Bosnia & Herzegovina", "bosnia and herzegovina"),
        ("Guinea-Bissau", "guinea bissau"),
        ("ÅLAND ISLANDS", "aland islands"),
    ],
)
def test_normalise(text: str, key: str) -> None:
    assert normalise(text) == key


M49_PLACES = [known for known in places() if known.m49 is not None and known.valid_to is None]


@st.composite
def mangled_m49_names(draw: st.DrawFn) -> tuple[str, str]:
    known = draw(st.sampled_from(M49_PLACES))
    cased = "".join(char.upper() if draw(st.booleans()) else char.lower() for char in known.name)
    gaps = st.text(alphabet=" \t", min_size=1, max_size=3)
    edges = st.text(alphabet=" \t\n", max_size=3)
    spaced = "".join(draw(gaps) if char == " " else char for char in cased)
    return draw(edges) + spaced + draw(edges), known.iso3


@given(mangled_m49_names())
def test_an_m49_name_in_any_case_and_spacing_resolves_to_its_place(mangled: tuple[str, str]) -> None:
    name, iso3 = mangled
    assert resolve_country(name).iso3 == iso3
