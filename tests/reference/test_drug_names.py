"""The WDR drug hierarchy, and the resolution of the drug names real WDR annex files use."""

import csv
import difflib
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from observatory.errors import BadInput, SourceFileError
from observatory.reference.conversion import normalise_name
from observatory.reference.drug_names import (
    DRUG_ALIASES,
    NATIONAL_NAMES,
    NOT_ONE_SUBSTANCE,
    WDR_DRUGS,
    Level,
    MatchedBy,
    UnknownDrug,
    WdrDrug,
    alias_records,
    drug_groups,
    drug_hierarchy,
    drug_key,
    registry_spellings,
    resolve_drug,
    wdr_drug_name,
)
from observatory.reference.seizure_drug_names import (
    UnknownDrugGroup,
    UnknownDrugSubgroup,
    groups_of,
    seizure_name,
    seizure_names,
)
from observatory.reference.substances.registry import substance_registry

REPO = Path(__file__).parents[2]
SHARED = REPO / ".." / "shared" / "data"
WDR_FILES = sorted(SHARED.glob("unodc_*/*.xlsx"))
HEADER_SEARCH_ROWS = 10
DRUG_HEADERS = ("DrugGroup", "DrugSubGroup", "DrugName", "Drug", "Specify", "NPS Type", "Substance")
# Cells of a drug column that name no drug: a placeholder, a data source, a dose (all in 8.1 ``Specify``).
NOT_DRUG_NAMES = {"N/A", "Survey", "1 mg"}
ATS = "Amphetamine-type stimulants (excluding “ecstasy”)"
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids)"
ECSTASY = "“Ecstasy”-type substances"
OTHER = "Other drugs / psychoactive substances / pharmaceutical products not listed above"
SEIZURE_GROUPS = {
    ATS,
    "Any other drugs/substances",
    CANNABIS,
    "Cocaine-type",
    "Hallucinogens",
    "NPS",
    "Opioids",
    "Precursors",
    "Sedatives and tranquillizers",
    "Solvents and Inhalants",
    ECSTASY,
}


@dataclass(frozen=True, slots=True)
class NameInFile:
    where: str
    name: str


def sheets() -> Iterator[tuple[Path, str]]:
    for path in WDR_FILES:
        for sheet in CalamineWorkbook.from_path(str(path)).sheet_names:
            yield path, sheet


@cache
def rows_of(path: Path, sheet: str) -> list[list[str]]:
    table = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [[str(cell).strip() for cell in row] for row in table]


def names_in_columns(path: Path, sheet: str) -> Iterator[NameInFile]:
    """The cells of the drug columns (group, sub-group, drug, specification, NPS type, substance)."""
    rows = rows_of(path, sheet)
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = [row.index(header) for header in DRUG_HEADERS if header in row]
        if not columns:
            continue
        for below in rows[number + 1 :]:
            for column in columns:
                name = below[column]
                if row[column] == "Substance":
                    # one cell carries a note after the name: "Synthetic cannabinoids. Following their ..."
                    name = name.split(". ")[0]
                if name:
                    yield NameInFile(f"{path.name} [{sheet}] {row[column]}", name)
        return


def names_in_headings(path: Path, sheet: str) -> Iterator[NameInFile]:
    """Drug names outside the columns: 1.2 sheet names, the crop of a cultivation title, 1.1 column labels."""
    rows = rows_of(path, sheet)
    if "_1.2_" in path.name:
        yield NameInFile(f"{path.name} sheet name", sheet)
    if crop := re.search(r"cultivation of (.+?), \d{4}", rows[0][0]):
        yield NameInFile(f"{path.name} title", crop.group(1))
    footnotes = [match.groups() for row in rows if (match := re.match(r"([a-z]) (\w+)", row[0]))]
    for row in rows:
        if row[0].startswith("Region or subregion"):
            for label in filter(None, row[1:]):
                for letter, word in footnotes:
                    label = label.replace(f"{word}{letter}", word)
                yield NameInFile(f"{path.name} [{sheet}] column", label)


def names_in(path: Path, sheet: str) -> list[NameInFile]:
    return [*names_in_columns(path, sheet), *names_in_headings(path, sheet)]


SHEETS = list(sheets())


