"""The classifier knows its scope: medicines, cutting agents, sugars, precursors and inorganic salts are not NPS.

One table, checked through Python, the command line, the API and the search page alike.
"""

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from observatory.cli.ewa import app
from observatory.ewa.chemistry import Family, classification_report, classify
from observatory.ewa.chemistry.scope import out_of_scope_list
from observatory.reference.substances import substance_registry

#: Twenty common medicines, cutting agents and sugars (name, SMILES as a user would type it, category).
NOT_NPS = [
    ("paracetamol", "CC(=O)Nc1ccc(O)cc1", "medicine"),
    ("4-methylpropiophenone", "CCC(=O)c1ccc(C)cc1", "precursor"),
    ("levamisole", "C1CSC2=NC(CN21)c1ccccc1", "cutting_agent"),
    ("caffeine", "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "cutting_agent"),
    ("water", "O", "inorganic"),
    ("lidocaine hydrochloride", "CCN(CC)CC(=O)Nc1c(C)cccc1C.Cl", "cutting_agent"),
    ("procaine", "CCN(CC)CCOC(=O)c1ccc(N)cc1", "cutting_agent"),
    ("phenacetin", "CCOc1ccc(NC(C)=O)cc1", "cutting_agent"),
    ("ibuprofen", "CC(C)Cc1ccc(C(C)C(=O)O)cc1", "medicine"),
    ("aspirin", "CC(=O)Oc1ccccc1C(=O)O", "medicine"),
    ("glucose", "OCC1OC(O)C(O)C(O)C1O", "sugar"),
    ("lactose", "OC[C@H]1O[C@@H](O[C@H]2[C@H](O)[C@@H](O)C(O)O[C@@H]2CO)[C@H](O)[C@@H](O)[C@H]1O", "sugar"),
    ("mannitol", "OCC(O)C(O)C(O)C(O)CO", "excipient"),
    ("xylitol", "OCC(O)C(O)C(O)CO", "sugar"),
    ("dextromethorphan", "COc1ccc2C[C@H]3N(C)CC[C@@]4(CCCC[C@@H]34)c2c1", "medicine"),
    ("diltiazem", "COc1ccc(cc1)C1Sc2ccccc2N(CCN(C)C)C(=O)C1OC(C)=O", "cutting_agent"),
    ("quinine", "COc1ccc2nccc(C(O)C3CC4CCN3CC4C=C)c2c1", "cutting_agent"),
    ("sodium bicarbonate", "[Na+].OC([O-])=O", None),
    ("magnesium stearate", "[Mg+2].CCCCCCCCCCCCCCCCCC([O-])=O.CCCCCCCCCCCCCCCCCC([O-])=O", "excipient"),
    ("P2P", "CC(=O)Cc1ccccc1", "precursor"),
]


@pytest.mark.parametrize(("smiles", "category"), [row[1:] for row in NOT_NPS], ids=[row[0] for row in NOT_NPS])
def test_the_classifier_abstains_with_a_reason(smiles: str, category: str | None) -> None:
    classification = classify(smiles)
    assert not classification.in_scope and classification.family is None and classification.nps_group is None
    assert classification.scope is not None and classification.explanation.startswith("out of scope")
    if category is not None:
        assert classification.scope.category == category, classification.explanation


def test_nps_stay_in_scope_and_keep_their_family() -> None:
    mephedrone = classify("CNC(C)C(=O)c1ccc(C)cc1")
    assert mephedrone.in_scope and mephedrone.family is Family.CATHINONES and mephedrone.scope is None


def test_family_agreement_on_the_labelled_nps_lists_stays_at_95_percent() -> None:
    reports = [classification_report(source) for source in ("slovenia-nfl", "cfsre", "psymol")]
    agreed, evaluated = sum(r.agreed for r in reports), sum(r.evaluated for r in reports)
    assert agreed / evaluated >= 0.95, [(r.source, r.agreement) for r in reports]


def test_no_listed_non_nps_is_an_nps_of_the_cfsre_monographs() -> None:
    registry = substance_registry()
    skeletons = {known.skeleton for known in out_of_scope_list().substances}
    cfsre = [
        substance.preferred_name
        for substance in registry.substances
        if substance.inchikey
        and substance.inchikey.split("-")[0] in skeletons
        and any(ref.source == "cfsre" for ref in substance.sources)
    ]
    assert cfsre == []


def test_the_command_line_abstains_on_the_table() -> None:
    lines = "\n".join(smiles for _, smiles, _ in NOT_NPS) + "\n"
    result = CliRunner().invoke(app, ["classify", "-", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout)
    assert [r["in_scope"] for r in results] == [False] * len(NOT_NPS)
    assert all(r["chemical_family"] is None and r["unodc_group"] is None and r["scope"]["reason"] for r in results)


def test_a_smiles_that_does_not_parse_is_named_and_exits_1() -> None:
    result = CliRunner().invoke(app, ["classify", "not-a-molecule", "--json"])
    assert result.exit_code == 1 and "not-a-molecule" in json.loads(result.stdout)[0]["error"]["message"]


def test_the_api_abstains_on_the_table(client: TestClient) -> None:
    response = client.get("/api/v1/ewa/classify", params={"smiles": [smiles for _, smiles, _ in NOT_NPS]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert all(not r["in_scope"] and r["chemical_family"] is None for r in results)


@pytest.mark.parametrize("smiles", [NOT_NPS[2][1], "O"], ids=["levamisole", "water"])
def test_the_search_page_says_out_of_scope(client: TestClient, smiles: str) -> None:
    page = client.get("/ewa/search", params={"smiles": smiles}, headers={"accept": "text/html"})
    assert page.status_code == 200 and 'id="out-of-scope"' in page.text and "not an NPS family" in page.text


def test_the_scope_report_gives_precision_recall_abstention_and_reliability() -> None:
    result = CliRunner().invoke(app, ["scope-report", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    families = {row["family"]: row for row in report["families"]}
    assert report["agreement"] >= 0.95 and report["positives"] > 1000
    assert families["out_of_scope"]["support"] == len(out_of_scope_list().substances)
    assert families["cannabinoids"]["precision"] > 0.95 and families["opioids"]["recall"] > 0.95
    confident = report["reliability"][-1]
    assert confident["answers"] > 500 and confident["accuracy"] > 0.95


@pytest.mark.parametrize("name", ["MDOH", "N-hydroxy MDA"])
def test_one_entry_per_substance_on_the_command_line(name: str) -> None:
    from observatory.cli.main import app as main

    result = CliRunner().invoke(main, ["ref", "substance", "find", name, "--json"])
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    text = json.dumps(entry)
    assert "FNDCTJYFKOQGTL-UHFFFAOYSA-N" in text and "1971 Convention" in text and "Schedule I" in text
