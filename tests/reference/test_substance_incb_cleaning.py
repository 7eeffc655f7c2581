"""Every INCB cleaning rule, on the actual rows of the Yellow, Green and Red Lists (SOURCES.md section 8)."""

import re
from collections import Counter
from functools import cache

import pytest

from observatory.reference.substances.incb_cleaning import clean_incb_lists
from observatory.reference.substances.incb_entry import GREEN, RED, YELLOW, IncbEntry
from observatory.reference.substances.incb_green_columns import split_columns
from observatory.reference.substances.report import Finding, Report


@cache
def cleaned() -> tuple[list[IncbEntry], Report]:
    return clean_incb_lists()


def entries(source: str) -> list[IncbEntry]:
    return [entry for entry in cleaned()[0] if entry.source == source]


def entry(source: str, row: int) -> IncbEntry:
    return next(entry for entry in entries(source) if entry.row == row)


def named(source: str, name: str) -> list[IncbEntry]:
    return [entry for entry in entries(source) if entry.name == name]


def findings(code: str, source: str) -> list[Finding]:
    return [finding for finding in cleaned()[1].with_code(code) if finding.source == source]


def test_entries_per_list_and_schedule() -> None:
    counts = Counter((entry.source, entry.schedule) for entry in cleaned()[0])
    assert counts == {
        (YELLOW, "I"): 135,
        (YELLOW, "II"): 10,
        (YELLOW, "IV"): 18,
        (GREEN, "I"): 33,
        (GREEN, "II"): 65,
        (GREEN, "III"): 9,
        (GREEN, "IV"): 69,
        (RED, "Table I"): 43,
        (RED, "Table II"): 8,
    }


# Yellow List


def test_intermediate_opiate_raw_materials_are_excluded_not_drugs() -> None:
    excluded = findings("not-a-drug", YELLOW)
    assert len(excluded) == 33
    assert {finding.value for finding in excluded} >= {"CPS (M) GW", "CPS (N) AOA", "NC021+NC032+NC042+", "+NC065"}
    names = {entry.name for entry in entries(YELLOW)}
    assert not any(name.startswith(("CPS (", "NC0", "+NC")) for name in names)


@pytest.mark.parametrize(
    ("row", "printed", "name"),
    [
        (71, "LEVOMETHORPHAN2", "LEVOMETHORPHAN"),
        (74, "LEVORPHANOL2", "LEVORPHANOL"),
        (103, "OPIUM3", "OPIUM"),
        (124, "RACEMETHORPHAN4", "RACEMETHORPHAN"),
        (126, "RACEMORPHAN4", "RACEMORPHAN"),
    ],
)
def test_footnote_digits_stuck_to_names_are_removed(row: int, printed: str, name: str) -> None:
    assert entry(YELLOW, row).name == name
    assert any(f.record == str(row) and f.value == printed for f in findings("footnote-digit", YELLOW))


@pytest.mark.parametrize("name", ["MT-45", "U-47700", "AH-7921", "2-METHYL-AP-237", "3-METHYLFENTANYL"])
def test_digits_that_belong_to_a_name_are_kept(name: str) -> None:
    assert named(YELLOW, name)


def test_na_slid_from_the_cas_column_is_removed_and_the_missing_cas_reported() -> None:
    (pyrrolidino,) = named(YELLOW, "N-PYRROLIDINO METONITAZENE")
    assert pyrrolidino.cas is None
    assert any(f.value == "N-PYRROLIDINO METONITAZENE" for f in findings("cas-missing", YELLOW))


def test_truncated_name_is_rejoined_in_schedules_i_and_iv() -> None:
    rejoined = named(YELLOW, "BETA-HYDROXY-3-METHYLFENTANYL")
    assert {entry.schedule for entry in rejoined} == {"I", "IV"}
    assert all(entry.cas == "78995-14-9" for entry in rejoined)
    assert all("METHYLFENTANYL" not in (entry.notes or "") for entry in rejoined)
    assert not named(YELLOW, "BETA-HYDROXY-3-")
    assert [f.value for f in findings("name-rejoined", YELLOW)] == ["BETA-HYDROXY-3-", "BETA-HYDROXY-3-"]


