"""The registry built from every source: one substance per compound, found by any of its names or identifiers."""

from collections import Counter
from datetime import date

import pytest

from observatory.errors import BadInput, Conflict
from observatory.reference.substances import (
    SourceRef,
    Substance,
    SubstanceRegistry,
    build_registry,
    substance_registry,
)
from observatory.reference.substances.lookup import NameIndex
from observatory.reference.substances.records import (
    CHINA,
    NETHERLANDS,
    PSYCHOTROPIC_CONVENTION,
    SINGLE_CONVENTION,
    US_CSA,
)
from observatory.reference.substances.substance import display_case

MDMA = "SHXWCVYOXRDMCX-UHFFFAOYSA-N"
MEPHEDRONE = "YELGFTGWJGBAQU-UHFFFAOYSA-N"


@pytest.fixture(scope="module")
def registry() -> SubstanceRegistry:
    return substance_registry()


def test_mdma_from_several_sources_is_one_substance_with_all_its_names(registry: SubstanceRegistry) -> None:
    mdma = registry.find("MDMA")
    assert mdma.id == MDMA
    assert {ref.source for ref in mdma.sources} >= {
        "incb-green",
        "china",
        "dea-controlled",
        "nl-opiumwet",
        "swgdrug",
        "psymol",
    }
    for name in (
        "MDMA",
        "3,4-Methylenedioxymethamphetamine",  # DEA
        "Ecstasy",  # DEA synonym
        "(±)-N,alpha-dimethyl-3,4-(methylene-dioxy)phenethylamine",  # China
        "3,4-methyleendioxymethamfetamine",  # Dutch
        "二亚甲基双氧安非他明",  # Chinese
        MDMA,
        "42542-10-9",
        "CNC(C)Cc1ccc2OCOc2c1.Cl",
    ):
        assert registry.find(name) is mdma, name
    assert [s.id for s in registry.substances if s.inchikey == MDMA] == [MDMA]
    assert {fact.regime for fact in mdma.controls} == {PSYCHOTROPIC_CONVENTION, CHINA, US_CSA, NETHERLANDS}
    assert "Adam" in mdma.street_names


@pytest.mark.parametrize(
    "query", ["mephedrone", "Mephedrone", "4-MMC", "4-methylmethcathinone", "1189805-46-6", "4-MMC hydrochloride"]
)
def test_mephedrone_by_name_code_and_cas(registry: SubstanceRegistry, query: str) -> None:
    assert registry.find(query).id == MEPHEDRONE


def test_mephedrone_record(registry: SubstanceRegistry) -> None:
    mephedrone = registry.find("mephedrone")
    assert mephedrone.preferred_name == "Mephedrone"
    assert mephedrone.cas == ("1189805-46-6",)  # China's 5650-44-2 is methcathinone's: reported, not added
    assert mephedrone.first_identified == date(2012, 2, 2)  # Slovenian NFL
    schedules = {(fact.regime, fact.schedule) for fact in mephedrone.controls}
    assert (PSYCHOTROPIC_CONVENTION, "Schedule II") in schedules
    assert (US_CSA, "Schedule I") in schedules
    (conflict,) = [
        f for f in registry.report.with_code("cas-disagrees-with-names") if f.value == "4-Methylmethcathinone"
    ]
    assert conflict.record.startswith("china:")


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("cocaine hydrochloride", "cocaine"),
        ("Cocaine HCl", "cocaine"),
        ("crack cocaine", "cocaine"),
        ("cocaïne", "cocaine"),
        ("COCAINE", "cocaine"),
        ("50-36-2", "cocaine"),
        ("amphetamine", "amfetamine"),
        ("amphetamine sulfate", "amfetamine"),
        ("methamphetamine hydrochloride", "metamfetamine"),
        ("morfine", "morphine"),
        ("diacetylmorphine", "heroin"),
        ("fentanyl citrate", "fentanyl"),
        ("α-PVP", "alpha-PVP"),
        ("LSD", "lysergide"),
        ("LSD-25", "(+)-lysergide"),
        ("GHB", "gamma-hydroxybutyric acid"),
        ("sodium oxybate", "GHB"),
        ("Ketamine hydrochloride", "ketamine"),
    ],
)
def test_names_salt_forms_and_spellings_resolve(registry: SubstanceRegistry, query: str, same_as: str) -> None:
    assert registry.find(query) is registry.find(same_as)


def test_green_list_abbreviation_joins_the_substance_its_chemical_name_describes(registry: SubstanceRegistry) -> None:
    dma = registry.find("DMA")
    assert dma.id == "LATVFYDIBMDBSY-UHFFFAOYSA-N"  # 2,5-dimethoxyamphetamine, not dimethylamphetamine
    assert any(fact.regime == PSYCHOTROPIC_CONVENTION for fact in dma.controls)
    assert registry.find("dimethylamphetamine") is not dma


