"""Loading the shipped sources into the store, on each engine: what becomes an event, and loading twice."""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from observatory.ewa.events import (
    DatePrecision,
    EventFilter,
    EventKind,
    Origin,
    find_events,
    load_events,
    source_batches,
)
from observatory.ewa.events.drug_checking import drug_checking_config
from observatory.ewa.events.places import country_of, place_within
from observatory.store.ewa_schema import EwaEvent, EwaEventSubstance, EwaSource, EwaSubstance

MDMA = "SHXWCVYOXRDMCX-UHFFFAOYSA-N"


def test_each_source_gives_the_events_its_records_are(loaded: Engine) -> None:
    with loaded.connect() as connection:
        per_source = dict(
            connection.execute(select(EwaEvent.source_key, func.count()).group_by(EwaEvent.source_key)).all()
        )
        kinds = dict(connection.execute(select(EwaEvent.source_key, EwaEvent.kind).distinct()).all())
        roles = dict(connection.execute(select(EwaSource.key, EwaSource.role)).all())
    # Slovenian list: 1,002 dated records; CFSRE: 149 with a structure merged into the registry; 6,463 samples.
    per_source.pop("reported", None)
    assert per_source == {"slovenia-nfl": 1002, "cfsre": 149, "ecstasydata": 6463}
    assert kinds == {
        "slovenia-nfl": "first_identification",
        "cfsre": "first_identification",
        "ecstasydata": "drug_checking",
    }
    assert roles["swgdrug"] == roles["psymol"] == "reference"


def test_the_slovenian_list_gives_dated_first_identifications_in_slovenia(loaded: Engine) -> None:
    events, total = find_events(loaded, EventFilter(source="slovenia-nfl"), limit=1000)
    assert total == 1002 and {event.country for event in events} == {"SVN"}
    first = events[0]
    assert (first.occurred_on, first.substances[0].reported_name) == (date(2006, 1, 27), "5-MeO-N,N-DMT")
    assert first.date_precision is DatePrecision.DAY
    assert Counter(event.occurred_on.year for event in events).most_common(1)[0][0] in {2015, 2016, 2017}


def test_a_pill_sold_as_mdma_holding_something_else_is_an_event_with_what_was_found(loaded: Engine) -> None:
    events, _ = find_events(loaded, EventFilter(source="ecstasydata", until=date(2001, 4, 1)), limit=1000)
    happy_campers = next(event for event in events if event.record == "3")
    assert happy_campers.kind is EventKind.DRUG_CHECKING
    assert (happy_campers.country, happy_campers.place) == ("USA", "New Orleans, LA")
    assert (happy_campers.sold_as, happy_campers.misrepresented) == ("MDMA", True)
    assert {s.reported_name for s in happy_campers.substances} >= {"Caffeine", "DXM"}
    assert happy_campers.reporter == "DanceSafe" and "Happy Campers" in (happy_campers.note or "")
    euro = next(event for event in events if event.record == "1")
    assert [s.key for s in euro.substances] == [MDMA] and euro.misrepresented is False


def test_every_substance_an_event_names_is_stored_with_its_origin(loaded: Engine) -> None:
    with loaded.connect() as connection:
        origins = dict(
            connection.execute(select(EwaSubstance.origin, func.count()).group_by(EwaSubstance.origin)).all()
        )
        orphans = connection.scalar(
            select(func.count())
            .select_from(EwaEventSubstance)
            .where(EwaEventSubstance.substance_key.not_in(select(EwaSubstance.key)))
        )
        caffeine = connection.execute(select(EwaSubstance).where(EwaSubstance.name == "Caffeine")).one()
        msm = connection.execute(select(EwaSubstance).where(EwaSubstance.name == "dimethyl sulfone")).one()
        tropacocaine = connection.execute(select(EwaSubstance).where(EwaSubstance.key == "reported:tropacocaine")).one()
    assert orphans == 0 and origins[str(Origin.REGISTRY)] > 1400 and origins[str(Origin.NAME)] > 100
    assert caffeine.origin == "registry" and caffeine.inchikey == "RYYVLZVUVIJVGH-UHFFFAOYSA-N"
    # MSM resolves through a curated alias to the out-of-scope list: a structure, and no NPS family
    assert msm.origin == "structure" and msm.smiles == "CS(C)(=O)=O" and msm.family is None
    assert tropacocaine.origin == "name" and tropacocaine.smiles is None and tropacocaine.family is None


def test_findings_that_are_not_substances_are_kept_in_the_note(loaded: Engine) -> None:
    config = drug_checking_config()
    with loaded.connect() as connection:
        names = set(connection.scalars(select(EwaEventSubstance.reported_name).distinct()))
        noted = connection.scalar(select(func.count()).where(EwaEvent.note.like("%None detected%")))
    assert not names & config.not_substances
    assert noted and noted > 100


def test_loading_twice_adds_nothing(loaded: Engine) -> None:
    with loaded.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(EwaEventSubstance))
    summary = load_events(loaded, source_batches())
    assert {source: counts["events_inserted"] for source, counts in summary.items()} == {
        "slovenia-nfl": 0, "cfsre": 0, "swgdrug": 0, "psymol": 0, "ecstasydata": 0,
    }  # fmt: skip
    assert summary["ecstasydata"]["events_already_loaded"] == 6463
    assert all(counts["substances_added"] == 0 for counts in summary.values())
    with loaded.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(EwaEventSubstance)) == before


@pytest.mark.parametrize(
    ("location", "country", "place"),
    [
        ("Zurich, Switzerland", "CHE", "Zurich, Switzerland"),
        ("Oakland, CA", "USA", "Oakland, CA"),
        ("Chicago, Il", "USA", "Chicago, Il"),
        ("Vancouver, BC, Canada", "CAN", "Vancouver, BC, Canada"),
        ("Toronto, ON", "CAN", "Toronto, ON"),
        ("Spain", "ESP", None),
        ("Glasgow, Scotland", "GBR", "Glasgow, Scotland"),
        ("Manila, Phillipines", "PHL", "Manila, Phillipines"),
        ("Online", None, None),
        ("Online, China", "CHN", "Online, China"),
        ("Europe", None, None),
        ("", None, None),
    ],
)
def test_places_are_read_to_their_country(location: str, country: str | None, place: str | None) -> None:
    assert (country_of(location), place_within(location)) == (country, place)
