"""Retrieval quality on the labelled query set (``datasets/policy/search_judgements.csv``): queries written as a
user would (keywords, paraphrases, the six UN languages) with graded relevant records, scored by nDCG@10.
Queries of type ``place`` name a country by its name or adjective in one of the six languages ("Algerian
strategy…", "stratégie algérienne…", "الاستراتيجية الجزائرية…"), with that country in the ``country`` column:
``named_country_first`` is the share of them whose first result concerns it.

Grades: 2 the record the query asks for, 1 a record also worth showing. Gain is ``2**grade - 1``, discounted by
``log2(rank + 1)`` and divided by the gain of the ideal order (Järvelin & Kekäläinen, 2002).
"""

import csv
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from observatory.errors import SourceFileError
from observatory.policy import vocabulary
from observatory.policy.search.documents import Kind

JUDGEMENTS_FILE = vocabulary.POLICY_DATA / "search_judgements.csv"
CUTOFF = 10
QUERY_TYPES = ("keywords", "paraphrase", "translation", "place")
#: A ranking: the query → document keys (``kind:id``), best first.
Ranker = Callable[[str], Sequence[str]]


@dataclass(frozen=True, slots=True)
class Judgement:
    query_id: str
    type: str
    language: str
    query: str
    #: Document key (``kind:id``) → grade.
    relevant: dict[str, int]
    #: The country a ``place`` query names (ISO3).
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    ndcg: float
    #: Mean nDCG@10 by query type.
    by_type: dict[str, float]
    #: Query id → nDCG@10.
    by_query: dict[str, float]


def read_judgements(path: Path = JUDGEMENTS_FILE) -> tuple[Judgement, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(_judgement(path, number, row) for number, row in enumerate(csv.DictReader(handle), start=2))


def _judgement(path: Path, number: int, row: dict[str, str]) -> Judgement:
    def problem(column: str, reason: str) -> SourceFileError:
        detail = {"file": path.name, "row": number, "column": column, "value": row.get(column), "reason": reason}
        return SourceFileError(f"{path.name} row {number}, column {column}: {reason}", [detail])

    if row["type"] not in QUERY_TYPES:
        raise problem("type", f"expected one of {', '.join(QUERY_TYPES)}")
    relevant: dict[str, int] = {}
    for item in row["relevant"].split():
        key, _, grade = item.rpartition("=")
        kind, _, ref_id = key.partition(":")
        if kind not in set(Kind) or not ref_id or grade not in ("1", "2"):
            raise problem("relevant", f"{item!r} is not kind:id=grade with a kind of {', '.join(Kind)} and grade 1|2")
        relevant[key] = int(grade)
    if 2 not in relevant.values():
        raise problem("relevant", "no record of grade 2 (the record the query asks for)")
    country = (row.get("country") or "").strip() or None
    if (row["type"] == "place") != (country is not None):
        raise problem("country", "a place query names its country (ISO3), and only a place query")
    return Judgement(row["query_id"], row["type"], row["language"], row["query"], relevant, country)


def ndcg(ranked: Sequence[str], relevant: dict[str, int], cutoff: int = CUTOFF) -> float:
    """Normalised discounted cumulative gain of ``ranked`` at ``cutoff``; 0 when nothing relevant is ranked."""
    found = sum(_gain(relevant.get(key, 0)) / math.log2(rank + 2) for rank, key in enumerate(ranked[:cutoff]))
    ideal = sorted(relevant.values(), reverse=True)[:cutoff]
    return found / sum(_gain(grade) / math.log2(rank + 2) for rank, grade in enumerate(ideal))


def _gain(grade: int) -> int:
    return (1 << grade) - 1


def named_country_first(first_country: Callable[[str], str | None], judgements: Sequence[Judgement]) -> float:
    """The share of the ``place`` queries whose first result (``first_country``: query → its country) concerns the
    country they name."""
    places = [judgement for judgement in judgements if judgement.country is not None]
    return sum(first_country(judgement.query) == judgement.country for judgement in places) / len(places)


def evaluate(ranker: Ranker, judgements: Sequence[Judgement]) -> Evaluation:
    scores = {judgement.query_id: ndcg(ranker(judgement.query), judgement.relevant) for judgement in judgements}
    by_type = {
        kind: statistics.fmean(scores[j.query_id] for j in judgements if j.type == kind)
        for kind in QUERY_TYPES
        if any(j.type == kind for j in judgements)
    }
    return Evaluation(statistics.fmean(scores.values()), by_type, scores)
