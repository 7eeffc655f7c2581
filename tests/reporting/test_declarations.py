from pathlib import Path

import pytest

from observatory.reporting.declaration import (
    DATASETS_DIR,
    DeclarationError,
    RuleKind,
    UnknownDataset,
    ValueType,
    declaration,
    declarations,
    load_declaration,
)
from observatory.reporting.readers.layouts import TableLayout, WideLayout

EXPECTED = {
    "annual-seizures",
    "cultivation",
    "drug-deaths",
    "drug-prices",
    "drug-purity",
    "expert-trends",
    "individual-seizures",
    "prevalence",
    "pwid",
    "treatment",
}

MINIMAL = """\
id: {id}
title: Minimal
dimensions:
  - {{id: country, title: Country, type: text, vocabulary: country, required: true}}
  - {{id: year, title: Year, type: year}}
elements:
  - {{id: amount, title: Amount, type: number, unit: kg, min: 0}}
"""


def write(tmp_path: Path, text: str, name: str = "minimal") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.format(id=name) if "{id}" in text else text, encoding="utf-8")
    return path


def test_every_data_set_of_the_issue_is_declared() -> None:
    assert set(declarations()) == EXPECTED
    assert {path.stem for path in DATASETS_DIR.glob("*.yaml")} == EXPECTED


@pytest.mark.parametrize("dataset", sorted(EXPECTED))
def test_each_declaration_is_complete(dataset: str) -> None:
    found = declaration(dataset)
    assert found.id == dataset and found.title and found.dimensions and found.elements
    assert any(field.vocabulary is not None for field in found.dimensions), "every data set is by place"
    template = found.template()
    assert set(template.columns.values()) == {field.id for field in found.all_fields()}
    assert found.all_layouts()[-1] == template


def test_the_wdr_layouts_are_declared_as_data() -> None:
    prevalence = {layout.id: layout for layout in declaration("prevalence").layouts}
    assert isinstance(nps := prevalence["wdr-1.2-nps"], TableLayout) and nps.header_rows == (3, 4)
    assert nps.groups is not None and set(nps.groups.groups.values()) == {"lifetime", "past-year", "past-month"}
    assert "Tranquillizers and sedatives" in (prevalence["wdr-1.2-sedatives"].sheets or {})
    assert sum(len(layout.sheets or {}) for layout in prevalence.values()) == 10
    cultivation = {layout.id: layout for layout in declaration("cultivation").layouts}
    assert all(isinstance(layout, WideLayout) for layout in cultivation.values())
    trends = declaration("expert-trends").field("overall")
    assert trends.type is ValueType.ORDINAL and trends.levels[0].startswith("Large decrease")
    kinds = {rule.kind for dataset in EXPECTED for rule in declaration(dataset).rules}
    assert {RuleKind.ORDER, RuleKind.TOTAL_WITHIN_PARTS, RuleKind.PARTS_WITHIN_TOTAL, RuleKind.COMPULSORY_PAIR} <= kinds
    assert any(rule.kind is RuleKind.RANGE and rule.when for rule in declaration("drug-purity").rules)


def test_a_minimal_declaration_loads(tmp_path: Path) -> None:
    loaded = load_declaration(write(tmp_path, MINIMAL))
    assert loaded.id == "minimal" and loaded.missing_values == {"": "not-available"}


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        (("type: number, unit: kg", "type: numbr, unit: kg"), "elements[0].type", "Input should be"),
        (("min: 0", "min: 0, colour: red"), "elements[0].colour", "Extra inputs are not permitted"),
        (("unit: kg", "unit: furlong"), "elements[0].unit", "unknown unit 'furlong'"),
        (("type: year}", "type: ordinal}"), "dimensions[1]", "at least two levels"),
        (("type: text, vocabulary", "type: number, vocabulary"), "dimensions[0]", "text fields only"),
        (("id: amount", "id: Amount!"), "elements[0].id", "should match pattern"),
        (("title: Minimal", "title: Minimal\nuniqueness: {key: [drug]}"), "", "names the field 'drug'"),
        (
            ("title: Minimal", "title: Minimal\nrules: [{id: r, kind: order, fields: [amount], code: c, message: m}]"),
            "rules[0]",
            "at least 2 fields",
        ),
    ],
    ids=[
        "bad-type",
        "unknown-key",
        "unknown-unit",
        "ordinal-without-levels",
        "vocabulary-on-number",
        "bad-id",
        "unknown-field",
        "rule-arity",
    ],
)
def test_a_broken_declaration_names_file_and_field(
    tmp_path: Path, change: tuple[str, str], field: str, error: str
) -> None:
    path = write(tmp_path, MINIMAL.format(id="minimal").replace(*change, 1))
    with pytest.raises(DeclarationError) as caught:
        load_declaration(path)
    assert path.name in caught.value.message
    assert any(
        detail.get("field", "").startswith(field) and error in detail["error"] for detail in caught.value.details
    ), caught.value.details


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id: x\ntitle: [unclosed\n")
    with pytest.raises(DeclarationError, match=r"x?minimal.yaml: not valid YAML at line \d"):
        load_declaration(path)


def test_the_id_must_be_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.format(id="other"), name="minimal")
    with pytest.raises(DeclarationError, match="differs from the file name"):
        load_declaration(path)


def test_an_unknown_data_set_lists_the_known_ones() -> None:
    with pytest.raises(UnknownDataset, match="annual-seizures") as raised:
        declaration("seizures-by-moon-phase")
    assert raised.value.code == "unknown-dataset"
