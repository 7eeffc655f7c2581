"""The shipped source files, their provenance notes and the structure cache."""

import csv
import hashlib
import json
from pathlib import Path

import pytest

from observatory.errors import BadInput
from observatory.reference.substances import substance_registry
from observatory.reference.substances.regenerate_structures import main
from observatory.reference.substances.source_files import SUBSTANCE_DATA
from observatory.reference.substances.sources import read_sources
from observatory.reference.substances.structure import standardisation_method, standardise
from observatory.reference.substances.structure_cache import (
    CACHE_FILE,
    load_structure_cache,
    standardise_all,
    write_structure_cache,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
COPIES = {
    "slovenia_nfl_nps_list.json": "nps",
    "cfsre_nps_discovery_monographs.json": "nps",
    "swgdrug_monographs.json": "nps",
    "psymol_psychonautwiki_shulgin_smiles.csv": "nps",
    "us_dea_controlled_substances_dope_2021.csv": "controlled_substances",
    "us_dea_street_names_dope_2021.csv": "controlled_substances",
    "china_controlled_substances_catalogue_2025-07.csv": "controlled_substances",
    "nl_opiumwet_lists_I_II_2017.csv": "controlled_substances",
    "incb_yellow_list.csv": "controlled_substances",
    "incb_green_list.csv": "controlled_substances",
    "incb_red_list.csv": "controlled_substances",
}
NON_COMMERCIAL = "designer_drugs_uncontrolled_in_china_with_smiles_2026.csv"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data collection is not beside the repository")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_folder_holds_the_copies_the_notes_and_the_cache_only() -> None:
    shipped = {path.name for path in SUBSTANCE_DATA.iterdir()}
    assert shipped == {*COPIES, "SOURCES.md", CACHE_FILE.name, "identities.csv"}


def test_the_non_commercial_list_is_not_shipped() -> None:
    assert not (SUBSTANCE_DATA / NON_COMMERCIAL).exists()
    assert NON_COMMERCIAL in (SUBSTANCE_DATA / "SOURCES.md").read_text(encoding="utf-8")


def test_sources_md_gives_origin_and_licence_of_every_file() -> None:
    notes = (SUBSTANCE_DATA / "SOURCES.md").read_text(encoding="utf-8")
    for name, folder in COPIES.items():
        row = next(line for line in notes.splitlines() if line.startswith(f"| `{name}`"))
        assert f"`{folder}/{name}`" in row
        assert " @ " in row or "same repository" in row


@needs_shared
@pytest.mark.parametrize(("name", "folder"), sorted(COPIES.items()))
def test_copies_are_byte_identical_to_the_collection(name: str, folder: str) -> None:
    assert _digest(SUBSTANCE_DATA / name) == _digest(SHARED / folder / name)


def test_structure_cache_matches_this_rdkit_and_covers_every_smiles() -> None:
    content = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
    assert content["method"] == standardisation_method()
    cache = load_structure_cache()
    smiles = {record.smiles for record in read_sources().records if record.smiles}
    assert smiles <= set(cache)


def test_the_shipped_cache_is_what_regeneration_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "structures.json"
    main(fresh)
    assert fresh.read_bytes() == CACHE_FILE.read_bytes()


def test_a_cache_of_another_method_is_ignored(tmp_path: Path) -> None:
    stale = tmp_path / "structures.json"
    stale.write_text(json.dumps({"method": "rdkit 0.0: other", "structures": {"C": {"error": "x"}}}), encoding="utf-8")
    assert load_structure_cache(stale) == {}
    assert load_structure_cache(tmp_path / "absent.json") == {}


def test_cache_round_trip_keeps_failures(tmp_path: Path) -> None:
    path = tmp_path / "structures.json"
    outcomes = standardise_all(["CCO", "C1CC("], {})
    assert isinstance(outcomes["C1CC("], BadInput)
    write_structure_cache(outcomes, path)
    loaded = load_structure_cache(path)
    assert loaded["CCO"] == standardise("CCO")
    reloaded = loaded["C1CC("]
    assert isinstance(reloaded, BadInput) and "C1CC(" in reloaded.message


@needs_shared
def test_structures_of_an_independent_list_resolve_through_the_registry() -> None:
    """The CC BY-NC-SA designer-drug list is read from the collection, never shipped."""
    path = SHARED / "nps" / NON_COMMERCIAL
    if not path.is_file():
        pytest.skip("the designer-drug list is not in the collection")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    registry = substance_registry()
    found = []
    for row in rows:
        try:
            found.append(registry.find(standardise(row["smiles"]).inchikey))
        except BadInput:
            continue
    assert len(rows) == 334
    assert len({substance.id for substance in found}) >= 120
