"""Migration 0017 adds a user's language: accounts made before it read the default language, and it goes down and
up again with the accounts kept."""

from sqlalchemy import Engine, inspect, text

from observatory.store.migrate import downgrade, upgrade


def add_account(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO app_user (username, display_name, password_hash, role, countries, active) "
                "VALUES ('kofi', 'Kofi', 'x', 'provider', '[\"GHA\"]', true)"
            )
        )


def columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("app_user")}


def test_accounts_from_before_the_language_read_the_default_and_survive_a_round_trip(engine: Engine) -> None:
    upgrade(engine, "0016")
    assert "language" not in columns(engine)
    add_account(engine)
    upgrade(engine, "0017")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT username, language FROM app_user")).one() == ("kofi", None)
        connection.execute(text("UPDATE app_user SET language = 'fr'"))
        connection.commit()
    downgrade(engine, "0016")
    assert "language" not in columns(engine)
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT username, language FROM app_user")).one() == ("kofi", None)
