"""Readers of the source lists into substance records."""

from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from observatory.errors import SourceFileError
from observatory.reference.substances.records import US_CSA, SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import SUBSTANCE_DATA, read_csv
from observatory.reference.substances.sources import SourceBatch, read_sources
from observatory.reference.substances.sources.dea_names import split_dea_substance
from observatory.reference.substances.sources.nps_monographs import SWGDRUG, read_nps_monographs


@cache
def batch() -> SourceBatch:
    return read_sources()


def records(source: str) -> list[SubstanceRecord]:
    return [record for record in batch().records if record.source == source]


def record(source: str, name: str) -> SubstanceRecord:
    return next(record for record in records(source) if record.name == name)


def test_records_read_per_source() -> None:
    assert Counter(record.source for record in batch().records) == {
        "incb-yellow": 163,
        "incb-green": 176,
        "incb-red": 51,
        "china": 502,  # 512 rows less 10 rows of zeros
        "dea-controlled": 374,  # 732 rows of 374 substances
        "nl-opiumwet": 441,
        "slovenia-nfl": 1002,
        "cfsre": 149,  # one record has no name
        "swgdrug": 523,
        "psymol": 500,
        "identities": 1,  # identities.csv: a name and its structure no single source links
    }
    assert sum(len(group.names) for group in batch().street_names) == 1731


def test_slovenian_dates_are_first_identification() -> None:
    mephedrone = next(r for r in records("slovenia-nfl") if r.name in ("4-MMC", "Mephedrone", "mephedrone"))
    assert mephedrone.first_identified == date(2012, 2, 2)
    assert all(r.published is None for r in records("slovenia-nfl"))
    assert sum(r.first_identified is not None for r in records("slovenia-nfl")) == 1002


def test_swgdrug_main_name_is_the_monograph_and_junk_names_are_dropped() -> None:
    cinnamoyl = record(SWGDRUG, "trans-cinnamoylcocaine")
    assert "N/A" not in cinnamoyl.synonyms
    diazepam = record(SWGDRUG, "DIAZEPAM")  # its names list brand names first
    assert {"Alupram", "Valium"} & set(diazepam.synonyms)
    junk = {f.value for f in batch().report.with_code("name-junk")}
    assert {"N/A", "NA", "Not Available", "None", "A01"} <= junk
    spaced = {f.value for f in batch().report.with_code("name-letter-spaced")}
    assert "N o t D e t e rmined" in spaced


def test_swgdrug_dates_that_cannot_be_read_are_reported() -> None:
    unreadable = {f.value for f in batch().report.with_code("date-unparseable") if f.source == SWGDRUG}
    assert "14-07-14T00:00:00Z" in unreadable
    assert "2013-0920T00:00:00Z" in unreadable


def test_plant_materials_lose_their_constituent_structure() -> None:
    opium = record(SWGDRUG, "OPIUM")
    assert opium.smiles is None and opium.cas == ()
    assert opium.related_cas == ("76-57-3",)  # codeine's
    marijuana = record(SWGDRUG, "MARIJUANA")
    assert marijuana.smiles is None and marijuana.cas == ("8063-14-7",)  # labelled with its own name
    assert {f.record for f in batch().report.with_code("plant-material-structure")} == {
        record(SWGDRUG, name).record_id for name in ("OPIUM", "MARIJUANA", "KHAT", "PEYOTE")
    }


def test_cfsre_name_lists_are_split() -> None:
    chloro_pcp = next(r for r in records("cfsre") if r.name == "Cl-PCP")
    assert {"3-Chloro Phencyclidine", "4Cl-PCP"} <= set(chloro_pcp.synonyms)
    assert not any("NPS Discovery" in name for r in records("cfsre") for name in r.all_names)


def test_psymol_inchi_column_is_an_inchikey() -> None:
    aem = record("psymol", "AEM")
    assert aem.inchikey == "DCYONQVUAUEKAJ-UHFFFAOYSA-N"
    assert aem.smiles == "CCC(N)Cc1cc(OC)c(OC)c(OC)c1"


def test_dea_entry_with_code_schedule_and_narcotic_flag() -> None:
    heroin = record("dea-controlled", "Heroin")
    (fact,) = heroin.controls
    assert (fact.regime, fact.schedule, fact.code, fact.note) == (US_CSA, "Schedule I", "9200", "narcotic")
    assert heroin.synonyms == ("Diacetylmorphine", "diamorphine")


def test_dea_noisy_synonyms() -> None:
    two_cb = record("dea-controlled", "4-Bromo-2,5-dimethoxyphenethylamine")
    assert "MDMA" not in two_cb.synonyms  # listed under MDMA first: kept there only
    assert "MDMA" in record("dea-controlled", "3,4-Methylenedioxymethamphetamine").synonyms
    assert "China White" not in record("dea-controlled", "Alpha-methylfentanyl").synonyms
    assert 'Constituent of "Khat" plant' not in record("dea-controlled", "Cathine").synonyms
    assert "3-methylethcathinone (3-MEC)" not in record("dea-controlled", "4-Methyl-N-ethylcathinone").synonyms
    codes = batch().report.fixed_counts()
    assert (codes["dea-synonym-shared"], codes["dea-synonym-description"], codes["dea-synonym-analogue"]) == (
        45,
        14,
        14,
    )