def test_the_shared_data_is_there() -> None:
    assert len(WDR_FILES) == 7, SHARED
    assert len(SHEETS) == 17


@pytest.mark.parametrize(("path", "sheet"), SHEETS, ids=[f"{p.name}[{s}]" for p, s in SHEETS])
def test_every_drug_name_in_a_wdr_sheet_resolves_to_its_own_spelling(path: Path, sheet: str) -> None:
    found = {name.name: name for name in names_in(path, sheet) if name.name not in NOT_DRUG_NAMES}
    assert found, f"{path.name} [{sheet}] names no drug"
    problems: list[str] = []
    for name in found.values():
        try:
            match = resolve_drug(name.name)
        except UnknownDrug as error:
            problems.append(f"{name.where}: {error}")
            continue
        if (match.matched_by, match.entry.name) != (MatchedBy.EXACT, name.name):
            problems.append(f"{name.where}: {name.name!r} matched {match.entry.name!r} ({match.matched_by})")
    assert problems == []


def test_cells_that_name_no_drug_are_refused() -> None:
    in_files = {name.name for path, sheet in SHEETS for name in names_in(path, sheet)}
    assert in_files >= NOT_DRUG_NAMES
    for name in NOT_DRUG_NAMES:
        with pytest.raises(UnknownDrug):
            resolve_drug(name)


def test_the_walk_sees_every_kind_of_name() -> None:
    in_files = {name.name for path, sheet in SHEETS for name in names_in(path, sheet)}
    assert in_files >= SEIZURE_GROUPS
    assert {"Tranquillizers and sedatives", "coca bush", "opium poppy", "Cocaine", '"Ecstasy"', "Brown"} <= in_files
    assert "Amphetamines and prescription stimulants" in in_files
    assert "Cocainea" not in in_files


def test_wdr_drugs_file_is_what_the_script_derives(tmp_path: Path) -> None:
    output = tmp_path / "wdr_drugs.csv"
    script = REPO / "scripts" / "derive_wdr_drugs.py"
    subprocess.run([sys.executable, str(script), str(SHARED), str(output)], check=True, capture_output=True)
    assert output.read_text(encoding="utf-8") == WDR_DRUGS.read_text(encoding="utf-8")


def test_the_hierarchy_holds_each_drug_once_with_the_tables_naming_it() -> None:
    rows = drug_hierarchy()
    assert len(rows) > 400
    assert len({(row.group, row.subgroup, row.drug) for row in rows}) == len(rows)
    tables = {"1.1", "1.2", "2.1", "6.1.1", "6.2.1", "7.1", "8.1"}
    for row in rows:
        assert row.drug and row.level is Level.DRUG
        assert row.tables and set(row.tables) <= tables
        assert all(name == name.strip() for name in (row.group, row.subgroup or "", row.drug))
    assert {table for row in rows for table in row.tables} == tables
    assert WdrDrug("Opioids", "Opiates", "Heroin", ("7.1",)) in rows
    assert WdrDrug("Opioids", "Pharmaceutical opioids", "Fentanyl", ("7.1", "8.1")) in rows
    assert WdrDrug("Cocaine-type", None, "coca bush", ("6.1.1",)) in rows
    assert WdrDrug("NPS", "Miscellaneous NPS", "Mephedrone", ("1.2",)) in rows


def test_drug_groups_are_every_group_spelling_the_tables_use() -> None:
    groups = drug_groups()
    assert len(groups) == len(set(groups))
    assert set(groups) >= SEIZURE_GROUPS
    assert {"ATS", "Cocaine-type drugs", "Solvents and Inhallants"} <= set(groups)
    for group in groups:
        match = resolve_drug(group)
        assert (match.entry.level, match.entry.group) == (Level.GROUP, group)


