"""The rules that draft alerts: over the shipped sources on each engine, and on small made-up snapshots."""

import csv
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from observatory.ewa.alerts import Rule, rule_settings, run_rules
from observatory.ewa.alerts.adulterants import adulterant_alerts
from observatory.ewa.alerts.analogues import analogy_of
from observatory.ewa.alerts.first_detection import first_detections
from observatory.ewa.alerts.signal import signals
from observatory.ewa.alerts.snapshot import Detection, Snapshot
from observatory.ewa.events import EventKind, SubstanceEntry, named_entry, structure_entry
from observatory.store.ewa_schema import EwaAlert, EwaAlertEvent, EwaAlertRevision, EwaCaseStage
from tests.ewa.conftest import FENTANYL, SHARED

PMA = "NEGYEDYHPHMHGK-UHFFFAOYSA-N"
#: A fentanyl with a 3-fluoro on the aniline and an N-cyclopropylcarbonyl: not in the registry.
NEW_FENTANYL = "O=C(C1CC1)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1"


def alerts_of(engine: Engine, rule: Rule) -> dict[str, EwaAlert]:
    with Session(engine) as session:
        return {alert.key: alert for alert in session.scalars(select(EwaAlert).where(EwaAlert.rule == str(rule)))}


def test_the_rules_draft_alerts_of_every_kind_from_the_shipped_sources(loaded: Engine) -> None:
    with loaded.connect() as connection:
        counts = dict(connection.execute(select(EwaAlert.rule, func.count()).group_by(EwaAlert.rule)).all())
        statuses = set(connection.scalars(select(EwaAlert.status).distinct()))
        unstaged = connection.scalar(
            select(func.count()).where(EwaAlert.id.not_in(select(EwaCaseStage.alert_id)), EwaAlert.key.like("first%"))
        )
    assert counts["first_detection"] >= 1300 and counts["analogue"] >= 400
    assert counts["signal"] >= 1 and counts["adulterant"] >= 100
    assert "draft" in statuses and unstaged == 0


def test_a_first_identification_in_slovenia_is_a_first_detection(loaded: Engine) -> None:
    first = alerts_of(loaded, Rule.FIRST_DETECTION)["first_detection:ZSTKHSQDNIGFLM-UHFFFAOYSA-N:SVN"]
    assert first.first_event_on == date(2006, 1, 27) and first.country_iso3 == "SVN" and first.audience == "network"
    assert "first time in Slovenia" in first.title


def test_pma_found_by_drug_checking_is_a_public_adulterant_alert(loaded: Engine) -> None:
    found = alerts_of(loaded, Rule.ADULTERANT)[f"adulterant:pma-pmma:{PMA}:USA:2000"]
    assert found.audience == "public" and "hyperthermia" in found.summary and found.details["samples"] >= 1
    with loaded.connect() as connection:
        cited = connection.scalar(select(func.count()).where(EwaAlertEvent.alert_id == found.id))
    assert cited == found.details["samples"] or cited == rule_settings().adulterant_evidence


def test_an_uncontrolled_fentanyl_analogue_is_flagged_with_its_controlled_neighbours(loaded: Engine) -> None:
    analogues = alerts_of(loaded, Rule.ANALOGUE)
    fluoro = next(alert for alert in analogues.values() if alert.title.startswith("Uncontrolled 3-Fluorofentanyl"))
    neighbours = fluoro.details["neighbours"]
    assert neighbours and all(n["control"] and n["similarity"] >= 0.6 for n in neighbours)
    assert {d["id"] for d in fluoro.details["generic_definitions"]} == {"fentanyl-analogue"}
    assert not any(key.endswith(named_entry("Fentanyl").key) for key in analogues)


def test_signals_come_from_the_farrington_algorithm(loaded: Engine) -> None:
    for alert in alerts_of(loaded, Rule.SIGNAL).values():
        assert alert.details["method"] == "farrington"
        assert all(p["alarm"] and p["observed"] > p["upper_bound"] for p in alert.details["periods"])


def test_running_the_rules_again_drafts_nothing_new(loaded: Engine) -> None:
    run_rules(loaded)  # events other tests reported may give new findings
    with loaded.connect() as connection:
        revisions = connection.scalar(select(func.count()).select_from(EwaAlertRevision))
    summary = run_rules(loaded)
    assert all(counts["drafted"] == 0 for counts in summary.values())
    with loaded.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(EwaAlertRevision)) == revisions


def detection(number: int, day: date, substance: str, country: str | None, **kwargs: object) -> Detection:
    kind = kwargs.get("kind", EventKind.DRUG_CHECKING)
    assert isinstance(kind, EventKind)
    sold_as = kwargs.get("sold_as")
    return Detection(number, day, substance, country, kind, sold_as if isinstance(sold_as, str) else None)


