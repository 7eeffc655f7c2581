"""Migration 0011 keys the submissions a store already holds: the first of each data set, country and content."""

from sqlalchemy import Engine, text

from observatory.store.migrate import downgrade, upgrade

FILES = "INSERT INTO source_file (id, name, sha256, size_bytes, content) VALUES (:id, 'f.csv', :sha256, 1, :content)"
SUBMISSIONS = (
    "INSERT INTO submission (id, dataset, source_file_id, status, submitted_by, row_count, country_iso3, vintage, "
    "locked) VALUES (:id, :dataset, :file, 'validated', 'ama', 1, :country, 1, false)"
)


def test_the_first_of_each_upload_is_keyed_and_later_copies_are_left_unkeyed(engine: Engine) -> None:
    upgrade(engine, "0009")
    with engine.begin() as connection:
        connection.execute(
            text(FILES),
            [{"id": 1, "sha256": "a" * 64, "content": b"a"}, {"id": 2, "sha256": "b" * 64, "content": b"b"}],
        )
        connection.execute(
            text(SUBMISSIONS),
            [
                {"id": 1, "dataset": "annual-seizures", "file": 1, "country": "GHA"},
                {"id": 2, "dataset": "annual-seizures", "file": 1, "country": "GHA"},  # the same file again
                {"id": 3, "dataset": "annual-seizures", "file": 1, "country": None},
                {"id": 4, "dataset": "annual-seizures", "file": 1, "country": None},  # again, for several countries
                {"id": 5, "dataset": "drug-deaths", "file": 1, "country": "GHA"},
                {"id": 6, "dataset": "annual-seizures", "file": 2, "country": "GHA"},
            ],
        )
    upgrade(engine)
    with engine.connect() as connection:
        keys = connection.execute(
            text("SELECT submission_id, dataset, scope, sha256 FROM upload_key ORDER BY submission_id")
        ).all()
    assert [tuple(key) for key in keys] == [
        (1, "annual-seizures", "GHA", "a" * 64),
        (3, "annual-seizures", "*", "a" * 64),
        (5, "drug-deaths", "GHA", "a" * 64),
        (6, "annual-seizures", "GHA", "b" * 64),
    ]
    downgrade(engine, "0009")
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM upload_key")) == 4
