"""k-anonymity of toxicology cases and drug-checking samples in public views (default k = 5), on each engine."""

from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from observatory.access.policy import ANONYMOUS, Principal, Role
from observatory.ewa.events import (
    DEFAULT_K,
    EventKind,
    Found,
    NewEvent,
    Sex,
    ToxSetting,
    age_band,
    anonymise,
    event_views,
    events_by_id,
    named_entry,
    record_event,
)

SWEDISH_FOCAL_POINT = Principal("fp-swe", Role.FOCAL_POINT, frozenset({"SWE"}))
ANALYST = Principal("analyst", Role.ANALYST)


def case(number: int, age: int, sex: Sex, place: str, kind: EventKind = EventKind.TOXICOLOGY) -> NewEvent:
    substance = named_entry("Isotonitazene")
    return NewEvent(
        source="reported",
        record=f"case-{number}",
        kind=kind,
        occurred_on=date(2023, 5, number),
        found=(Found(substance.key, "isotonitazene"),),
        country="SWE",
        setting=ToxSetting.POST_MORTEM if kind is EventKind.TOXICOLOGY else None,
        place=place,
        age=age,
        sex=sex,
    )


TOWNS = ("Lund", "Malmö", "Umeå", "Gävle", "Visby")


def stored_cases(engine: Engine) -> list[int]:
    """Post-mortem cases: five men in their thirties in Uppsala, five men in their forties each in a town of his
    own, one woman of 71 in Kiruna."""
    cases = [case(n, 30 + n, Sex.MALE, "Uppsala") for n in range(1, 6)]
    cases += [case(5 + n, 40 + n, Sex.MALE, town) for n, town in enumerate(TOWNS, 1)]
    cases.append(case(11, 71, Sex.FEMALE, "Kiruna"))
    substance = named_entry("Isotonitazene")
    return [record_event(engine, event, [substance], "tests") for event in cases]


def test_public_views_show_age_sex_and_place_only_when_shared_by_k_cases(migrated: Engine) -> None:
    ids = stored_cases(migrated)
    with Session(migrated) as session:
        events = events_by_id(session, ids)
    public = {view["id"]: view for view in event_views(migrated, events, ANONYMOUS)}
    shown = [(public[i]["age_band"], public[i]["sex"], public[i]["place"]) for i in ids]
    assert shown[:5] == [("30-39", "male", "Uppsala")] * 5
    # Each man in his forties is alone in his town; the five share their age band and sex.
    assert shown[5:10] == [("40-49", "male", None)] * 5
    # The woman of 71 is alone at every level: nothing but the country.
    assert shown[10] == (None, None, None) and public[ids[10]]["country"] == "SWE"
    assert {"age", "sex", "place"} <= set(public[ids[10]]["withheld"])
    assert all(v["age"] is None and v["record"] is None and v["date"].endswith("-01") for v in public.values())


@pytest.mark.parametrize("principal", [SWEDISH_FOCAL_POINT, ANALYST])
def test_who_may_read_the_country_unpublished_sees_cases_in_full(migrated: Engine, principal: Principal) -> None:
    ids = stored_cases(migrated)
    with Session(migrated) as session:
        views = event_views(migrated, events_by_id(session, ids), principal)
    kiruna = next(view for view in views if view["place"] == "Kiruna")
    assert {view["place"] for view in views} >= set(TOWNS)
    assert (kiruna["age"], kiruna["sex"], kiruna["setting"], kiruna["withheld"]) == (71, "female", "post_mortem", [])


def test_a_focal_point_of_another_country_sees_the_public_view(migrated: Engine) -> None:
    ids = stored_cases(migrated)
    with Session(migrated) as session:
        views = event_views(
            migrated, events_by_id(session, ids), Principal("fp-nor", Role.FOCAL_POINT, frozenset({"NOR"}))
        )
    assert "Kiruna" not in {view["place"] for view in views} and all(view["age"] is None for view in views)


@pytest.mark.parametrize(
    ("age", "band"), [(None, None), (0, "0-9"), (19, "10-19"), (30, "30-39"), (79, "70-79"), (80, "80+"), (104, "80+")]
)
def test_ages_are_shown_as_ten_year_bands(age: int | None, band: str | None) -> None:
    assert age_band(age) == band


CASES = st.lists(
    st.tuples(
        st.sampled_from(["SWE", "NOR", None]),
        st.one_of(st.none(), st.integers(0, 99)),
        st.sampled_from(["male", "female", None]),
        st.sampled_from(["Uppsala", "Lund", "Oslo", None]),
    ),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(cases=CASES, k=st.integers(1, 8))
def test_every_released_combination_is_shared_by_at_least_k_cases(
    cases: list[tuple[str | None, int | None, str | None, str | None]], k: int
) -> None:
    released = anonymise([(number, *facts) for number, facts in enumerate(cases)], k)
    assert set(released) == set(range(len(cases)))
    sizes = Counter(facts.combination for facts in released.values())
    for number, facts in released.items():
        country, age, sex, place = cases[number]
        if any(value is not None for value in (facts.age_band, facts.sex, facts.place)):
            assert sizes[facts.combination] >= k
        assert facts.country == country
        assert facts.age_band in (None, age_band(age)) and facts.sex in (None, sex) and facts.place in (None, place)


def test_the_default_threshold_is_five() -> None:
    assert DEFAULT_K == 5
    with pytest.raises(ValueError, match="at least 1"):
        anonymise([], 0)