def test_enantiomers_stay_apart(registry: SubstanceRegistry) -> None:
    found = {registry.find(name).id for name in ("amfetamine", "dexamfetamine", "levamfetamine")}
    assert len(found) == 3
    assert registry.find("levmetamfetamine") is not registry.find("metamfetamine")


def test_preferred_name_is_the_incb_name_else_the_most_common(registry: SubstanceRegistry) -> None:
    assert registry.find("methamphetamine").preferred_name == "Metamfetamine"  # the INN, from the Green List
    assert registry.find("cocaine").preferred_name == "Cocaine"
    assert registry.find("acetorphine").preferred_name == "Acetorphine"  # Yellow List, in capitals there
    assert registry.find("acetorphine").inn is None
    assert registry.find("amphetamine").inn == "Amfetamine"
    assert registry.find("AB-FUBINACA").preferred_name == "AB-FUBINACA"  # a code in capitals stays so
    assert registry.find("concentrate of poppy straw").preferred_name == "Concentrate of poppy straw"


@pytest.mark.parametrize(
    ("printed", "written"),
    [
        ("ACETYL-ALPHA-METHYLFENTANYL", "Acetyl-alpha-methylfentanyl"),
        ("2-METHYL-AP-237", "2-methyl-AP-237"),
        ("CONCENTRATE OF POPPY STRAW", "Concentrate of poppy straw"),
        ("PETHIDINE INTERMEDIATE A", "Pethidine intermediate A"),
        ("(+)-LYSERGIDE", "(+)-lysergide"),
        ("gamma-HYDROXYBUTIRIC ACID", "Gamma-hydroxybutiric acid"),
        ("MDMA", "MDMA"),
        ("PEPAP", "PEPAP"),
        ("MT-45", "MT-45"),
    ],
)
def test_incb_capitals_are_recased(printed: str, written: str) -> None:
    assert display_case(printed) == written


def test_a_list_entry_joins_its_structure_despite_a_salt_cas_number(registry: SubstanceRegistry) -> None:
    pma = registry.find("PMA")
    assert pma.structure is not None
    assert {"64-13-1", "23239-32-9"} <= set(pma.cas)  # China's base, SWGDRUG's hydrochloride
    assert any(fact.regime == CHINA for fact in pma.controls)


def test_control_facts_carry_dates_and_codes(registry: SubstanceRegistry) -> None:
    acryloylfentanyl = registry.find("acryloylfentanyl")
    facts = {fact.regime: fact for fact in acryloylfentanyl.controls}
    assert facts[CHINA].effective == date(2017, 3, 1)
    assert facts[SINGLE_CONVENTION].code == "NA 020"
    assert facts[SINGLE_CONVENTION].edition == "Yellow List, 64th edition"
    heroin = registry.find("heroin")
    assert {fact.schedule for fact in heroin.controls if fact.regime == SINGLE_CONVENTION} == {
        "Schedule I",
        "Schedule IV",
    }
    dea = next(fact for fact in heroin.controls if fact.regime == US_CSA)
    assert (dea.schedule, dea.code) == ("Schedule I", "9200")


def test_find_by_inchikey_and_smiles(registry: SubstanceRegistry) -> None:
    assert registry.find(MDMA.lower()).id == MDMA
    assert registry.find("CNC(C)C(=O)c1ccc(C)cc1").id == MEPHEDRONE
    assert registry.find("CNC(C)C(=O)c1ccc(C)cc1.Cl").id == MEPHEDRONE


def test_unknown_name_names_the_three_closest(registry: SubstanceRegistry) -> None:
    with pytest.raises(BadInput) as raised:
        registry.find("mefedrone x")
    closest = raised.value.details[0]["closest"]
    assert len(closest) == 3
    assert "mefedrone x" in raised.value.message
    assert all(name in raised.value.message for name in closest)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("42542-10-8", "check digit"),  # MDMA's CAS with a wrong check digit
        ("33887-0-4", "not of the form"),
        ("50-00-0", "no substance has the CAS number 50-00-0"),  # formaldehyde: valid, not controlled
        ("AAAAAAAAAAAAAA-BBBBBBBBBB-N", "no substance has the InChIKey"),
        ("C1CC(", "closest names"),  # not a SMILES RDKit can read, not a name
        ("   ", "required"),
    ],
)
def test_bad_queries_are_bad_input(registry: SubstanceRegistry, query: str, message: str) -> None:
    with pytest.raises(BadInput) as raised:
        registry.find(query)
    assert message in raised.value.message


def test_get_by_identifier(registry: SubstanceRegistry) -> None:
    assert registry.get(MDMA).preferred_name == "MDMA"
    assert registry.get("CAS-25333-77-1").preferred_name == "Acetorphine"
    with pytest.raises(BadInput):
        registry.get("no-such-id")


