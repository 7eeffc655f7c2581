"""The whole role × action × country matrix, as a table a reviewer can read line by line."""

import itertools

import pytest
from sqlalchemy import Engine

from observatory.access.policy import Action, FourEyes, Principal, Role, allowed, four_eyes, may_read
from observatory.access.users import create_user, principal_of
from observatory.store.migrate import upgrade

OWN, NETWORK, ELSEWHERE = "GHA", "MRT", "FRA"
COUNTRIES = (OWN, NETWORK, ELSEWHERE)

PRINCIPALS = {
    Role.PUBLIC: Principal("public", Role.PUBLIC),
    Role.PROVIDER: Principal("kofi", Role.PROVIDER, frozenset({OWN}), frozenset({"annual-seizures"})),
    Role.FOCAL_POINT: Principal("ama", Role.FOCAL_POINT, frozenset({OWN})),
    Role.REGIONAL_REVIEWER: Principal("moussa", Role.REGIONAL_REVIEWER, network="WENDU"),
    Role.ANALYST: Principal("ines", Role.ANALYST),
    Role.ADMIN: Principal("root", Role.ADMIN),
}

A = Action
#: role → action → the countries (of own, network = WENDU's MRT, elsewhere) where it is allowed.
EXPECTED: dict[Role, dict[Action, set[str]]] = {
    Role.PUBLIC: {A.READ_PUBLISHED: {OWN, NETWORK, ELSEWHERE}},
    Role.PROVIDER: {
        A.READ_PUBLISHED: {OWN, NETWORK, ELSEWHERE},
        **{action: {OWN} for action in (A.READ_UNPUBLISHED, A.UPLOAD, A.SUBMIT, A.COMMENT)},
    },
    Role.FOCAL_POINT: {
        A.READ_PUBLISHED: {OWN, NETWORK, ELSEWHERE},
        **{
            action: {OWN}
            for action in (A.READ_UNPUBLISHED, A.UPLOAD, A.SUBMIT, A.COMMENT, A.APPROVE, A.UNAPPROVE, A.REJECT)
        },
    },
    Role.REGIONAL_REVIEWER: {
        A.READ_PUBLISHED: {OWN, NETWORK, ELSEWHERE},
        # Ghana is a WENDU country too: the reviewer's scope is the network, both GHA and MRT.
        **{action: {OWN, NETWORK} for action in (A.READ_UNPUBLISHED, A.COMMENT, A.REJECT)},
    },
    Role.ANALYST: {
        action: {OWN, NETWORK, ELSEWHERE}
        for action in (A.READ_PUBLISHED, A.READ_UNPUBLISHED, A.COMMENT, A.REJECT, A.ACCEPT, A.PUBLISH, A.CORRECT)
    },
    Role.ADMIN: {action: {OWN, NETWORK, ELSEWHERE} for action in Action},
}


@pytest.mark.parametrize(
    ("role", "action", "country"), list(itertools.product(Role, Action, COUNTRIES)), ids=lambda v: str(v)
)
def test_role_action_country(role: Role, action: Action, country: str) -> None:
    expected = country in EXPECTED[role].get(action, set())
    assert allowed(PRINCIPALS[role], action, country, "annual-seizures") is expected


@pytest.mark.parametrize("action", [A.UPLOAD, A.SUBMIT])
def test_a_provider_is_limited_to_the_data_sets_assigned(action: Action) -> None:
    provider = PRINCIPALS[Role.PROVIDER]
    assert allowed(provider, action, OWN, "annual-seizures")
    assert not allowed(provider, action, OWN, "prevalence")


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FOCAL_POINT, Role.REGIONAL_REVIEWER])
def test_country_scoped_roles_cannot_act_on_a_multi_country_load(role: Role) -> None:
    assert not allowed(PRINCIPALS[role], A.SUBMIT, None) and not allowed(PRINCIPALS[role], A.READ_UNPUBLISHED, None)


def test_the_matrix_holds_for_accounts_read_back_from_the_store(engine: Engine) -> None:
    upgrade(engine)
    for role, principal in PRINCIPALS.items():
        if role is not Role.PUBLIC:
            create_user(
                engine,
                principal.username,
                "a long enough password",
                role,
                principal.countries,
                principal.datasets,
                principal.network,
            )
    stored = {
        role: principal_of(engine, p.username) if role is not Role.PUBLIC else p for role, p in PRINCIPALS.items()
    }
    assert stored == PRINCIPALS
    for role, action, country in itertools.product(Role, Action, COUNTRIES):
        expected = country in EXPECTED[role].get(action, set())
        assert allowed(stored[role], action, country, "annual-seizures") is expected, (role, action, country)


#: Four eyes, role by role: may the uploader of a submission also approve or publish it, without a reason and
#: with one? Only a role holding ``override_four_eyes`` may, and only by giving the reason; anyone else is refused
#: with ``four-eyes``. Someone other than the uploader needs no override (a reason given is not recorded).
FOUR_EYES: dict[Role, tuple[str, str]] = {
    Role.PUBLIC: ("four-eyes", "four-eyes"),
    Role.PROVIDER: ("four-eyes", "four-eyes"),
    Role.FOCAL_POINT: ("four-eyes", "four-eyes"),
    Role.REGIONAL_REVIEWER: ("four-eyes", "four-eyes"),
    Role.ANALYST: ("four-eyes", "four-eyes"),
    Role.ADMIN: ("four-eyes", "overridden"),
}


def _four_eyes_outcome(principal: Principal, uploader: str, override: str | None) -> str:
    try:
        reason = four_eyes(principal, uploader, "approve", override, OWN, "annual-seizures")
    except FourEyes as exc:
        assert exc.status == 403
        return exc.code
    return "overridden" if reason is not None else "allowed"


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize(("override", "column"), [(None, 0), ("  ", 0), ("the focal point is on leave", 1)])
def test_four_eyes_for_the_uploader(role: Role, override: str | None, column: int) -> None:
    principal = PRINCIPALS[role]
    assert _four_eyes_outcome(principal, principal.username, override) == FOUR_EYES[role][column]


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("override", [None, "not needed"])
def test_four_eyes_lets_anyone_but_the_uploader_through(role: Role, override: str | None) -> None:
    assert _four_eyes_outcome(PRINCIPALS[role], "someone-else", override) == "allowed"


def test_only_administrators_may_override_four_eyes() -> None:
    assert [role for role in Role if allowed(PRINCIPALS[role], A.OVERRIDE_FOUR_EYES, ELSEWHERE)] == [Role.ADMIN]


#: Who sees a submission, by its status: a published one everyone; any other only those who read unpublished data
#: of its country (a submission one may not see is answered as absent).
@pytest.mark.parametrize(("role", "country"), list(itertools.product(Role, COUNTRIES)), ids=str)
@pytest.mark.parametrize("status", ["validated", "approved", "published"])
def test_who_may_read_a_submission(role: Role, country: str, status: str) -> None:
    action = A.READ_PUBLISHED if status == "published" else A.READ_UNPUBLISHED
    expected = country in EXPECTED[role].get(action, set())
    assert may_read(PRINCIPALS[role], status, country, "annual-seizures") is expected