TRICKY = [
    ("Heroin", MatchedBy.EXACT, ("Opioids", "Opiates", "Heroin")),
    ("heroin", MatchedBy.NORMALISED, ("Opioids", "Opiates", "Heroin")),
    ("  HEROIN ", MatchedBy.NORMALISED, ("Opioids", "Opiates", "Heroin")),
    ("“Ecstasy”-type substances", MatchedBy.EXACT, (ECSTASY, None, None)),
    ('"Ecstasy"-type substances', MatchedBy.NORMALISED, (ECSTASY, None, None)),
    ("ecstasy-type substances", MatchedBy.NORMALISED, (ECSTASY, None, None)),
    ("ecstasy", MatchedBy.NORMALISED, (ECSTASY, None, "Ecstasy")),
    ('"Ecstasy"', MatchedBy.EXACT, (ECSTASY, None, '"Ecstasy"')),
    ("MDMA", MatchedBy.EXACT, (ECSTASY, None, "MDMA")),
    ("mdma", MatchedBy.NORMALISED, (ECSTASY, None, "MDMA")),
    ("MDA", MatchedBy.ALIAS, (ECSTASY, ECSTASY, "Tenamfetamine (MDA)")),
    (
        'Amphetamine-type stimulants (excluding "ecstasy")',
        MatchedBy.NORMALISED,
        (ATS, None, None),
    ),
    ('"Captagon"', MatchedBy.EXACT, (ATS, "Amphetamine", '"Captagon"')),
    ("Captagon", MatchedBy.EXACT, ("ATS", "Amphetamine", "Captagon")),
    ("“Captagon”", MatchedBy.NORMALISED, (ATS, "Amphetamine", '"Captagon"')),
    ("yaba", MatchedBy.NORMALISED, (ATS, "Methamphetamine", "“Yaba”")),
    ("Cannabis resin (hashish)", MatchedBy.EXACT, (CANNABIS, "Cannabis resin (hashish)", None)),
    ("cannabis resin", MatchedBy.ALIAS, (CANNABIS, "Cannabis resin (hashish)", None)),
    ("hashish", MatchedBy.ALIAS, (CANNABIS, "Cannabis resin (hashish)", None)),
    ("Hashish (resin)", MatchedBy.EXACT, ("Cannabis-type", None, "Hashish (resin)")),
    ("Marijuana (herb)", MatchedBy.EXACT, ("Cannabis-type", "Marijuana (herb)", None)),
    ("New psychoactive substances", MatchedBy.EXACT, ("New psychoactive substances", None, None)),
    ("Synthetic cannabinoids (Spice)", MatchedBy.EXACT, ("NPS", "Synthetic cannabinoids (Spice)", None)),
    (
        "Synthetic cannabinoids (“Spice”)",
        MatchedBy.EXACT,
        ("NPS", "Synthetic cannabinoids (Spice)", "Synthetic cannabinoids (“Spice”)"),
    ),
    (
        "4-Fluoromethamphetamine (4-FMA)",
        MatchedBy.NORMALISED,
        ("NPS", "Phenethylamines", "4-Fluoromethamphetamine\u00a0(4-FMA)"),
    ),
    ("Opioids", MatchedBy.EXACT, ("Opioids", None, None)),
    ("OPIATES", MatchedBy.NORMALISED, ("Opioids", "Opiates", None)),
    ("Cocaine", MatchedBy.EXACT, ("Cocaine-type", "Cocaine", None)),
    ("Methamphetamine", MatchedBy.EXACT, (ATS, "Methamphetamine", None)),
    ("Solvents and Inhallants", MatchedBy.EXACT, ("Solvents and Inhallants", None, None)),
    ("coca bush", MatchedBy.EXACT, ("Cocaine-type", None, "coca bush")),
    ("Coca Bush", MatchedBy.NORMALISED, ("Cocaine-type", "Coca-type", "Coca bush")),
    ("Prégabaline", MatchedBy.EXACT, (OTHER, None, "Prégabaline")),
    (
        "Other drugs/psychoactive substances/pharmaceutical products not listed above",
        MatchedBy.NORMALISED,
        (OTHER, None, None),
    ),
    (
        "Tranquillizers and sedatives",
        MatchedBy.EXACT,
        ("Sedatives and tranquillizers", None, "Tranquillizers and sedatives"),
    ),
    ("Brown", MatchedBy.EXACT, ("Opioids", "Heroin", "Brown")),
]


@pytest.mark.parametrize(("name", "matched_by", "place"), TRICKY, ids=[name for name, _, _ in TRICKY])
def test_tricky_names(name: str, matched_by: MatchedBy, place: tuple[str, str | None, str | None]) -> None:
    match = resolve_drug(name)
    assert (match.entry.group, match.entry.subgroup, match.entry.drug) == place
    assert match.matched_by is matched_by
    assert match.query == name