def test_merged_entry_keeps_the_first_and_reports_the_second() -> None:
    (resin,) = named(YELLOW, "CANNABIS RESIN")
    assert resin.cas == "6465-30-1"
    assert "TINCTURES" not in (resin.notes or "")
    (merged,) = findings("merged-entry", YELLOW)
    assert merged.value == "CANNABIS RESIN, EXTRACTS"
    assert "EXTRACTS TINCTURES" in merged.message
    assert not any("EXTRACTS" in entry.name for entry in entries(YELLOW))


def test_known_omissions_are_reported_never_added() -> None:
    omissions = findings("known-omission", YELLOW)
    assert {f.value for f in omissions} == {
        "COCA LEAF",
        "MORPHINE METHOBROMIDE",
        "TETRAHYDROFURANYLFENTANYL",
        "PARA-FLUOROFENTANYL",
    }
    schedule_one = {entry.name for entry in entries(YELLOW) if entry.schedule == "I"}
    assert not schedule_one & {f.value for f in omissions}
    assert [entry.schedule for entry in named(YELLOW, "PARA-FLUOROFENTANYL")] == ["IV"]
    assert "rows 194, 196" in next(f.message for f in omissions if f.value == "PARA-FLUOROFENTANYL")


@pytest.mark.parametrize("name", ["THIOFENTANYL", "VALERYLFENTANYL", "PROPIRAM"])
def test_overflowing_notes_are_cut(name: str) -> None:
    for found in named(YELLOW, name):
        assert found.notes is not None
        assert len(found.notes) <= 300
        assert "AND the" not in found.notes
    (thiofentanyl_iv,) = [e for e in named(YELLOW, "THIOFENTANYL") if e.schedule == "IV"]
    assert thiofentanyl_iv.notes == "N-[1-[2-(thienyl)ethyl]-4-piperidyl]propionanilide"
    cut = {f.record: f for f in findings("notes-overflow", YELLOW)}
    assert cut["196"].message.startswith("68025 characters")


def test_footnote_text_is_cut_from_notes() -> None:
    (morphine,) = named(YELLOW, "MORPHINE")
    assert morphine.notes == "the principal alkaloid of opium and of opium poppy"
    (etorphine_i,) = [e for e in named(YELLOW, "ETORPHINE") if e.schedule == "I"]
    assert etorphine_i.notes is not None and not etorphine_i.notes.endswith("4")


def test_synonyms_in_notes_and_the_symbol_font_sign() -> None:
    assert named(YELLOW, "ACRYLOYLFENTANYL")[0].synonyms == ("ACRYLFENTANYL",)
    assert named(YELLOW, "4-FLUOROISOBUTYRFENTANYL")[0].synonyms == ("4-FIBF", "pFIBF")
    (racemorphan,) = named(YELLOW, "RACEMORPHAN")
    assert racemorphan.chemical_name == "(±)-3-hydroxy-N-methylmorphinan"
    assert len(findings("symbol-font", YELLOW)) == 5


def test_yellow_codes_and_chemical_names() -> None:
    acetorphine = entry(YELLOW, 1)
    assert (acetorphine.name, acetorphine.code, acetorphine.cas) == ("ACETORPHINE", "NA 001", "25333-77-1")
    assert acetorphine.chemical_name == "3-O-acetyltetrahydro-7α-(1-hydroxy-1-methylbutyl)-6,14-endo-ethenooripavine"
    assert entry(YELLOW, 25).code == "NB 013"  # printed "NB013"
    assert named(YELLOW, "CROTONYLFENTANYL")[0].code == "NC 092"  # printed "NC-092"


# Green List


