"""How a caller names the mapping to read a file with: ``auto`` (the certain part of the platform's proposal),
``saved`` (the latest version kept for this data set and country), or a mapping written out (YAML or JSON)."""

from sqlalchemy import Engine

from observatory.reporting.declaration import declaration
from observatory.reporting.mapping.model import BadMapping, FileMapping, parse_mapping
from observatory.reporting.mapping.saved import latest_mapping
from observatory.reporting.mapping.suggest import suggest_mapping

AUTO, SAVED = "auto", "saved"


def chosen_mapping(
    engine: Engine, spec: str | None, data: bytes, name: str, dataset: str, country: str | None
) -> FileMapping | None:
    """The mapping ``spec`` names for ``data`` (``None``: read with the declared layouts)."""
    if spec is None or not spec.strip():
        return None
    if spec.strip() == AUTO:
        return suggest_mapping(data, name, declaration(dataset), country).mapping
    if spec.strip() == SAVED:
        saved = latest_mapping(engine, dataset, country)
        if saved is None:
            raise BadMapping(
                f"no mapping is saved for {dataset} ({country or 'several countries'}): use 'auto' or give one",
                [{"dataset": dataset, "country": country}],
            )
        return saved.mapping
    return parse_mapping(spec)