def test_a_name_with_several_places_lists_the_others() -> None:
    match = resolve_drug("Heroin")
    assert match.entry.tables == ("7.1",)
    assert WdrDrug("Opioids", "Heroin", None, ("8.1",)) in match.others
    assert WdrDrug("Opioids", None, "Heroin", ("2.1", "8.1")) in match.others
    assert match.entry not in match.others
    group = resolve_drug("Opioids").entry
    assert group.tables == ("1.1", "1.2", "2.1", "6.2.1", "7.1", "8.1")


def test_narnia_weed_is_an_error_naming_three_candidates() -> None:
    with pytest.raises(UnknownDrug) as caught:
        resolve_drug("Narnia weed")
    error = caught.value
    assert isinstance(error, BadInput)
    assert error.code == "unknown-drug"
    assert error.status == 400
    assert "'Narnia weed'" in error.message
    assert len(error.details) == 3
    assert len({normalise_name(detail["name"]) for detail in error.details}) == 3
    for detail in error.details:
        assert detail["value"] == "Narnia weed"
        assert f"{detail['name']} ({detail['group']})" in error.message
        assert resolve_drug(detail["name"]).entry.name == detail["name"]
    assert [detail["score"] for detail in error.details] == sorted((d["score"] for d in error.details), reverse=True)


@pytest.mark.parametrize("name", ["", "   ", "“”"])
def test_a_blank_name_is_refused(name: str) -> None:
    with pytest.raises(UnknownDrug, match=re.escape(repr(name))):
        resolve_drug(name)


@pytest.mark.parametrize(
    ("name", "preferred"),
    [
        ("Heroin", "Heroin"),
        ("heroin", "Heroin"),
        ("Cocaine", "Cocaine"),
        ("Cocaine hydrochloride", "Cocaine"),
        ("Methamphetamine", "Metamfetamine"),
        ("Ice", "Metamfetamine"),
        ("Mephedrone", "Mephedrone"),
        ("Mephedrone (4-methylmethcathinone, 4-MMC)", "Mephedrone"),
        ("4-MMC", "Mephedrone"),
        ("MDMA", "MDMA"),
        ("3,4-methylenedioxymethamphetamine (MDMA)", "MDMA"),
        ("Tenamfetamine (MDA)", "Tenamfetamine"),
        ("Lysergic acid diethylamide (LSD)", "lysergide"),
        ("Fentanyl", "Fentanyl"),
        ("Valium", "Diazepam"),
        ("4-Fluoromethamphetamine\u00a0(4-FMA)", "4-FMA"),
        ("Alpha-Pyrrolidinohexiophenone (alpha-PHP)", "alpha-PHP"),
        ("Heroin no 2 (Heroin base)", "Heroin"),
        ("Acetic anhydride", "Acetic anhydride"),
    ],
)
def test_a_name_of_one_substance_links_to_the_registry(name: str, preferred: str) -> None:
    substance_id = resolve_drug(name).substance_id
    assert substance_id is not None
    assert substance_registry().get(substance_id).preferred_name == preferred


@pytest.mark.parametrize(
    "name",
    [
        "Other opioids",
        "Cannabis herb (marijuana)",
        "Cannabis resin (hashish)",
        "Cannabis",
        "Opioids",
        "Opiates",
        "Opium",
        "Benzodiazepines",
        "Ecstasy",
        "ecstasy",
        "Captagon",
        "Alcohol",
        "Phenethylamine",
        "Synthetic cathinones",
        "Non-specified cocaine",
        "Brown",
    ],
)
def test_a_class_plant_or_product_links_to_no_substance(name: str) -> None:
    assert resolve_drug(name).substance_id is None


