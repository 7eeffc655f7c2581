"""Mappings as data: written, read back, and refused with a message naming what is wrong."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.reporting.declaration import declaration
from observatory.reporting.mapping import BadMapping, FileMapping, check_mapping, parse_mapping

SEIZURES = declaration("annual-seizures")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("dataset: [unclosed", "not valid YAML at line 1"),
        ("- a list", "a mapping is a YAML object"),
        ("dataset: annual-seizures\nheader_row: 0", "header_row"),
        ("dataset: annual-seizures\ncolumnz: {}", "columnz"),
        ("dataset: annual-seizures\ncolumns: {A: country, B: country}", "several columns map to the same field"),
        ("dataset: annual-seizures\ncolumns: {A: country}\nconstants: {country: IND}", "both read from a column"),
    ],
)
def test_a_malformed_mapping_is_refused_naming_the_item(text: str, names: str) -> None:
    with pytest.raises(BadMapping, match=names) as refused:
        parse_mapping(text, "m.yaml")
    assert refused.value.code == "bad-mapping" and refused.value.status == 400


@pytest.mark.parametrize(
    ("mapping", "names"),
    [
        (FileMapping(dataset="prevalence"), "for 'prevalence', not 'annual-seizures'"),
        (FileMapping(dataset="annual-seizures", columns={"Qty": "tonnes"}), "columns.Qty names the field 'tonnes'"),
        (
            FileMapping(dataset="annual-seizures", values={"country": {"Narnia": "Narnia"}}),
            "maps 'Narnia' to 'Narnia' for country, which is not in its vocabulary",
        ),
        (
            FileMapping(dataset="annual-seizures", values={"drug": {"Ganja": "Moon dust"}}),
            "maps 'Ganja' to 'Moon dust' for drug",
        ),
    ],
)
def test_a_mapping_that_does_not_fit_the_data_set_is_refused(mapping: FileMapping, names: str) -> None:
    with pytest.raises(BadMapping, match=names):
        check_mapping(mapping, SEIZURES)


def test_a_value_map_to_a_known_code_passes() -> None:
    check_mapping(FileMapping(dataset="annual-seizures", values={"country": {"Ivory Coast": "CIV"}}), SEIZURES)


headings = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)


@given(
    columns=st.dictionaries(headings, st.sampled_from(["country", "year", "drug", "kilograms"]), max_size=4),
    missing=st.lists(headings, max_size=3, unique=True),
    header_row=st.integers(1, 1000),
)
def test_a_mapping_reads_back_as_written(columns: dict[str, str], missing: list[str], header_row: int) -> None:
    targets = list(columns.values())
    if len(set(targets)) != len(targets):
        return
    mapping = FileMapping(dataset="annual-seizures", columns=columns, missing=tuple(missing), header_row=header_row)
    assert parse_mapping(mapping.to_yaml()) == mapping