def test_identifiers_are_unique_and_every_record_is_in_one_substance(registry: SubstanceRegistry) -> None:
    ids = [substance.id for substance in registry.substances]
    assert len(ids) == len(set(ids))
    refs = Counter(ref for substance in registry.substances for ref in substance.sources)
    assert set(refs) == set(registry.records)
    assert max(refs.values()) == 1


def test_counts(registry: SubstanceRegistry) -> None:
    assert len(registry.records) == 3882  # 3,881 source records and one row of identities.csv
    assert 2000 <= len(registry) <= 2200
    with_structure = sum(substance.structure is not None for substance in registry.substances)
    assert with_structure > 1400


def test_street_names_attach_to_the_substance_their_category_names(registry: SubstanceRegistry) -> None:
    assert "Bennies" in registry.find("amphetamine").street_names
    assert "Angel Dust" in registry.find("phencyclidine").street_names
    assert "Special K" in registry.find("ketamine").street_names
    assert "Bars" in registry.find("alprazolam").street_names  # category "Alprazolam", brand Xanax
    unplaced = {finding.record for finding in registry.report.with_code("street-names-unplaced")}
    assert {"Synthetic Cannabinoids", "Synthetic Cathinones", "Mushrooms"} <= unplaced


def test_a_synonym_that_is_another_substance_name_is_not_kept(registry: SubstanceRegistry) -> None:
    pentylone = registry.find("pentylone")
    assert "eutylone" not in {name.casefold() for name in pentylone.synonyms}  # DEA lists it under pentylone
    assert registry.find("eutylone") is not pentylone


def test_merge_conflicts_are_reported(registry: SubstanceRegistry) -> None:
    unresolved = registry.report.unresolved_counts()
    assert unresolved["cas-conflict"] > 0
    assert unresolved["cas-shared"] > 0
    cas_conflicts = {finding.record: finding.value for finding in registry.report.with_code("cas-conflict")}
    assert cas_conflicts["PHFAGYYTDLITTB-UHFFFAOYSA-N"] == "111982-49-1, 111982-50-4"  # 2-FDCK: SWGDRUG vs CFSRE


def test_stereo_forms_without_and_with_stereochemistry_are_one_substance(registry: SubstanceRegistry) -> None:
    cathinone = registry.find("cathinone")
    assert cathinone.structure is not None
    assert {cathinone.structure.inchikey, *cathinone.other_inchikeys} == {
        "PUAQLLVFLMYYJJ-UHFFFAOYSA-N",
        "PUAQLLVFLMYYJJ-ZETCQYMHSA-N",
    }
    assert registry.find("PUAQLLVFLMYYJJ-UHFFFAOYSA-N") is cathinone


def test_records_keep_their_provenance(registry: SubstanceRegistry) -> None:
    acetorphine = registry.find("acetorphine")
    assert SourceRef("incb-yellow", "1") in acetorphine.sources
    assert registry.records[SourceRef("incb-yellow", "1")].name == "ACETORPHINE"


def test_ambiguous_name_is_a_conflict() -> None:
    twins = [_substance("A", "Psilocin"), _substance("B", "Psilocin")]
    with pytest.raises(Conflict) as raised:
        NameIndex(twins).find("psilocin")
    assert [candidate["id"] for candidate in raised.value.details] == ["A", "B"]


def test_building_from_scratch_gives_the_cached_registry() -> None:
    assert [substance.id for substance in build_registry().substances] == [
        substance.id for substance in substance_registry().substances
    ]


def _substance(identifier: str, name: str) -> Substance:
    return Substance(
        id=identifier,
        preferred_name=name,
        synonyms=(),
        street_names=(),
        inn=None,
        cas=(),
        related_cas=(),
        structure=None,
        other_inchikeys=(),
        iupac_names=(),
        categories=(),
        sources=(SourceRef("test", identifier),),
        controls=(),
        first_identified=None,
    )


def test_a_listed_name_and_its_structure_are_one_entry(registry: SubstanceRegistry) -> None:
    mdoh, listed = registry.find("MDOH"), registry.find("N-hydroxy MDA")
    assert mdoh.id == listed.id and mdoh.structure is not None
    assert ("1971 Convention", "Schedule I") in {(fact.regime, fact.schedule) for fact in mdoh.controls}


def test_an_entry_without_structure_joins_the_structure_that_shares_its_name(registry: SubstanceRegistry) -> None:
    tfmpp = registry.find("TFMPP")
    assert (
        tfmpp.structure is not None
        and "15532-75-9" in tfmpp.cas
        and {"china", "swgdrug"} <= {ref.source for ref in tfmpp.sources}
    )
    joined = registry.report.with_code("joined-by-shared-name")
    assert any("china:375" in finding.record for finding in joined)
    assert registry.report.with_code("name-shared-by-structures"), "shared names are reported, never merged silently"