def test_every_name_kept_from_the_registry_is_a_wdr_name_the_registry_would_link() -> None:
    names = {normalise_name(row.name): row.name for row in drug_hierarchy()}
    for key in NOT_ONE_SUBSTANCE:
        assert key in names, key
        spellings = registry_spellings(names[key])
        assert any(substance_registry().index.resolve(spelling) for spelling in spellings), key


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("Heroin", ("Heroin",)),
        ("Tenamfetamine (MDA)", ("Tenamfetamine (MDA)", "Tenamfetamine", "MDA")),
        (
            "4-Fluoromethamphetamine\u00a0(4-FMA)",
            ("4-Fluoromethamphetamine (4-FMA)", "4-Fluoromethamphetamine", "4-FMA"),
        ),
        ("Alprazolam (Xanax, Pranax)", ("Alprazolam (Xanax, Pranax)", "Alprazolam", "Xanax", "Pranax")),
        (
            "Coca paste/refined cocaine base (intermediate products) (please specify)",
            (
                "Coca paste/refined cocaine base (intermediate products) (please specify)",
                "Coca paste/refined cocaine base (intermediate products)",
                "please specify",
            ),
        ),
    ],
)
def test_registry_spellings(name: str, spellings: tuple[str, ...]) -> None:
    assert registry_spellings(name) == spellings


def test_links_are_many_and_all_real() -> None:
    linked = {row.name: resolve_drug(row.name).substance_id for row in drug_hierarchy()}
    ids = {substance_id for substance_id in linked.values() if substance_id is not None}
    assert sum(substance_id is not None for substance_id in linked.values()) > 100
    assert len(ids) > 75
    for substance_id in ids:
        assert substance_registry().get(substance_id).id == substance_id


def aliases() -> list[dict[str, str]]:
    with DRUG_ALIASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_alias_names_a_seizure_table_spelling_and_resolves() -> None:
    seizure_names = {
        name for row in drug_hierarchy() if "7.1" in row.tables for name in (row.group, row.subgroup, row.drug)
    }
    wdr_keys = {
        normalise_name(name) for row in drug_hierarchy() for name in (row.group, row.subgroup, row.drug) if name
    }
    for row in aliases():
        assert row["wdr_name"] in seizure_names, row
        assert wdr_drug_name(row["alias"]) == row["wdr_name"]
        match = resolve_drug(row["alias"])
        if normalise_name(row["alias"]) not in wdr_keys:
            assert (match.matched_by, match.entry.name) == (MatchedBy.ALIAS, row["wdr_name"]), row


def test_wdr_drug_name_leaves_unknown_names_alone() -> None:
    assert wdr_drug_name("ecstasy") == "“Ecstasy”-type substances"
    assert wdr_drug_name("Narnia weed") == "Narnia weed"


WDR_NAMES = sorted({name for row in drug_hierarchy() for name in (row.group, row.subgroup, row.drug) if name})


@st.composite
def mangled_wdr_names(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(WDR_NAMES))
    cased = "".join(char.upper() if draw(st.booleans()) else char.lower() for char in name)
    quoted = cased.replace("“", '"').replace("”", '"')
    spaced = "".join(draw(st.sampled_from([" ", "  ", "\u00a0"])) if char == " " else char for char in quoted)
    return f"{draw(st.sampled_from(['', ' ']))}{spaced}", name


@given(mangled_wdr_names())
def test_a_wdr_name_in_any_case_quotes_and_spacing_resolves_to_its_spelling_class(mangled: tuple[str, str]) -> None:
    text, name = mangled
    assert normalise_name(resolve_drug(text).entry.name) == normalise_name(name)


# The group, sub-group and drug columns of the seizure data sets (``seizure_drug_names``).

