from datetime import date

import pytest
from sqlalchemy import Engine, select

from observatory.errors import NotFound
from observatory.reference.release import entries, latest_release, load_packaged_release, releases, vocabulary_counts
from observatory.reference.vocabularies import VOCABULARIES
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade
from observatory.store.schema import Submission


def test_the_packaged_vocabularies_are_loaded_once_as_a_dated_release(engine: Engine) -> None:
    upgrade(engine)
    first = load_packaged_release(engine, today=date(2026, 11, 27))
    again = load_packaged_release(engine, today=date(2026, 12, 1))
    assert first.loaded_now and not again.loaded_now and again.id == first.id
    assert first.version.startswith("2026-11-27.") and first.released_on == date(2026, 11, 27)
    assert [r.id for r in releases(engine)] == [first.id]
    counts = vocabulary_counts(engine, first.id)
    assert set(counts) == set(VOCABULARIES) and sum(counts.values()) == first.entries
    assert counts["places"] >= 250 and counts["ungass_chapters"] == 7 and counts["substances"] > 2000


@pytest.mark.parametrize(
    ("vocabulary", "code", "field", "expected"),
    [
        ("places", "BOL", "m49", "068"),
        ("places", "BOL", "unodc_subregion", "South America"),
        ("places", "SUN", "valid_to", 1991),
        ("ungass_chapters", "1", "number", 1),
        ("sdg", "target:3.5", "code", "3.5"),
        ("units", "kg", "kind", "mass"),
    ],
)
def test_entries_read_back_as_stored(engine: Engine, vocabulary: str, code: str, field: str, expected: object) -> None:
    upgrade(engine)
    release = load_packaged_release(engine)
    (entry,) = entries(engine, vocabulary, release.id, code=code)
    assert entry["record"][field] == expected


@pytest.mark.parametrize(("vocabulary", "code"), [("colours", None), ("places", "XXX")])
def test_unknown_vocabularies_and_codes_are_not_found(engine: Engine, vocabulary: str, code: str | None) -> None:
    upgrade(engine)
    release = load_packaged_release(engine)
    with pytest.raises(NotFound):
        entries(engine, vocabulary, release.id, code=code)


def test_a_submission_keeps_the_release_it_was_coded_against(demo_settings: Settings) -> None:
    engine = make_engine(demo_settings.records_url)
    try:
        latest = latest_release(engine)
        with engine.connect() as connection:
            assert latest is not None
            assert set(connection.scalars(select(Submission.reference_release_id))) == {latest.id}
    finally:
        engine.dispose()
