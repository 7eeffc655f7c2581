"""The search benchmark on a small corpus: the records it prints and the corpus it builds."""

from pathlib import Path

import numpy as np
from rich.console import Console
from sqlalchemy import func, select

from observatory.bench.runner import run_benchmarks
from observatory.bench.search_corpus import generated, seeded_sources
from observatory.policy.search.embedder import DEFAULT_MODEL, load_embedder
from observatory.policy.search.vectors import pending
from observatory.store.engine import make_engine, transaction
from observatory.store.policy_schema import SearchDocument


def test_the_search_benchmark_reports_indexing_latency_and_quality(tmp_path: Path) -> None:
    report = run_benchmarks(tmp_path, "search_latency", rows=1_000, repeat=1, progress=Console(quiet=True))
    indexing, latency, quality, recall = report["benchmarks"]
    assert [indexing["name"], latency["name"], quality["name"], recall["name"]] == [
        "search_latency.indexing",
        "search_latency.hybrid_filtered",
        "search_latency.ndcg_at_10",
        "search_latency.vector_recall",
    ]
    assert recall["ours_quality"] == 1.0  # below APPROXIMATE_FROM vectors the search is exact
    assert "the named country's document first for" in quality["note"]
    assert latency["ours_p95_s"] >= latency["ours_s"] and latency["max_p95_s"] == 0.05
    assert quality["quality_ratio_vs_peer"] == quality["ours_quality"] / quality["peer_quality"]
    assert quality["ours_quality"] >= 1.1 * quality["peer_quality"] and quality["goal_met"]
    engine = make_engine(f"sqlite:///{tmp_path / 'search-1000' / 'observatory.db'}")
    try:
        with transaction(engine) as session:
            assert session.scalar(select(func.count()).select_from(SearchDocument)) == 1_283
        assert pending(engine, load_embedder(DEFAULT_MODEL).name) == []
        sources = seeded_sources(engine, load_embedder(DEFAULT_MODEL).name)
    finally:
        engine.dispose()
    corpus = list(generated(sources, 600))
    assert len({document.kind for document, _ in corpus}) == 4
    assert all(document.countries for document, _ in corpus)
    assert np.allclose([np.linalg.norm(vector) for _, vector in corpus], 1.0, atol=1e-5)
