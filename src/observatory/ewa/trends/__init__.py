"""Trends over the early-warning events: emergence and spread per year and group, persistence of substances,
and signals per substance group.

    from observatory.ewa.trends import Axis, load_sightings, spread_by_year, group_signal_report
    sightings = load_sightings(engine, watched)        # each substance an event found (store)
    spread_by_year(sightings, Axis.FAMILY)              # new, reported, persistent, countries (pure)
    group_signal_report(engine, "family")               # Farrington per family and source, alert-rule settings
"""

from functools import lru_cache

from sqlalchemy import Engine

from observatory.ewa.alerts.settings import rule_settings
from observatory.ewa.trends.group_signals import GroupSignal, GroupSignalReport, GroupSignalSettings, group_signals
from observatory.ewa.trends.persistence import Persistence, observed_until, persistence_by_cohort, persistence_pooled
from observatory.ewa.trends.sightings import ALL, UNCLASSIFIED, Axis, Sighting, axis, group_label, load_sightings
from observatory.ewa.trends.spread import (
    COUNTRY_BANDS,
    CountryBand,
    SubstanceSpread,
    YearSpread,
    country_band,
    spread_by_year,
    substance_spread,
    substances_by_countries,
)


def watched_sightings(engine: Engine) -> tuple[Sighting, ...]:
    """The sightings of substances the alert rules watch (``alert_rules.toml``)."""
    return load_sightings(engine, rule_settings().watched_sources)


def group_signal_report(engine: Engine, by: str) -> GroupSignalReport:
    """:func:`group_signals` over the store's events with the signal rule's parameters; kept in memory until the
    store holds other events (each assessed month is a model fit: seconds for a few hundred)."""
    rules = rule_settings()
    settings = GroupSignalSettings(rules.farrington, rules.assess_months, rules.min_events)
    return _group_signals(watched_sightings(engine), axis(by), settings)


@lru_cache(maxsize=8)
def _group_signals(sightings: tuple[Sighting, ...], by: Axis, settings: GroupSignalSettings) -> GroupSignalReport:
    return group_signals(sightings, by, settings)


__all__ = [
    "ALL",
    "COUNTRY_BANDS",
    "UNCLASSIFIED",
    "Axis",
    "CountryBand",
    "GroupSignal",
    "GroupSignalReport",
    "GroupSignalSettings",
    "Persistence",
    "Sighting",
    "SubstanceSpread",
    "YearSpread",
    "axis",
    "country_band",
    "group_label",
    "group_signal_report",
    "group_signals",
    "load_sightings",
    "observed_until",
    "persistence_by_cohort",
    "persistence_pooled",
    "spread_by_year",
    "substance_spread",
    "substances_by_countries",
    "watched_sightings",
]
