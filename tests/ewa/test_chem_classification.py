"""Classifying structures: the family, UNODC group and effect of known NPS, by rule or by neighbours."""

import pytest

from observatory.ewa.chemistry import (
    Effect,
    Family,
    MatchKind,
    Method,
    NpsGroup,
    classify,
    exact_search,
    matching_definitions,
    registry_classifications,
)
from observatory.ewa.chemistry.classification import MIN_SIMILARITY
from observatory.ewa.chemistry.library import structure_library
from observatory.ewa.chemistry.rules import FamilyRule, family_rules
from observatory.ewa.chemistry.vocabulary import family_profiles

FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


@pytest.mark.parametrize(
    ("name", "smiles", "family", "group", "effect"),
    [
        ("fentanyl", FENTANYL, Family.OPIOIDS, NpsGroup.OTHER, Effect.OPIOID),
        (
            "isotonitazene",
            "CCN(CC)CCn1c(Cc2ccc(OC(C)C)cc2)nc2cc([N+](=O)[O-])ccc21",
            Family.OPIOIDS,
            NpsGroup.OTHER,
            Effect.OPIOID,
        ),
        (
            "JWH-018",
            "CCCCCn1cc(C(=O)c2cccc3ccccc23)c2ccccc21",
            Family.CANNABINOIDS,
            NpsGroup.SYNTHETIC_CANNABINOIDS,
            Effect.SCRA,
        ),
        ("mephedrone", "CNC(C)C(=O)c1ccc(C)cc1", Family.CATHINONES, NpsGroup.SYNTHETIC_CATHINONES, Effect.STIMULANT),
        (
            "mephedrone HCl",
            "CNC(C)C(=O)c1ccc(C)cc1.Cl",
            Family.CATHINONES,
            NpsGroup.SYNTHETIC_CATHINONES,
            Effect.STIMULANT,
        ),
        (
            "2C-B",
            "NCCc1cc(OC)c(Br)cc1OC",
            Family.PHENETHYLAMINES,
            NpsGroup.PHENETHYLAMINES,
            Effect.CLASSIC_HALLUCINOGEN,
        ),
        ("MDMA", "CNC(C)Cc1ccc2OCOc2c1", Family.PHENETHYLAMINES, NpsGroup.PHENETHYLAMINES, Effect.STIMULANT),
        (
            "etizolam",
            "CCc1cc2c(s1)-n1c(C)nnc1CN=C2c1ccccc1Cl",
            Family.BENZODIAZEPINES,
            NpsGroup.OTHER,
            Effect.SEDATIVE_HYPNOTIC,
        ),
        (
            "alprazolam",
            "Cc1nnc2n1-c1ccc(Cl)cc1C(c1ccccc1)=NC2",
            Family.BENZODIAZEPINES,
            NpsGroup.OTHER,
            Effect.SEDATIVE_HYPNOTIC,
        ),
        (
            "ketamine",
            "CNC1(c2ccccc2Cl)CCCCC1=O",
            Family.ARYLCYCLOHEXYLAMINES,
            NpsGroup.KETAMINE_PCP_TYPE,
            Effect.DISSOCIATIVE,
        ),
        ("DMT", "CN(C)CCc1c[nH]c2ccccc12", Family.TRYPTAMINES, NpsGroup.TRYPTAMINES, Effect.CLASSIC_HALLUCINOGEN),
        ("mCPP", "Clc1cccc(N2CCNCC2)c1", Family.PIPERAZINES, NpsGroup.PIPERAZINES, Effect.STIMULANT),
        ("MDAI", "NC1Cc2cc3c(cc2C1)OCO3", Family.AMINOINDANES, NpsGroup.AMINOINDANES, Effect.STIMULANT),
    ],
)
def test_known_substances_are_classified(
    name: str, smiles: str, family: Family, group: NpsGroup, effect: Effect
) -> None:
    result = classify(smiles)
    assert (result.family, result.nps_group, result.effect) == (family, group, effect), name
    assert result.method == Method.RULE
    assert result.rule is not None and result.rule in result.explanation
    assert 0.8 <= result.confidence <= 1.0


def test_fentanyl_is_an_opioid_and_a_fentanyl_analogue() -> None:
    assert classify(FENTANYL).family == Family.OPIOIDS
    assert [match.definition.id for match in matching_definitions(FENTANYL)] == ["fentanyl-analogue"]


@pytest.mark.parametrize("rule", family_rules().rules, ids=lambda rule: rule.id)
def test_every_rule_classifies_its_own_example(rule: FamilyRule) -> None:
    result = classify(rule.example_smiles)
    assert (result.rule, result.family, result.effect) == (rule.id, rule.family, rule.effect), rule.example_name


def test_a_new_analogue_is_classified_by_the_rule_without_being_in_the_registry() -> None:
    thienyl_isobutyryl_fluorofentanyl = "CC(C)C(=O)N(c1ccc(F)cc1)C1CCN(CCc2cccs2)CC1"
    assert not [hit for hit in exact_search(thienyl_isobutyryl_fluorofentanyl) if hit.match == MatchKind.IDENTICAL]
    result = classify(thienyl_isobutyryl_fluorofentanyl)
    assert (result.family, result.rule) == (Family.OPIOIDS, "opioid-4-anilidopiperidine")


def test_without_a_rule_the_nearest_neighbours_vote_and_are_named() -> None:
    hexylindole = "CCCCCCn1ccc2ccccc21"
    result = classify(hexylindole)
    assert result.method == Method.NEIGHBOURS
    assert result.neighbours, "the neighbours are listed"
    assert all(n.similarity >= MIN_SIMILARITY for n in result.neighbours)
    assert [n.similarity for n in result.neighbours] == sorted((n.similarity for n in result.neighbours), reverse=True)
    assert result.neighbours[0].name in result.explanation
    assert 0 < result.confidence <= result.neighbours[0].similarity


def test_a_structure_like_nothing_known_is_out_of_scope() -> None:
    result = classify("OCCO")
    assert (result.family, result.effect, result.method, result.confidence) == (None, Effect.UNKNOWN, Method.NONE, 0.0)
    assert not result.in_scope and result.scope is not None and result.scope.category == "no_family"


def test_every_registry_structure_has_a_classification() -> None:
    library = structure_library()
    classified = registry_classifications()
    assert set(classified) == {substance.id for substance in library.substances}
    assert all(0.0 <= c.confidence <= 1.0 for c in classified.values())


def test_a_registry_substance_is_never_classified_by_its_own_label() -> None:
    for substance_id, result in registry_classifications().items():
        assert substance_id not in {n.substance_id for n in result.neighbours}


def test_every_family_has_a_profile_with_one_of_the_nine_groups() -> None:
    profiles = family_profiles()
    assert set(profiles) == set(Family)
    assert len(NpsGroup) == 9
    assert {profile.nps_group for profile in profiles.values()} <= set(NpsGroup)
