"""Merging records into substances: keys, and conflicts reported rather than merged silently."""

from observatory.reference.substances.merge import Cluster, merge_records
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report

MDMA = "SHXWCVYOXRDMCX-UHFFFAOYSA-N"
METHCATHINONE = "LPLLVINFLBSFRP-UHFFFAOYSA-N"
MEPHEDRONE = "YELGFTGWJGBAQU-UHFFFAOYSA-N"
CATHINONE = "PUAQLLVFLMYYJJ-UHFFFAOYSA-N"
S_CATHINONE = "PUAQLLVFLMYYJJ-ZETCQYMHSA-N"
R_CATHINONE = "PUAQLLVFLMYYJJ-SSDOTTSWSA-N"


def record(number: int, *names: str, cas: tuple[str, ...] = (), synonyms: tuple[str, ...] = ()) -> SubstanceRecord:
    return SubstanceRecord(source="test", record_id=str(number), names=names, cas=cas, synonyms=synonyms)


def merged(records: list[SubstanceRecord], keys: list[str | None]) -> tuple[list[set[str]], Report]:
    report = Report()
    clusters: list[Cluster] = merge_records(records, keys, report)
    return [{records[position].record_id for position in cluster.members} for cluster in clusters], report


def test_one_inchikey_is_one_substance_even_with_different_cas_numbers() -> None:
    records = [record(1, "MDMA", cas=("42542-10-9",)), record(2, "Ecstasy", cas=("64057-70-1",))]
    groups, report = merged(records, [MDMA, MDMA])
    assert groups == [{"1", "2"}]
    (conflict,) = report.with_code("cas-conflict")
    assert conflict.record == MDMA
    assert conflict.value == "42542-10-9, 64057-70-1"


def test_one_cas_number_on_two_structures_is_reported_and_not_merged() -> None:
    records = [record(1, "methcathinone", cas=("5650-44-2",)), record(2, "4-MMC", cas=("5650-44-2",))]
    groups, report = merged(records, [METHCATHINONE, MEPHEDRONE])
    assert groups == [{"1"}, {"2"}]
    (shared,) = report.with_code("cas-shared")
    assert (shared.record, shared.value) == ("5650-44-2", f"{METHCATHINONE}, {MEPHEDRONE}")


def test_list_entry_joins_by_cas_then_by_name() -> None:
    records = [
        record(1, "MDMA", cas=("42542-10-9",)),
        record(2, "3,4-Methylenedioxymethamphetamine", cas=("42542-10-9",)),
        record(3, "mdma"),
        record(4, "Unrelated"),
    ]
    groups, report = merged(records, [MDMA, None, None, None])
    assert groups == [{"1", "2", "3"}, {"4"}]
    assert not report.unresolved


def test_names_win_over_a_cas_number_of_another_structure_which_is_not_added() -> None:
    records = [
        record(1, "methcathinone", cas=("5650-44-2",)),
        record(2, "mephedrone", cas=("1189805-46-6",)),
        record(3, "4-Methylmethcathinone", "mephedrone", cas=("5650-44-2",)),
    ]
    report = Report()
    clusters = merge_records(records, [METHCATHINONE, MEPHEDRONE, None], report)
    by_member = {records[cluster.members[0]].record_id: cluster for cluster in clusters}
    assert sorted(by_member["2"].members) == [1, 2]
    assert by_member["2"].cas == {"1189805-46-6"}
    (disagreement,) = report.with_code("cas-disagrees-with-names")
    assert disagreement.record == "test:3"


def test_without_two_structures_to_tell_them_apart_the_cas_number_wins_over_names() -> None:
    records = [
        record(1, "Parahexyl", "六氢大麻酚", cas=("117-51-1",)),
        record(2, "HEXAHYDROCANNABINOL", cas=("6692-85-9",)),
        record(
            3,
            "6,6,9-trimethyl-3-pentyl-6a,7,8,9,10,10a-hexahydrobenzo[c]chromen-1-ol",
            "六氢大麻酚",
            cas=("6692-85-9",),
        ),
    ]
    groups, report = merged(records, [None, None, None])
    assert groups == [{"1"}, {"2", "3"}]
    assert [f.record for f in report.with_code("cas-and-names-disagree")] == ["test:3"]