@pytest.mark.parametrize(
    ("row", "name", "other_names", "cas"),
    [
        (34, "AMFETAMINE", ("amphetamine",), "300-62-9"),
        (37, "5F-APINACA", ("5F-AKB-48",), "1400742-13-3"),
        (38, "5F-AMB", ("5F-AMB-PINACA",), "1801552-03-3"),
        (44, "4-CMC", ("4-chloromethcathinone", "clephedrone"), "1225843-86-6"),
        (55, "4-fluoroamphetamine", ("4-FA",), "459-02-9"),
        (56, "FUB-AMB", ("MMB-FUBINACA", "AMB-FUBINACA"), "1971007-92-7"),
        (59, "2-fluorodeschloroketamine", (), "111982-50-4"),
        (60, "gamma-HYDROXYBUTIRIC ACID", ("GHB",), "591-81-1"),
        (61, "HEXAHYDROCANNA BINOL", ("HHC",), "6692-85-9"),
        (69, "METAMFETAMINE RACEMATE", ("methamphetamine racemate",), "7632-10-2"),
        (71, "mephedrone", ("4-methylmethcathinone",), "1189805-46-6"),
        (72, "methylone", ("beta-keto-MDMA",), "186028-79-5"),
        (73, "methoxetamine", ("MXE",), "1239943-76-0"),
        (82, "N-benzyl piperazine", ("benzylpiperazine", "BZP"), "2759-28-6"),
        (90, "para-Methyl-4-methylaminorex", ("4,4’-DMAR",), "1445569-01-6"),
        (176, "ZOLPIDEM", (), "82626-48-0"),
    ],
)
def test_green_schedules_ii_to_iv_names_come_from_the_name_column(
    row: int, name: str, other_names: tuple[str, ...], cas: str
) -> None:
    found = entry(GREEN, row)
    assert (found.name, found.other_names, found.cas) == (name, other_names, cas)


def test_cas_in_the_name_column_is_reported_for_every_schedule_ii_to_iv_row() -> None:
    moved = findings("cas-in-name-column", GREEN)
    assert len(moved) == 65 + 9 + 69
    assert not [entry.name for entry in entries(GREEN) if re.fullmatch(r"[\d-]+", entry.name)]


@pytest.mark.parametrize(
    ("row", "printed", "name", "other_names"),
    [
        (18, "N-ethyl", "N-ethyl MDA", ("MDEA",)),
        (19, "N-hydroxy", "N-hydroxy MDA", ()),
        (26, "psilocine,", "psilocine", ("psilotsin",)),
        (32, "tetrahydrocannabinol,", "tetrahydrocannabinol", ()),
    ],
)
def test_split_schedule_i_names_are_rebuilt(row: int, printed: str, name: str, other_names: tuple[str, ...]) -> None:
    found = entry(GREEN, row)
    assert (found.name, found.other_names) == (name, other_names)
    assert any(f.record == str(row) and f.value == printed for f in findings("split-name", GREEN))


def test_malformed_cas_numbers_left_empty_by_the_parser() -> None:
    assert entry(GREEN, 80).cas == "72242-03-6"  # 3-MeO-PCP, printed 72242-03-06: check digit verified
    assert [f.value for f in findings("cas-repaired", GREEN)] == ["72242-03-06"]
    assert entry(GREEN, 126).name == "clonazolam"
    assert entry(GREEN, 126).cas is None  # printed 33887-0-4: a digit is missing, nothing to verify
    assert [f.value for f in findings("cas-malformed", GREEN)] == ["33887-0-4"]


def test_schedule_i_rows_have_no_cas_and_say_so() -> None:
    assert all(entry.cas is None for entry in entries(GREEN) if entry.schedule == "I")
    assert len(findings("cas-missing", GREEN)) == 33


def test_overflow_after_zolpidem_is_cut() -> None:
    zolpidem = entry(GREEN, 176)
    assert zolpidem.chemical_name == "N,N,6-trimethyl-2-p-tolylimidazo[1,2-a]pyridine-3-acetamide"
    assert zolpidem.notes is None
    cut = {f.record: f for f in findings("notes-overflow", GREEN)}
    assert int(cut["176"].message.split()[0]) > 14_000


