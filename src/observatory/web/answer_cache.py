"""Published answers served like published data: computed once per state of the snapshot, revalidated by ETag.

A route of the API that answers from the analytics store wraps its computation in ``cached_answer``:

- **The public's answers are cached** in memory, keyed on (path, canonical query string, language of the answer,
  the audience and ``AnalyticsStore.state_key``): routes read nothing but the snapshot, its population included.
  The state key changes exactly when a publication, refresh or rebuild changes what the public may read, so a
  cached answer is the answer the route would compute now; nothing has to be invalidated by hand. An answer
  computed while the state changed is served but not kept.
- **Every public answer carries a strong ETag** (a digest of its bytes) and ``Cache-Control: public, max-age=0,
  must-revalidate``; ``If-None-Match`` naming it gets ``304 Not Modified`` without a body.
- **Answers that show unpublished data** (the analyst audience: a signed-in reviewer, analyst or administrator) are
  computed every time and sent ``Cache-Control: private, no-store``, without an ETag: they are never kept here, so
  they can never be served to anyone else.

The cache is an LRU bounded by the bytes of its bodies (``MAX_BYTES``); it lives on ``app.state`` and is made the
first time a route needs it.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from observatory.analytics.store import AnalyticsStore
from observatory.i18n import current_language
from observatory.store.serving import Audience

#: Bytes of answer bodies the cache keeps before it forgets the least recently used.
MAX_BYTES = 64 * 1024 * 1024
PUBLIC = "public, max-age=0, must-revalidate"
PRIVATE = "private, no-store"
#: What else than the URL and the language a stored answer may differ by, for caches between us and the client.
VARY = "Accept-Language, Cookie, Authorization"
_MAKING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    etag: str


class AnswerCache:
    """A thread-safe LRU of answers, bounded by the total bytes of their bodies."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.size = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, answer: Answer) -> None:
        """Keep ``answer``, forgetting the least recently used ones beyond the bound (one larger than the whole
        bound is not kept)."""
        if len(answer.body) > self.max_bytes:
            return
        with self._lock:
            earlier = self._answers.pop(key, None)
            if earlier is not None:
                self.size -= len(earlier.body)
            self._answers[key] = answer
            self.size += len(answer.body)
            while self.size > self.max_bytes:
                _, forgotten = self._answers.popitem(last=False)
                self.size -= len(forgotten.body)


def answer_cache(request: Request) -> AnswerCache:
    """The app's cache, made on first use."""
    state = request.app.state
    found: AnswerCache | None = getattr(state, "answer_cache", None)
    if found is None:
        with _MAKING:
            found = getattr(state, "answer_cache", None)
            if found is None:
                found = AnswerCache()
                state.answer_cache = found
    return found


def cached_answer(request: Request, analytics: AnalyticsStore, compute: Callable[[], Any]) -> Response:
    """The JSON answer ``compute()`` gives, from the cache when the public asks again of the same state; an empty
    304 when the client already holds it (see the module's docstring)."""
    if analytics.audience is not Audience.PUBLIC:
        return Response(encoded(compute()), media_type="application/json", headers={"Cache-Control": PRIVATE})
    state = analytics.state_key()
    key = (request.url.path, canonical_query(request), current_language(), str(analytics.audience), state)
    cache = answer_cache(request)
    found = cache.get(key)
    if found is None:
        body = encoded(compute())
        found = Answer(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
        if analytics.state_key() == state:
            cache.put(key, found)
    headers = {"ETag": found.etag, "Cache-Control": PUBLIC, "Vary": VARY}
    if matches(request.headers.get("if-none-match"), found.etag):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type="application/json", headers=headers)


def canonical_query(request: Request) -> str:
    """The query string with its parameters in name order; the values of a repeated name keep their order (it may
    decide the order of the answer)."""
    return urlencode(sorted(request.query_params.multi_items(), key=lambda item: item[0]))


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as RFC 9110 asks for this header)."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def encoded(answer: Any) -> bytes:
    """The bytes FastAPI would send for ``answer`` returned from a route.

    An answer made only of JSON's own types (dicts, lists and tuples, strings, numbers, booleans, None, and their
    subclasses such as ``StrEnum``) is written by ``json.dumps`` as ``JSONResponse`` writes it, without first
    copying it through ``jsonable_encoder`` (a Python call per value: most of the time of a large answer); anything
    else (a date, a dataclass, a model) takes FastAPI's own path, so the bytes are the same either way."""
    try:
        text = json.dumps(
            answer, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"), default=_other
        )
    except (_NotPlain, TypeError):  # TypeError: a key of another type (a date), which FastAPI converts
        return bytes(JSONResponse(jsonable_encoder(answer)).body)
    return text.encode("utf-8")


class _NotPlain(Exception):
    """A value JSON has no type of its own for."""


def _other(value: object) -> object:
    raise _NotPlain(type(value).__name__)
