"""Snippets for documents found by meaning rather than by their words: the stretch of the passage the model read
with most of the query's words, or its opening, as escaped HTML with those words in ``<mark>``.

A word of the text matches a word of the query when one starts with the other and they share at least
``STEM`` letters ("injecting" and "inject"), or when they are equal.
"""

import html
import re
from itertools import accumulate

from observatory.policy.search.query import STOP_WORDS

WORDS = 30
STEM = 4
_TOKEN = re.compile(r"\w+|\W+")


def highlight(text: str, query_words: list[str]) -> str:
    wanted = [word.casefold() for word in query_words if word.casefold() not in STOP_WORDS]
    tokens = _TOKEN.findall(text)
    words = [i for i, token in enumerate(tokens) if token[0].isalnum() or token[0] == "_"]
    if not words:
        return ""
    matched: dict[str, bool] = {}  # a passage repeats its words: each distinct one is compared once
    hits = []
    for i in words:
        token = tokens[i].casefold()
        if token not in matched:
            matched[token] = any(_matches(token, word) for word in wanted)
        hits.append(matched[token])
    sums = list(accumulate(hits, initial=0))  # hits in words[first : first + WORDS] without adding them again
    start = max(
        range(max(1, len(words) - WORDS + 1)),
        key=lambda first: (sums[min(first + WORDS, len(hits))] - sums[first], -first),
    )
    at_end = start + WORDS >= len(words)
    first = words[start] if start > 0 else 0
    last = len(tokens) - 1 if at_end else words[start + WORDS - 1]
    marked = {words[i] for i, hit in enumerate(hits) if hit}
    parts = [
        f"<mark>{html.escape(tokens[i])}</mark>" if i in marked else html.escape(tokens[i])
        for i in range(first, last + 1)
    ]
    lead = "… " if start > 0 else ""
    tail = "" if at_end else " …"
    return lead + "".join(parts).strip() + tail


def _matches(token: str, word: str) -> bool:
    if token == word:
        return True
    shorter, longer = sorted((token, word), key=len)
    return len(shorter) >= STEM and longer.startswith(shorter)
