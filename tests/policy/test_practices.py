"""The good practices portal: submit → review → publish or reject, and finding published practices."""

from dataclasses import replace

import pytest
from sqlalchemy import Engine

from observatory.access.policy import ANONYMOUS
from observatory.errors import BadInput, Conflict, Forbidden, NotFound, Unauthenticated
from observatory.policy import practice_queries, practices
from observatory.policy.practice_queries import PracticeFilter
from observatory.policy.practices import NewPractice
from observatory.policy.search import index, search
from tests.policy.conftest import ANALYST, COLOMBIA_FOCAL_POINT, PERU_FOCAL_POINT, PROVIDER

PRACTICE = NewPractice(
    title="Strengthening Families in Bogotá schools",
    country="COL",
    chapter=1,
    target_group="families",
    description="Parents and their children aged 10 to 14 meet weekly to practise communication and limit-setting.",
    recommendations=("ch1-commitment",),
    sdg_targets=("3.5",),
    setting="schools",
    results="Fewer pupils started using cannabis after two years.",
    evaluation_design="Cluster randomised trial in 24 schools",
    evidence_rating="likely_beneficial",
    contacts="prevention@example.org",
)


def test_a_practice_goes_from_submission_through_changes_to_publication(migrated: Engine) -> None:
    submitted = practices.submit(migrated, PROVIDER, PRACTICE)
    assert submitted["status"] == "submitted"
    practices.review(migrated, COLOMBIA_FOCAL_POINT, submitted["id"], "comment", "Which schools?")
    asked = practices.review(migrated, ANALYST, submitted["id"], "request_changes", "Add the evaluation results")
    assert asked["status"] == "changes_requested"
    revised = practices.revise(migrated, PROVIDER, submitted["id"], replace(PRACTICE, results="12% fewer started"))
    assert revised["status"] == "submitted" and revised["results"] == "12% fewer started"
    published = practices.review(migrated, COLOMBIA_FOCAL_POINT, submitted["id"], "publish")
    assert published["status"] == "published" and published["published_at"]
    detail = practices.practice(migrated, ANONYMOUS, submitted["id"])
    assert [event["action"] for event in detail["events"]] == [
        "submit",
        "comment",
        "request_changes",
        "revise",
        "publish",
    ]
    assert [hit.id for hit in search(migrated, "limit-setting communication", kind="practice")] == [
        str(submitted["id"])
    ]


@pytest.mark.parametrize(
    ("principal", "action", "error"),
    [
        (PROVIDER, "publish", Forbidden),
        (PERU_FOCAL_POINT, "publish", NotFound),
        (ANONYMOUS, "publish", NotFound),
        (ANALYST, "archive", BadInput),
        (ANALYST, "request_changes", BadInput),
    ],
)
def test_only_reviewers_in_scope_act_on_a_submitted_practice(
    migrated: Engine, principal: object, action: str, error: type[Exception]
) -> None:
    submitted = practices.submit(migrated, PROVIDER, PRACTICE)
    with pytest.raises(error):
        practices.review(migrated, principal, submitted["id"], action)  # type: ignore[arg-type]


def test_decisions_follow_the_workflow(migrated: Engine) -> None:
    with pytest.raises(Unauthenticated):
        practices.submit(migrated, ANONYMOUS, PRACTICE)
    first = practices.submit(migrated, PROVIDER, PRACTICE)["id"]
    with pytest.raises(Conflict, match="revise needs changes_requested"):
        practices.revise(migrated, PROVIDER, first, PRACTICE)
    practices.review(migrated, ANALYST, first, "reject", "Out of scope")
    with pytest.raises(Conflict, match="is rejected"):
        practices.review(migrated, ANALYST, first, "publish")
    second = practices.submit(migrated, PROVIDER, PRACTICE)["id"]
    practices.review(migrated, ANALYST, second, "request_changes", "More detail")
    with pytest.raises(Forbidden, match="only the submitter"):
        practices.revise(migrated, COLOMBIA_FOCAL_POINT, second, PRACTICE)
    assert {row["id"] for row in practices.review_queue(migrated, COLOMBIA_FOCAL_POINT)} == {second}
    assert practices.review_queue(migrated, PERU_FOCAL_POINT) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "title is required"),
        ({"chapter": 0}, "unknown UNGASS 2016 chapter 0"),
        ({"recommendations": ("ch3-commitment",)}, "is not a recommendation of chapter 1"),
        ({"sdg_targets": ("3.55",)}, "unknown SDG target"),
        ({"target_group": "aliens"}, "unknown target_group"),
        ({"evidence_rating": "excellent"}, "unknown evidence_rating"),
        ({"description": "x" * 20_001}, "longer than 20000"),
    ],
)
def test_a_bad_submission_is_refused(migrated: Engine, changes: dict[str, object], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        practices.submit(migrated, PROVIDER, replace(PRACTICE, **changes))  # type: ignore[arg-type]


def test_published_practices_have_facets_and_neighbours(migrated: Engine) -> None:
    index.reindex(migrated)
    ids = []
    for country, group, rating in [("COL", "families", "beneficial"), ("PER", "families", "unknown_effectiveness")]:
        ids.append(
            practices.submit(
                migrated, PROVIDER, replace(PRACTICE, country=country, target_group=group, evidence_rating=rating)
            )["id"]
        )
        practices.review(migrated, ANALYST, ids[-1], "publish")
    practices.submit(migrated, PROVIDER, replace(PRACTICE, country="MEX"))
    found = practice_queries.published(migrated, PracticeFilter(evidence_rating="beneficial"))
    assert [row["id"] for row in found["practices"]] == [ids[0]]
    assert found["facets"]["evidence_rating"] == [
        {"value": "beneficial", "count": 1},
        {"value": "unknown_effectiveness", "count": 1},
    ]
    assert found["facets"]["region"] == [{"value": "Americas", "count": 1}]
    assert [row["country"] for row in practice_queries.like_mine(migrated, "BOL")] == ["PER", "COL"]
    assert [row["id"] for row in practice_queries.similar(migrated, ids[0])] == [ids[1]]


def test_html_in_a_practice_is_kept_as_text_and_escaped_in_snippets(migrated: Engine) -> None:
    hostile = replace(PRACTICE, description="<script>alert('x')</script> mentoring for adolescents")
    submitted = practices.submit(migrated, PROVIDER, hostile)
    practices.review(migrated, ANALYST, submitted["id"], "publish")
    assert practices.practice(migrated, ANONYMOUS, submitted["id"])["description"].startswith("<script>")
    (hit,) = search(migrated, "mentoring adolescents")
    assert "<script>" not in hit.snippet and "<mark>mentoring</mark>" in hit.snippet
