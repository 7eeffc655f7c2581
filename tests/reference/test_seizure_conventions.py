"""The seizure conventions are data: each entry names a place of the WDR 7.1 hierarchy, has a status and a source,
and marks rows as a reported total or plant material."""

import csv

import pytest

from observatory.reference.drug_names import WDR_DRUGS
from observatory.reference.seizure_conventions import STATUSES, Covers, conventions, marks

TOTAL = "Cocaine (total of the above, including if unspecified/undistinguished, but excluding coca leaf and coca bush)"


@pytest.mark.parametrize(
    ("group", "subgroup", "drug", "total", "plant", "covers"),
    [
        ("Cocaine-type", "Cocaine", TOTAL, True, False, Covers.DRUG_SUBGROUP),
        ("Cocaine-type", "Cocaine", "Cocaine hydrochloride", False, False, None),
        ("Cocaine-type", "Coca-type", "Coca leaf", False, True, None),
        ("Cocaine-type", "Coca-type", "Coca bush", False, True, None),
        (
            "Cannabis-type drugs (excluding synthetic cannabinoids)",
            "Cannabis plants",
            "Cannabis plants",
            False,
            True,
            None,
        ),
        (
            "Cannabis-type drugs (excluding synthetic cannabinoids)",
            "Cannabis resin (hashish)",
            "Cannabis resin (hashish)",
            False,
            False,
            None,
        ),
        (
            'Amphetamine-type stimulants (excluding "ecstasy")',
            'Reported total ATS (excluding "ecstasy")',
            "anything",
            True,
            False,
            Covers.DRUG_GROUP,
        ),
        ("Hallucinogens", "Reported total hallucinogens", "Total hallucinogens", True, False, Covers.DRUG_GROUP),
        ("Opioids", "Opiates", "Heroin", False, False, None),
    ],
)
def test_marks(group: str, subgroup: str, drug: str, total: bool, plant: bool, covers: Covers | None) -> None:
    found = marks(group, subgroup, drug)
    assert (found.reported_total, found.plant_material, found.covers) == (total, plant, covers)


def test_every_entry_names_a_place_of_table_7_1_and_says_how_sure_it_is() -> None:
    with WDR_DRUGS.open(encoding="utf-8") as handle:
        hierarchy = [row for row in csv.DictReader(handle) if "7.1" in row["tables"].split(";")]
    for entry in conventions():
        assert entry.status in STATUSES and entry.source
        assert any(
            row["drug_group"] == entry.drug_group
            and row["drug_subgroup"] == entry.drug_subgroup
            and (not entry.drug or row["drug"] == entry.drug)
            for row in hierarchy
        ), entry