def snapshot(detections: list[Detection], *entries: SubstanceEntry) -> Snapshot:
    return Snapshot(tuple(detections), {entry.key: entry for entry in entries})


def test_a_new_structure_is_watched_and_its_first_day_in_each_country_is_one_alert() -> None:
    new = structure_entry(NEW_FENTANYL, "test fentanyl")
    found = [
        detection(1, date(2024, 1, 5), new.key, "DEU"),
        detection(2, date(2024, 1, 5), new.key, "DEU"),
        detection(3, date(2024, 2, 1), new.key, "DEU"),
        detection(4, date(2024, 3, 1), new.key, "AUT"),
        detection(5, date(2024, 3, 2), new.key, None),
    ]
    drafts = first_detections(snapshot(found, new), rule_settings())
    assert sorted((d.country, d.event_ids) for d in drafts) == [("AUT", (4,)), ("DEU", (1, 2))]
    assert new.origin == "structure" and new.family == "opioids"


def test_a_substance_no_watched_list_names_has_no_first_detection() -> None:
    caffeine = named_entry("Caffeine")
    assert (
        first_detections(snapshot([detection(1, date(2020, 1, 1), caffeine.key, "USA")], caffeine), rule_settings())
        == []
    )


def test_a_new_fentanyl_is_an_analogue_of_controlled_fentanyls() -> None:
    analogy = analogy_of(structure_entry(NEW_FENTANYL), 0.5, 5)
    assert analogy.neighbours and all(n.controls for n in analogy.neighbours)
    assert [name for _, name in analogy.generic] == ["Fentanyl analogue"]
    assert structure_entry(FENTANYL).controls


DESIGNER_DRUGS = SHARED / "nps" / "designer_drugs_uncontrolled_in_china_with_smiles_2026.csv"
#: Scaffold groups of the designer-drug list whose controlled relatives the registry holds: 2C-x, DOx, 25x-NBx,
#: 4-AcO- and 5-MeO-tryptamines, arylcyclohexylamines.
ANALOGUE_GROUPS = {"2C-x", "DOx", "25x-NBx", "4-AcO-取代色胺", "5-MeO-取代色胺", "xPCx"}


@pytest.mark.skipif(not DESIGNER_DRUGS.is_file(), reason="the CC BY-NC-SA designer-drug list is not shipped")
def test_designer_drugs_uncontrolled_in_china_are_analogues_of_controlled_substances() -> None:
    with DESIGNER_DRUGS.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["group"] in ANALOGUE_GROUPS and row["smiles"]]
    entries = [structure_entry(row["smiles"], row["alias"] or row["name"]) for row in rows]
    uncontrolled = [entry for entry in entries if not entry.controls]
    flagged = [entry for entry in uncontrolled if analogy_of(entry, rule_settings().min_similarity, 5)]
    assert len(uncontrolled) >= 50 and len(flagged) >= 0.85 * len(uncontrolled)


@pytest.mark.parametrize(("sold_as", "alerts"), [("MDMA", 1), (None, 0)])
def test_a_cathinone_is_an_adulterant_only_in_a_pill_sold_as_mdma(sold_as: str | None, alerts: int) -> None:
    methylone = named_entry("Methylone")
    found = [detection(1, date(2016, 6, 1), methylone.key, "CHE", sold_as=sold_as)]
    drafts = adulterant_alerts(snapshot(found, methylone), rule_settings())
    assert len(drafts) == alerts and all(d.key.startswith("adulterant:cathinone-sold-as-mdma:") for d in drafts)


def test_pma_is_an_adulterant_whatever_the_sample_was_sold_as_but_not_from_a_seizure() -> None:
    pma = named_entry("PMA")
    found = [
        detection(1, date(2013, 6, 1), pma.key, "GBR"),
        detection(2, date(2013, 7, 1), pma.key, "GBR", kind=EventKind.SEIZURE),
    ]
    (draft,) = adulterant_alerts(snapshot(found, pma), rule_settings())
    assert draft.event_ids == (1,) and draft.audience == "public"


def test_a_burst_after_years_of_steady_reports_is_a_signal() -> None:
    """Five years of one detection a fortnight, then twelve in one month."""
    mdma = named_entry("MDMA")
    start = date(2012, 1, 2)
    days = [start + timedelta(days=14 * n) for n in range(130)]
    days += [date(2017, 1, 3) + timedelta(days=2 * n) for n in range(12)]
    found = [detection(n, day, mdma.key, "CHE") for n, day in enumerate(sorted(days))]
    drafts = signals(snapshot(found, mdma), rule_settings())
    assert [draft.key for draft in drafts] == [f"signal:{mdma.key}:CHE:2017-01"]
    assert drafts[0].first_event_on == date(2017, 1, 3) and len(drafts[0].event_ids) >= 12
