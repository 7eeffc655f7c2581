"""Answers are encoded to the very bytes FastAPI's own path (``jsonable_encoder`` then ``JSONResponse``) gives: JSON's
own types directly by ``json.dumps``, anything else through FastAPI."""

import datetime
import enum
from dataclasses import dataclass
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.web.answer_cache import encoded


class Kind(enum.StrEnum):
    TOTAL = "total"


class Level(enum.IntEnum):
    ONE = 1


@dataclass
class Point:
    x: float


def fastapi_bytes(answer: Any) -> bytes:
    return bytes(JSONResponse(jsonable_encoder(answer)).body)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.just(Kind.TOTAL),
    st.just(Level.ONE),
)
answers = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(answers)
def test_plain_answers_encode_as_fastapi_does(answer: Any) -> None:
    assert encoded(answer) == fastapi_bytes(answer)


def test_other_values_take_fastapi_path() -> None:
    for answer in (
        {"when": datetime.date(2024, 5, 1), "n": [1, 2.5, "é"]},
        {datetime.date(2024, 5, 1): 1},
        [Point(1.5)],
        {"set": {3}},
    ):
        assert encoded(answer) == fastapi_bytes(answer)
