"""The data files the substance registry is built from, shipped in ``observatory/datasets/substances``.

Their origin, owner and licence are in ``SOURCES.md`` beside them.
"""

import csv
from pathlib import Path

from observatory.datasets import DATASETS
from observatory.errors import SourceFileError

SUBSTANCE_DATA = DATASETS / "substances"
SLOVENIA_NPS = "slovenia_nfl_nps_list.json"
CFSRE_MONOGRAPHS = "cfsre_nps_discovery_monographs.json"
SWGDRUG_MONOGRAPHS = "swgdrug_monographs.json"
PSYMOL = "psymol_psychonautwiki_shulgin_smiles.csv"
DEA_CONTROLLED = "us_dea_controlled_substances_dope_2021.csv"
DEA_STREET_NAMES = "us_dea_street_names_dope_2021.csv"
CHINA_CATALOGUE = "china_controlled_substances_catalogue_2025-07.csv"
DUTCH_OPIUM_ACT = "nl_opiumwet_lists_I_II_2017.csv"
INCB_YELLOW = "incb_yellow_list.csv"
INCB_GREEN = "incb_green_list.csv"
INCB_RED = "incb_red_list.csv"
IDENTITIES_FILE = "identities.csv"


def read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file, or ``SourceFileError`` when the file or one of ``columns`` is missing."""
    if not path.is_file():
        raise SourceFileError(f"{path}: file not found", [{"file": str(path)}])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or ())]
        if missing:
            raise SourceFileError(
                f"{path}: missing column(s) {missing}; found {reader.fieldnames}",
                [{"file": str(path), "expected": list(columns), "value": reader.fieldnames}],
            )
        return [{key: value or "" for key, value in row.items() if key is not None} for row in reader]