LEVEL_CASES = [
    # (name as written, level) → (name stored, how it matched)
    (("Opioids", Level.GROUP), ("Opioids", MatchedBy.EXACT)),
    (("OPIOIDS ", Level.GROUP), ("Opioids", MatchedBy.NORMALISED)),
    (('"Ecstasy"-type substances', Level.GROUP), (ECSTASY, MatchedBy.NORMALISED)),
    (("Amphetamine–type stimulants (excluding 'ecstasy')", Level.GROUP), (ATS, MatchedBy.NORMALISED)),
    (("Cocaine-type drugs", Level.GROUP), ("Cocaine-type", MatchedBy.ALIAS)),
    (("Cannabis-type", Level.GROUP), (CANNABIS, MatchedBy.ALIAS)),
    (("Sedatives and Tranquillizers", Level.GROUP), ("Sedatives and tranquillizers", MatchedBy.NORMALISED)),
    (("Solvents and Inhallants", Level.GROUP), ("Solvents and Inhalants", MatchedBy.ALIAS)),
    (("ATS", Level.GROUP), ("ATS", MatchedBy.EXACT)),
    (("ecstasy", Level.GROUP), (ECSTASY, MatchedBy.ALIAS)),
    (("Opiates", Level.SUBGROUP), ("Opiates", MatchedBy.EXACT)),
    (("Heroin", Level.SUBGROUP), ("Heroin", MatchedBy.EXACT)),
    (("hashish", Level.SUBGROUP), ("Cannabis resin (hashish)", MatchedBy.ALIAS)),
    (("Heroin", Level.DRUG), ("Heroin", MatchedBy.EXACT)),
    (("Cocaine", Level.DRUG), ("Cocaine", MatchedBy.EXACT)),
    (("Synthetic cannabinoids (Spice)", Level.DRUG), ("Synthetic cannabinoids (Spice)", MatchedBy.EXACT)),
    (("Synthetic cannabinoids (“Spice”)", Level.DRUG), ("Synthetic cannabinoids (“Spice”)", MatchedBy.EXACT)),
    (("coca bush", Level.DRUG), ("Coca bush", MatchedBy.NORMALISED)),
    (("MDMA", Level.DRUG), ("3,4-methylenedioxymethamphetamine (MDMA)", MatchedBy.ALIAS)),
    (("Kif", Level.DRUG), ("Kif", MatchedBy.EXACT)),
    (("Ganja", Level.DRUG), ("Cannabis herb (marijuana)", MatchedBy.ALIAS)),
    (("GANJA", Level.SUBGROUP), ("Cannabis herb (marijuana)", MatchedBy.ALIAS)),
    (("Charas", Level.DRUG), ("Cannabis resin (hashish)", MatchedBy.ALIAS)),
    (("Hashish oil", Level.DRUG), ("Cannabis oil", MatchedBy.ALIAS)),
    (("Bhang", Level.DRUG), ("Cannabis herb (marijuana)", MatchedBy.ALIAS)),
    (("Phensidyl", Level.DRUG), ("Codeine", MatchedBy.ALIAS)),
    (("Doda post", Level.DRUG), ("Poppy straw (seed heads, pods or capsules)", MatchedBy.ALIAS)),
    (("poppy  husk", Level.DRUG), ("Poppy straw (seed heads, pods or capsules)", MatchedBy.ALIAS)),
    (("Smack", Level.DRUG), ("Heroin", MatchedBy.ALIAS)),
    (("brown sugar", Level.DRUG), ("Heroin", MatchedBy.ALIAS)),
    (("Yaba", Level.DRUG), ("“Yaba”", MatchedBy.NORMALISED)),
    (("‘Yaba’", Level.DRUG), ("“Yaba”", MatchedBy.NORMALISED)),
    (("Shabu", Level.DRUG), ("Methamphetamine", MatchedBy.ALIAS)),
]


@pytest.mark.parametrize(("written", "expected"), LEVEL_CASES, ids=[f"{n}@{level}" for (n, level), _ in LEVEL_CASES])
def test_a_seizure_column_resolves_its_own_level(written: tuple[str, Level], expected: tuple[str, MatchedBy]) -> None:
    name, level = written
    found = seizure_name(name, level)
    assert (found.name, found.matched_by) == expected
    assert (found.query, found.level) == (name, level)
    assert (found.alias is not None) is (found.matched_by is MatchedBy.ALIAS)


UNKNOWN_AT = [
    ("Cannabistype", Level.GROUP, UnknownDrugGroup, CANNABIS),
    ("Opoids", Level.GROUP, UnknownDrugGroup, "Opioids"),
    ("Heroin", Level.GROUP, UnknownDrugGroup, "Opioids"),
    ("Opiats", Level.SUBGROUP, UnknownDrugSubgroup, "Opiates"),
    ("Herion", Level.DRUG, UnknownDrug, "Heroin"),
    ("Ganjaa", Level.DRUG, UnknownDrug, "Cannabis herb (marijuana)"),
    ("Cocaine hidrochloride", Level.DRUG, UnknownDrug, "Cocaine hydrochloride"),
]


