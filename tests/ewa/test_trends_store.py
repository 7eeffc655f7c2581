"""Sightings read from the store, on each engine: only watched substances, kept until the events change."""

from datetime import date

from sqlalchemy import Engine

from observatory.ewa.alerts import rule_settings
from observatory.ewa.events import REPORTED, EventKind, Found, NewEvent, record_event, structure_entry
from observatory.ewa.trends import Axis, group_signal_report, load_sightings, spread_by_year, watched_sightings
from observatory.store.migrate import upgrade

#: A fentanyl analogue no list names: a new structure, so watched.
NEW_OPIOID = "O=C(C1CC1)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1"


def test_only_substances_an_early_warning_list_names_are_sighted(events_engine: Engine) -> None:
    sightings = watched_sightings(events_engine)
    names = {sighting.name for sighting in sightings}
    assert {"Mephedrone", "Methylone"} <= names and "MDMA" not in names and "Cocaine" not in names
    assert {sighting.source for sighting in sightings} == {"slovenia-nfl", "cfsre", "ecstasydata"}
    assert list(sightings) == sorted(sightings, key=lambda s: (s.day, s.event_id, s.substance))
    firsts = {s.substance for s in sightings if s.kind is EventKind.FIRST_IDENTIFICATION}
    new = sum(row.new for row in spread_by_year(sightings, Axis.FAMILY) if row.group == "all")
    assert new == len({s.substance for s in sightings}) and len(firsts) > 900


def test_a_new_event_is_seen_at_once(engine: Engine) -> None:
    upgrade(engine)
    watched = rule_settings().watched_sources
    assert load_sightings(engine, watched) == ()
    entry = structure_entry(NEW_OPIOID, "cyclopropyl-fluorofentanyl")
    event = NewEvent(REPORTED, "", EventKind.SEIZURE, date(2024, 5, 2), (Found(entry.key, entry.name),), "AUT")
    record_event(engine, event, [entry], "tests")
    (sighting,) = load_sightings(engine, watched)
    assert (sighting.name, sighting.country, sighting.family) == ("cyclopropyl-fluorofentanyl", "AUT", "opioids")


def test_group_signals_use_the_signal_rule_parameters(events_engine: Engine) -> None:
    report = group_signal_report(events_engine, "family")
    rules = rule_settings()
    assert report.settings.farrington == rules.farrington and report.settings.assess_months == rules.assess_months
    assert report.signals and all(signal.events >= rules.min_events for signal in report.signals)
    assert all(len(signal.periods) <= rules.assess_months for signal in report.signals)
    assert group_signal_report(events_engine, "family") is report