def test_a_name_shared_by_two_substances_equally_keeps_the_record_apart() -> None:
    records = [record(1, "Psilocin"), record(2, "Psilocin"), record(3, "psilocin")]
    groups, report = merged(records, [MDMA, MEPHEDRONE, None])
    assert {"3"} in groups
    (ambiguous,) = report.with_code("name-ambiguous")
    assert ambiguous.record == "test:3"


def test_a_name_is_resolved_to_the_substance_it_names_most() -> None:
    records = [record(1, "Cocaine"), record(2, "Cocaine"), record(3, "Cocaine"), record(4, "cocaine")]
    groups, report = merged(records, [MDMA, MDMA, MEPHEDRONE, None])
    assert {"1", "2", "4"} in groups
    assert [f.record for f in report.with_code("name-resolved-by-support")] == ["test:4"]


def test_a_structure_without_stereochemistry_joins_its_one_stereo_form_of_the_same_name() -> None:
    records = [record(1, "Cathinone"), record(2, "cathinone")]
    groups, report = merged(records, [CATHINONE, S_CATHINONE])
    assert groups == [{"1", "2"}]
    assert len(report.with_code("stereo-merged")) == 1


def test_two_stereo_forms_are_never_merged() -> None:
    records = [record(1, "Cathinone"), record(2, "cathinone"), record(3, "Cathinone")]
    groups, _ = merged(records, [CATHINONE, S_CATHINONE, R_CATHINONE])
    assert len(groups) == 3


def test_an_ambiguous_abbreviation_is_settled_by_the_chemical_name() -> None:
    records = [
        record(1, "2,5-dimethoxyamphetamine", synonyms=("DMA", "(±)-2,5-dimethoxy-alpha-methylphenethylamine")),
        record(2, "Dimethylamphetamine", synonyms=("DMA",)),
        SubstanceRecord(
            source="test", record_id="3", names=("DMA",), iupac_names=("(±)-2,5-dimethoxy-α-methylphenethylamine",)
        ),
    ]
    groups, report = merged(records, [MDMA, MEPHEDRONE, None])
    assert groups == [{"1", "3"}, {"2"}]
    assert not report.unresolved


def test_chemical_names_of_enantiomers_do_not_merge() -> None:
    records = [
        SubstanceRecord(
            source="test", record_id="1", names=("DEXAMFETAMINE",), iupac_names=("(+)-α-methylphenethylamine",)
        ),
        SubstanceRecord(
            source="test", record_id="2", names=("LEVAMFETAMINE",), iupac_names=("(–)-α-methylphenethylamine",)
        ),
    ]
    groups, _ = merged(records, [None, None])
    assert groups == [{"1"}, {"2"}]


def test_a_synonym_match_with_a_different_cas_number_joins_and_reports_the_conflict() -> None:
    """Mostly a salt's number given without its label: China lists PMA as 64-13-1, SWGDRUG as 23239-32-9 (HCl)."""
    records = [
        record(1, "PMA", cas=("23239-32-9",)),
        record(2, "P-methoxy-alpha-methylphenethylamine", cas=("64-13-1",), synonyms=("PMA",)),
    ]
    report = Report()
    (cluster,) = merge_records(records, ["UQCHKHWMVLRXBN-UHFFFAOYSA-N", None], report)
    assert cluster.cas == {"23239-32-9", "64-13-1"}
    assert [f.record for f in report.with_code("cas-conflict")] == ["test:2"]


def test_a_cas_number_of_several_substances_keeps_the_record_apart() -> None:
    records = [
        record(1, "Cannabis", cas=("8063-14-7",)),
        record(2, "Cannabis resin", cas=("6465-30-1",)),
        record(3, "Cannabis and Cannabis Resin", cas=("8063-14-7", "6465-30-1")),
    ]
    groups, report = merged(records, [None, None, None])
    assert groups == [{"1"}, {"2"}, {"3"}]
    assert [f.record for f in report.with_code("cas-ambiguous")] == ["test:3"]


def test_findings_are_plain_data() -> None:
    records = [record(1, "MDMA", cas=("42542-10-9",)), record(2, "Ecstasy", cas=("64057-70-1",))]
    _, report = merged(records, [MDMA, MDMA])
    assert report.unresolved[0].as_dict() == {
        "code": "cas-conflict",
        "source": "merge",
        "record": MDMA,
        "message": "one structure, several CAS numbers",
        "value": "42542-10-9, 64057-70-1",
    }
    assert report.unresolved_counts() == {"cas-conflict": 1}
