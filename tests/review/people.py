"""The people of the review tests: accounts in the store (with addresses), and a Ghanaian submission."""

from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.access.users import create_user
from tests.reporting.test_workflow import new_submission

PASSWORD = "a long enough password"
PROVIDER = Principal("kofi", Role.PROVIDER, frozenset({"GHA"}), None)
FOCAL_POINT = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
REVIEWER = Principal("moussa", Role.REGIONAL_REVIEWER, network="WENDU")
ANALYST = Principal("ines", Role.ANALYST)
SENEGAL = Principal("sy", Role.PROVIDER, frozenset({"SEN"}))
ADMIN = Principal("root", Role.ADMIN)


def people(engine: Engine) -> None:
    """Create the accounts (each with an address) on a migrated store."""
    for person in (PROVIDER, FOCAL_POINT, REVIEWER, ANALYST, SENEGAL, ADMIN):
        create_user(
            engine,
            person.username,
            PASSWORD,
            person.role,
            person.countries,
            person.datasets,
            person.network,
            email=f"{person.username}@example.org",
        )


def ghana_submission(engine: Engine, status: str = "validated") -> int:
    """A Ghanaian submission uploaded by the provider, with the accounts in place."""
    submission = new_submission(engine, status, submitted_by=PROVIDER.username)
    people(engine)
    return submission