@pytest.mark.parametrize(("name", "level", "error", "suggested"), UNKNOWN_AT)
def test_an_unknown_name_of_a_level_names_the_three_closest_of_that_level(
    name: str, level: Level, error: type[UnknownDrug], suggested: str
) -> None:
    with pytest.raises(UnknownDrug) as caught:
        seizure_name(name, level)
    assert (
        type(caught.value) is error
        and caught.value.code
        == {
            Level.GROUP: "unknown-drug-group",
            Level.SUBGROUP: "unknown-drug-subgroup",
            Level.DRUG: "unknown-drug",
        }[level]
    )
    names = [detail["name"] for detail in caught.value.details]
    assert len(names) == len(set(names)) == 3 and suggested in names
    assert repr(name) in caught.value.message and all(found in caught.value.message for found in names)
    for found in names:
        assert seizure_name(found, level).name == found


def test_the_lists_of_a_level_are_table_7_1s() -> None:
    seizures = [row for row in drug_hierarchy() if "7.1" in row.tables]
    assert set(seizure_names(Level.GROUP)) == {row.group for row in seizures} == SEIZURE_GROUPS
    assert set(seizure_names(Level.SUBGROUP)) == {row.subgroup for row in seizures}
    assert set(seizure_names(Level.DRUG)) == {row.drug for row in seizures}


GROUPS_OF = [
    ("Heroin", Level.DRUG, {"Opioids"}),
    ("JWH-018", Level.DRUG, {"Any other drugs/substances", CANNABIS}),
    ("Khat", Level.DRUG, {"NPS", "Amphetamine-type stimulants", "Substances not under international control"}),
    ("Cannabis herb (marijuana)", Level.DRUG, {CANNABIS}),
    ("Cocaine", Level.DRUG, {"Cocaine-type"}),
    ("Opiates", Level.SUBGROUP, {"Opioids"}),
    ("Heroin", Level.SUBGROUP, {"Opioids"}),
    ("Marijuana (herb)", Level.SUBGROUP, {CANNABIS}),
    ("Narnia weed", Level.DRUG, set()),
]


@pytest.mark.parametrize(("name", "level", "groups"), GROUPS_OF)
def test_the_groups_a_name_is_filed_under_spelled_as_stored(name: str, level: Level, groups: set[str]) -> None:
    assert groups_of(name, level) == groups


def names_at(level: Level) -> set[str]:
    """Every name any table gives ``level``."""
    return {name for row in drug_hierarchy() if (name := level_name(row, level))}


def level_name(row: WdrDrug, level: Level) -> str | None:
    return row.group if level is Level.GROUP else row.subgroup if level is Level.SUBGROUP else row.drug


SEIZURE_LEVELS = [(level, name) for level in Level for name in sorted(names_at(level))]


@given(st.sampled_from(SEIZURE_LEVELS))
def test_any_name_a_table_gives_a_level_resolves_at_that_level(pair: tuple[Level, str]) -> None:
    level, name = pair
    found = seizure_name(name, level)
    assert groups_of(found.name, level) or level is Level.GROUP
    if name in seizure_names(level):
        assert (found.name, found.matched_by) == (name, MatchedBy.EXACT)
    else:
        assert found.matched_by is not MatchedBy.NORMALISED or drug_key(found.name) == drug_key(name)


