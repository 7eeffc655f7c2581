"""The Early Warning Advisory's chemistry data files, shipped in ``observatory/datasets/ewa``.

Each is a TOML file whose comments document every entry: ``families.toml`` (families, their UNODC group and
effect), ``family_rules.toml`` (SMARTS per family), ``source_categories.toml`` (source labels mapped to
families) and ``generic_definitions.toml`` (legal generic definitions as cores).
"""

import tomllib
from pathlib import Path
from typing import Any

from observatory.datasets import DATASETS
from observatory.errors import SourceFileError

EWA_DATA = DATASETS / "ewa"
FAMILIES = EWA_DATA / "families.toml"
FAMILY_RULES = EWA_DATA / "family_rules.toml"
SOURCE_CATEGORIES = EWA_DATA / "source_categories.toml"
GENERIC_DEFINITIONS = EWA_DATA / "generic_definitions.toml"


def read_toml(path: Path) -> dict[str, Any]:
    """The content of a TOML data file, or ``SourceFileError`` naming the file and what is wrong."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise SourceFileError(f"{path}: cannot be read ({error})", [{"file": str(path)}]) from error
    except tomllib.TOMLDecodeError as error:
        raise SourceFileError(f"{path}: not valid TOML ({error})", [{"file": str(path)}]) from error


def entry_error(path: Path, where: str, message: str) -> SourceFileError:
    """The error of one entry of a data file: ``where`` names it (a rule id, a table key)."""
    return SourceFileError(f"{path.name}: {where}: {message}", [{"file": str(path), "entry": where}])
