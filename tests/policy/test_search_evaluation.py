"""The labelled query set and nDCG@10: the metric's arithmetic, the file's checks, and hybrid search beating
full text by the issue's margin on the seeded records, on both engines."""

import math
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from observatory.errors import SourceFileError
from observatory.policy.search import Mode, find
from observatory.policy.search.evaluation import JUDGEMENTS_FILE, Ranker, evaluate, ndcg, read_judgements
from observatory.store.engine import transaction
from observatory.store.policy_schema import SearchDocument

HEADER = "query_id,type,language,query,relevant\n"


@pytest.mark.parametrize(
    ("ranked", "relevant", "expected"),
    [
        (["a", "b"], {"a": 2}, 1.0),
        (["b", "a"], {"a": 2}, 1 / math.log2(3)),
        (["b", "c"], {"a": 2}, 0.0),
        (["b", "a"], {"a": 2, "b": 1}, (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))),
        ([*"xxxxxxxxxx", "a"], {"a": 2}, 0.0),
    ],
)
def test_ndcg_at_10(ranked: list[str], relevant: dict[str, int], expected: float) -> None:
    assert ndcg(ranked, relevant) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("q1,guess,en,harm,strategy:cdpe-2=2", "type: expected one of keywords"),
        ("q1,keywords,en,harm,strategy:cdpe-2=3", "relevant: 'strategy:cdpe-2=3' is not kind:id=grade"),
        ("q1,keywords,en,harm,policy:cdpe-2=2", "relevant: 'policy:cdpe-2=2' is not kind:id=grade"),
        ("q1,keywords,en,harm,strategy:cdpe-2=1", "relevant: no record of grade 2"),
    ],
)
def test_a_bad_judgement_names_file_row_and_column(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "judgements.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=f"judgements.csv row 2, column {message}"):
        read_judgements(path)


def test_every_judged_record_is_a_seeded_document(seeded: Engine) -> None:
    with transaction(seeded) as session:
        stored = {
            f"{kind}:{ref_id}" for kind, ref_id in session.execute(select(SearchDocument.kind, SearchDocument.ref_id))
        }
    judgements = read_judgements(JUDGEMENTS_FILE)
    assert {judgement.language for judgement in judgements} == {"en", "fr", "es", "ru", "ar", "zh"}
    assert {key for judgement in judgements for key in judgement.relevant} <= stored


def test_hybrid_search_beats_full_text_by_ten_percent_ndcg(seeded: Engine) -> None:
    judgements = read_judgements()

    def ranking(mode: Mode) -> Ranker:
        return lambda query: [f"{hit.kind}:{hit.id}" for hit in find(seeded, query, top=10, mode=mode).hits]

    full_text = evaluate(ranking(Mode.FULLTEXT), judgements)
    hybrid = evaluate(ranking(Mode.HYBRID), judgements)
    assert hybrid.ndcg >= 1.1 * full_text.ndcg
    assert hybrid.by_type["paraphrase"] > full_text.by_type["paraphrase"]
    assert hybrid.by_type["translation"] > full_text.by_type["translation"]