def test_dea_preparations_are_control_facts_of_the_base_substance() -> None:
    codeine = [r for r in records("dea-controlled") if r.name == "Codeine"]
    schedules = sorted(r.controls[0].schedule for r in codeine)
    assert schedules == ["Schedule II", "Schedule III", "Schedule III", "Schedule V"]
    notes = {r.controls[0].note for r in codeine}
    assert "narcotic; preparation: Codeine combination product 90 mg/du" in notes
    assert all(not r.synonyms for r in codeine if "preparation" in (r.controls[0].note or ""))  # brands dropped


@pytest.mark.parametrize(
    ("text", "names", "chemical_names"),
    [
        ("Mephedrone (4-Methyl-N-methylcathinone)", ("Mephedrone", "4-Methyl-N-methylcathinone"), ()),
        (
            "JWH-018 (also known as AM678) (1-Pentyl-3-(1-naphthoyl)indole)",
            ("JWH-018", "AM678", "1-Pentyl-3-(1-naphthoyl)indole"),
            (),
        ),
        (
            "APINACA and AKB48 N-(1-Adamantyl)-1-pentyl-1H-indazole-3-carboxamide",
            ("APINACA", "AKB48"),
            ("N-(1-Adamantyl)-1-pentyl-1H-indazole-3-carboxamide",),
        ),
        (
            "Cenobamate [(1R)-1-(2-chlorophenyl)-2-(tetrazol-2-yl)ethyl]carbamate",
            ("Cenobamate",),
            ("[(1R)-1-(2-chlorophenyl)-2-(tetrazol-2-yl)ethyl]carbamate",),
        ),
        ("4-Methylaminorex (cis isomer)", ("4-Methylaminorex",), ()),
        (
            "2-(4-Isopropylthio)-2,5-dimethoxyphenyl) ethanamine(2C-T-4 )",
            ("2-(4-Isopropylthio)-2,5-dimethoxyphenyl) ethanamine", "2C-T-4"),
            (),
        ),
    ],
)
def test_dea_substance_column_split(text: str, names: tuple[str, ...], chemical_names: tuple[str, ...]) -> None:
    split = split_dea_substance(text)
    assert (split.names, split.chemical_names) == (names, chemical_names)


def test_china_lists_dates_and_remarks() -> None:
    assert len(batch().report.with_code("placeholder-row")) == 10
    acryl = next(r for r in records("china") if "82003-75-6" in r.cas)
    (fact,) = acryl.controls
    assert (fact.schedule, fact.effective) == (
        "Non-medical narcotic & psychotropic supplementary list",
        date(2017, 3, 1),
    )
    mescaline = next(r for r in records("china") if r.name == "Mescaline")
    assert mescaline.cas == ("54-04-6",)  # printed "54-04--6"
    methcathinone = next(r for r in records("china") if r.name == "Methcathinone")
    assert methcathinone.cas == () and "5650-44-2" in methcathinone.related_cas  # labelled 右旋体
    thc = next(r for r in records("china") if r.name == "Tetrahydrocannabinol")
    assert thc.controls[0].note == "包括同分异构体及其立体化学变体"
    acetorphine = next(r for r in records("china") if r.name == "Acetorphine")
    assert acetorphine.controls[0].effective is None
    assert acetorphine.controls[0].edition == "2013 edition: 一、《麻醉药品品种目录》（2013年版）【121种】"
    assert "2017年3月1日起施行" in (acryl.controls[0].edition or "")


def test_dutch_names_and_descriptions() -> None:
    doet = next(r for r in records("nl-opiumwet") if "DOET" in r.names)
    assert doet.names == ("2,5-dimethoxy-4-ethylamfetamine", "DOET")
    poppy_straw = record("nl-opiumwet", "bolkaf")
    assert (poppy_straw.controls[0].note or "").startswith("alle delen van de plant")
    assert poppy_straw.iupac_names == ()


def test_missing_column_is_a_source_file_error(tmp_path: Path) -> None:
    path = tmp_path / "psymol.csv"
    path.write_text("name,smiles\nMDMA,CNC(C)Cc1ccc2OCOc2c1\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as raised:
        read_csv(path, ("name", "smiles", "inchi"))
    assert "inchi" in raised.value.message


def test_missing_file_and_bad_json_are_source_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError):
        read_csv(tmp_path / "absent.csv", ("name",))
    broken = tmp_path / "broken.json"
    broken.write_text('{"names": ["not a list of records"]}', encoding="utf-8")
    with pytest.raises(SourceFileError):
        read_nps_monographs(broken, SWGDRUG, Report())


def test_read_sources_reads_only_the_shipped_folder() -> None:
    assert SUBSTANCE_DATA.name == "substances"
    assert SUBSTANCE_DATA.parent.name == "datasets"