@st.composite
def mangled_seizure_names(draw: st.DrawFn) -> tuple[Level, str, str]:
    level = draw(st.sampled_from([Level.GROUP, Level.SUBGROUP, Level.DRUG]))
    name = draw(st.sampled_from(seizure_names(level)))
    cased = "".join(char.upper() if draw(st.booleans()) else char.lower() for char in name)
    quotes = draw(st.sampled_from([('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"), ("", "")]))
    quoted = "".join(quotes[0] if char in '“"' else quotes[1] if char == "”" else char for char in cased)
    dashed = quoted.replace("-", draw(st.sampled_from(["-", "–", "‑"])))
    spaced = "".join(draw(st.sampled_from([" ", "  ", "\u00a0"])) if char == " " else char for char in dashed)
    return level, f"{draw(st.sampled_from(['', ' ', '  ']))}{spaced}{draw(st.sampled_from(['', ' ']))}", name


@given(mangled_seizure_names())
def test_a_table_7_1_name_in_any_case_quotes_dashes_and_spacing_resolves_to_a_7_1_spelling_of_it(
    mangled: tuple[Level, str, str],
) -> None:
    level, text, name = mangled
    found = seizure_name(text, level)
    assert found.name in seizure_names(level)
    assert drug_key(found.name) == drug_key(name)
    assert found.matched_by is (MatchedBy.EXACT if text == name else MatchedBy.NORMALISED)


def test_a_lower_level_name_in_the_group_column_is_answered_with_its_groups() -> None:
    with pytest.raises(UnknownDrugGroup) as caught:
        seizure_name("Heroin", Level.GROUP)
    assert "(a drug sub-group of Opioids)" in caught.value.message
    assert caught.value.details[0]["name"] == "Opioids"
    with pytest.raises(UnknownDrugGroup) as caught:
        seizure_name("JWH-018", Level.GROUP)
    assert [detail["name"] for detail in caught.value.details][:2] == ["Any other drugs/substances", CANNABIS]


@settings(deadline=None)
@given(st.text(alphabet="abcdeghilnoprstuy -", min_size=1, max_size=14), st.sampled_from(list(Level)))
def test_the_closest_names_are_the_best_scores_of_all_spellings(text: str, level: Level) -> None:
    assume(drug_key(text))
    try:
        seizure_name(text, level)
    except UnknownDrug as error:
        assume("(a drug" not in error.message)
        found = [(detail["name"], detail["score"]) for detail in error.details]
    else:
        return
    key = drug_key(text)
    best: dict[str, float] = {}
    names = [*seizure_names(level), *(name for _, name in SEIZURE_LEVELS if _ is level)]
    for spelling in [*names, *(alias.alias for alias in alias_records().values())]:
        try:
            stored = seizure_name(spelling, level).name
        except UnknownDrug:
            continue
        for part in registry_spellings(spelling):
            score = round(difflib.SequenceMatcher(None, drug_key(part), key).ratio(), 3)
            best[stored] = max(best.get(stored, -1.0), score)
    expected = sorted(best.items(), key=lambda scored: (-scored[1], scored[0]))[:3]
    assert [score for _, score in found] == [score for _, score in expected]


def national_names() -> list[dict[str, str]]:
    with NATIONAL_NAMES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


NATIONAL = ["Ganja", "Charas", "Hashish oil", "Phensidyl", "Doda post", "Poppy husk", "Smack", "Brown sugar", "Bhang"]


def test_the_national_names_asked_for_are_there_with_a_source_each() -> None:
    rows = {row["alias"]: row for row in national_names()}
    assert set(NATIONAL) <= set(rows)
    seizures = {name for level in Level for name in seizure_names(level)}
    wdr_keys = {drug_key(name) for _, name in SEIZURE_LEVELS}
    for row in rows.values():
        assert row["wdr_name"] in seizures, row
        assert row["status"] in ("confirmed", "unconfirmed") and len(row["source"]) > 20, row
        assert all(re.fullmatch("[A-Z]{3}", code) for code in filter(None, row["countries"].split(";"))), row
        assert wdr_drug_name(row["alias"]) == row["wdr_name"]
        if drug_key(row["alias"]) not in wdr_keys:
            assert (resolve_drug(row["alias"]).matched_by, resolve_drug(row["alias"]).entry.name) == (
                MatchedBy.ALIAS,
                row["wdr_name"],
            )
        alias = alias_records()[drug_key(row["alias"])]
        assert alias.confirmed is (row["status"] == "confirmed")
        assert seizure_name(row["alias"], Level.DRUG).name == row["wdr_name"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("Ganja,Cannabis herb (marijuana),IND,sure,NDPS Act,\n", "status"),
        ("Ganja,Cannabis herb (marijuana),IND,confirmed, ,\n", "cite where the name comes from"),
        ("Ganja,Cannabis herb (marijuana),IND,confirmed,NDPS Act,\nganja,Heroin,,confirmed,nowhere,\n", "row 3"),
        ("hashish,Heroin,,confirmed,nowhere,\n", "given already"),
    ],
)
def test_a_bad_national_names_file_is_refused_naming_the_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: str, message: str
) -> None:
    path = tmp_path / "drug_national_names.csv"
    path.write_text("alias,wdr_name,countries,status,source,note\n" + lines, encoding="utf-8")
    monkeypatch.setattr("observatory.reference.drug_names.NATIONAL_NAMES", path)
    with pytest.raises(SourceFileError, match=re.escape(message)):
        alias_records.__wrapped__()
