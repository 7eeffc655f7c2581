"""Cached published answers (``web.answer_cache``), on each engine, through the real services: an answer is kept
until a publication changes what the public reads (an approval alone does not), a rebuild of the snapshot changes
the key, ETag and 304, the byte bound, and an analyst's answer (unpublished data) is never kept nor served to the
public, whichever asks first."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from observatory.access.policy import Role
from observatory.access.users import create_user, issue_token
from observatory.analytics.refresh import refresh_analytics
from observatory.analytics.store import AnalyticsStore
from observatory.analytics.upkeep import ensure_current
from observatory.demo import initialise
from observatory.reporting.workflow import apply_step
from observatory.settings import Settings
from observatory.store.serving import Audience
from observatory.web.answer_cache import PRIVATE, PUBLIC, Answer, AnswerCache, matches
from observatory.web.app import create_app
from tests.analytics.test_upkeep import REVIEWER, accepted

COLOMBIA = "/api/v1/seizures?group_by=country"
TREND = "/api/v1/stats/seizures/trend?drug_group=Cocaine-type"


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[tuple[Settings, Engine, TestClient]]:
    settings = Settings(var_dir=tmp_path / "var", database_url=database_url)
    engine = initialise(settings)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield settings, engine, client
    engine.dispose()


def cache_of(client: TestClient) -> AnswerCache:
    cache: AnswerCache = cast(FastAPI, client.app).state.answer_cache
    return cache


def kilograms(answer: Any) -> float | None:
    rows = answer.json()["data"]
    return rows[0]["kilograms"] if rows else None


def state(settings: Settings, audience: Audience = Audience.PUBLIC) -> str:
    store = AnalyticsStore(settings.analytics_dir, audience)
    try:
        return store.state_key()
    finally:
        store.close()


def test_a_publication_invalidates_the_cached_answer(site: tuple[Settings, Engine, TestClient]) -> None:
    settings, engine, client = site
    refresh_analytics(engine, settings.analytics_dir)  # a snapshot with nothing published yet
    first = client.get(COLOMBIA)
    assert first.status_code == 200 and kilograms(first) is None
    again = client.get(COLOMBIA)
    assert (
        cache_of(client).hits == 1 and again.content == first.content and again.headers["etag"] == first.headers["etag"]
    )
    before = state(settings)
    sid = accepted(settings, engine)
    # An approval changes what analysts read, not what the public reads: the public's key and answer stand.
    assert state(settings) == before and state(settings, Audience.ANALYST) != state(settings)
    assert kilograms(client.get(COLOMBIA)) is None and cache_of(client).hits == 2
    apply_step(engine, REVIEWER, sid, "publish", analytics=settings.analytics_dir)
    assert state(settings) != before
    published = client.get(COLOMBIA)
    assert kilograms(published) == 700 and published.headers["etag"] != first.headers["etag"]
    assert cache_of(client).hits == 2  # computed afresh, then kept
    trend = client.get(TREND).json()["table"]
    assert [row["value"] for row in trend] == [700]
    apply_step(engine, REVIEWER, sid, "unpublish", "withdrawn", analytics=settings.analytics_dir)
    assert kilograms(client.get(COLOMBIA)) is None
    assert client.get(TREND).status_code == 400  # no published Cocaine-type any more, not the 700 kept before


def test_a_rebuilt_snapshot_changes_the_key_and_answers_the_same(site: tuple[Settings, Engine, TestClient]) -> None:
    settings, engine, client = site
    sid = accepted(settings, engine)
    apply_step(engine, REVIEWER, sid, "publish", analytics=settings.analytics_dir)
    before, answer = state(settings), client.get(COLOMBIA)
    for path in (settings.analytics_dir / "annual-seizures").glob("*.parquet"):
        path.unlink()
    assert state(settings) != before  # a file gone: the key moves at once, before any rebuild
    assert ensure_current(engine, settings.analytics_dir)
    rebuilt = client.get(COLOMBIA)
    assert kilograms(rebuilt) == 700 and rebuilt.content == answer.content
    assert rebuilt.headers["etag"] == answer.headers["etag"]  # same bytes, same tag


def test_etag_and_304(site: tuple[Settings, Engine, TestClient]) -> None:
    _, _, client = site
    answer = client.get(COLOMBIA)
    etag = answer.headers["etag"]
    assert answer.headers["cache-control"] == PUBLIC and etag.startswith('"')
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        unchanged = client.get(COLOMBIA, headers={"If-None-Match": header})
        assert unchanged.status_code == 304 and unchanged.content == b"", header
        assert unchanged.headers["etag"] == etag and unchanged.headers["cache-control"] == PUBLIC
    assert client.get(COLOMBIA, headers={"If-None-Match": '"other"'}).status_code == 200
    # Parameters in another order are the same question; an error is neither cached nor tagged.
    hits = cache_of(client).hits
    client.get("/api/v1/seizures?group_by=country&headline=false")
    same = client.get("/api/v1/seizures?headline=false&group_by=country", headers={"If-None-Match": etag})
    assert same.status_code == 304 and cache_of(client).hits == hits + 1
    wrong = client.get("/api/v1/seizures?group_by=colour")
    assert wrong.status_code == 400 and "etag" not in wrong.headers


def test_the_access_matrix(site: tuple[Settings, Engine, TestClient]) -> None:
    settings, engine, client = site
    create_user(engine, "rita", "a long enough password", Role.REGIONAL_REVIEWER, network="WENDU")
    create_user(engine, "ana", "a long enough password", Role.ANALYST)
    create_user(engine, "fp", "a long enough password", Role.FOCAL_POINT, ["COL"])
    analyst = {"authorization": f"Bearer {issue_token(engine, 'ana', 'test')}"}
    reviewer = {"authorization": f"Bearer {issue_token(engine, 'rita', 'test')}"}
    focal = {"authorization": f"Bearer {issue_token(engine, 'fp', 'test')}"}
    accepted(settings, engine)
    # The analyst asks first: sees the accepted 700 kg, privately, and nothing is kept.
    seen = client.get(COLOMBIA, headers=analyst)
    assert kilograms(seen) == 700 and seen.headers["cache-control"] == PRIVATE and "etag" not in seen.headers
    assert not hasattr(cast(FastAPI, client.app).state, "answer_cache")
    # Then the public, and every principal served the public's view, get the public answer (no Colombia).
    for headers in ({}, reviewer, focal):
        public = client.get(COLOMBIA, headers=headers)
        assert kilograms(public) is None and public.headers["cache-control"] == PUBLIC, headers
    # The public's answer is kept; the analyst still gets its own, never the kept one, even naming its ETag.
    etag = client.get(COLOMBIA).headers["etag"]
    again = client.get(COLOMBIA, headers=analyst | {"If-None-Match": etag})
    assert again.status_code == 200 and kilograms(again) == 700 and again.headers["cache-control"] == PRIVATE
    assert kilograms(client.get(COLOMBIA)) is None


def test_the_cache_is_bounded_by_bytes_least_recently_used_first() -> None:
    cache = AnswerCache(max_bytes=10)
    for key, size in (("a", 4), ("b", 4)):
        cache.put(key, Answer(b"x" * size, key))
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", Answer(b"x" * 4, "c"))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None
    assert cache.size == 8 and len(cache) == 2
    cache.put("huge", Answer(b"x" * 11, "huge"))
    assert cache.get("huge") is None and cache.size == 8
    cache.put("a", Answer(b"x" * 7, "a2"))
    assert cache.get("c") is None and cache.size == 7 and cache.get("a") == Answer(b"x" * 7, "a2")


def test_if_none_match() -> None:
    assert matches('"abc"', '"abc"') and matches('W/"abc"', '"abc"') and matches(' "x" , "abc"', '"abc"')
    assert matches("*", '"abc"') and not matches(None, '"abc"') and not matches('"ab"', '"abc"')


def test_an_analysts_download_of_unpublished_data_stays_private(site: tuple[Settings, Engine, TestClient]) -> None:
    settings, engine, client = site
    create_user(engine, "ana", "a long enough password", Role.ANALYST)
    analyst = {"authorization": f"Bearer {issue_token(engine, 'ana', 'test')}"}
    accepted(settings, engine)
    private = client.get(COLOMBIA + "&format=csv", headers=analyst)
    assert private.status_code == 200 and b"700" in private.content
    assert private.headers["cache-control"] == PRIVATE and "etag" not in private.headers
    public = client.get(COLOMBIA + "&format=csv")
    assert public.status_code == 200 and b"700" not in public.content and "etag" in public.headers
    assert public.headers["cache-control"].startswith("public")
