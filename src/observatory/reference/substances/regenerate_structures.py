"""Regenerate the structure cache from the shipped source files::

    python -m observatory.reference.substances.regenerate_structures

Run it after changing a source file or upgrading RDKit; it standardises every SMILES afresh (a few seconds).
"""

from pathlib import Path

from observatory.reference.substances.sources import read_sources
from observatory.reference.substances.structure_cache import CACHE_FILE, standardise_all, write_structure_cache


def main(path: Path = CACHE_FILE) -> None:
    smiles = [record.smiles for record in read_sources().records if record.smiles]
    write_structure_cache(standardise_all(smiles, {}), path)


if __name__ == "__main__":
    main()