def test_rebuilt_names_are_reported_for_review() -> None:
    rejoined = {f.value for f in findings("name-rejoined", GREEN)}
    assert {"4-methylethcathi none", "3,4-methylenedioxypyrovale rone", "HEXAHYDROCANNA BINOL"} <= rejoined
    assert [f.value for f in findings("stray-date", GREEN)] == ["1972-09-04"]


def test_isomer_list_is_not_a_chemical_name() -> None:
    assert entry(GREEN, 32).chemical_name is None
    assert [f.record for f in findings("chemical-name-list", GREEN)] == ["32"]


def test_green_inns_are_capitalised_words_only() -> None:
    assert entry(GREEN, 34).inn == "AMFETAMINE"
    assert entry(GREEN, 10).inn == "(+)-LYSERGIDE"
    assert entry(GREEN, 133).inn == "ETHYL LOFLAZEPATE"
    assert entry(GREEN, 56).inn is None  # FUB-AMB is a code
    assert entry(GREEN, 4).inn is None  # DMT is an abbreviation


def test_green_columns_rebuild_an_interleaved_row() -> None:
    columns = split_columns(
        ["mephedrone, 4- (RS)-2-methylamino-1-(4-methylphenyl)propan-", "methylmethcathinone 1-one"]
    )
    assert columns.names == ["mephedrone", "4-methylmethcathinone"]
    assert columns.chemical_name == "(RS)-2-methylamino-1-(4-methylphenyl)propan-1-one"


# Red List


def test_truncated_red_name_is_reported_not_completed() -> None:
    (truncated,) = findings("name-truncated", RED)
    assert truncated.value == "tert-Butyl 4-(phenylamino)piperidine-1-"
    assert entry(RED, 5).name == "tert-Butyl 4-(phenylamino)piperidine-1-"
    assert entry(RED, 5).cas == "125541-22-2"


def test_damaged_red_name_is_cut_and_its_synonym_recovered() -> None:
    norephedrine = entry(RED, 22)
    assert norephedrine.name == "Norephedrine"
    assert "(R*,S*)-α-(1-aminoethyl)benzenemethanol" in norephedrine.synonyms
    assert [f.value for f in findings("name-damaged", RED)] == ["Norephedrine (R*,S*)-α-"]


def test_glycidic_esters_without_cas_are_reported() -> None:
    missing = {f.value for f in findings("cas-missing", RED)}
    assert len(missing) == 12
    assert "P-2-P methyl glycidic acid, tert-butyl ester" in missing
    assert all(entry.cas is None for entry in entries(RED) if entry.name in missing)


def test_phenylacetic_acid_table_is_flagged_for_checking() -> None:
    (flag,) = findings("schedule-unverified", RED)
    assert flag.value == "Phenylacetic acid"
    assert entry(RED, 25).schedule == "Table I"


def test_red_abbreviations_and_damaged_synonyms() -> None:
    anpp = entry(RED, 3)
    assert (anpp.name, anpp.other_names) == ("4-Anilino-N-phenethylpiperidine", ("ANPP",))
    assert "benzene, methyl-" in entry(RED, 51).synonyms  # an inverted CAS index name ends in a hyphen
    dropped = {f.value for f in findings("synonym-damaged", RED)}
    assert "Ester méthylique de l’acide méthyl-" in dropped
    assert not any(synonym.startswith("glycidique de") for e in entries(RED) for synonym in e.synonyms)


def test_unresolved_defects_in_one_report() -> None:
    report = cleaned()[1]
    assert report.unresolved_counts() == {
        "cas-missing": 46,
        "known-omission": 4,
        "merged-entry": 1,
        "chemical-name-list": 1,
        "cas-malformed": 1,
        "name-truncated": 1,
        "schedule-unverified": 1,
    }
