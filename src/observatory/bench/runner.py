"""Runs the registered benchmarks and assembles the one JSON object they print."""

import os
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console

from observatory.bench import api_latency, search_latency, seizure_aggregates, seizure_import, similarity_search
from observatory.bench.timing import BenchmarkResult
from observatory.errors import BadInput

Benchmark = Callable[[Path, int, int, Console], list[BenchmarkResult]]
#: Benchmark → how it runs and how many rows it generates unless told otherwise.
BENCHMARKS: dict[str, tuple[Benchmark, int]] = {
    "seizure_aggregates": (seizure_aggregates.run, 10_000_000),
    "similarity_search": (similarity_search.run, 1_000_000),
    "api_latency": (api_latency.run, 10_000_000),
    "seizure_import": (seizure_import.run, 1_000_000),
    "search_latency": (search_latency.run, 100_000),
}


def run_benchmarks(workdir: Path, name: str | None, rows: int | None, repeat: int, progress: Console) -> dict[str, Any]:
    if name is not None and name not in BENCHMARKS:
        raise BadInput(f"unknown benchmark {name!r}; available: {', '.join(BENCHMARKS)}", [{"value": name}])
    workdir.mkdir(parents=True, exist_ok=True)
    selected = [name] if name else list(BENCHMARKS)
    results = [
        result.as_json()
        for key in selected
        for result in BENCHMARKS[key][0](workdir, rows or BENCHMARKS[key][1], repeat, progress)
    ]
    return {
        "benchmarks": results,
        "rows": rows or {key: BENCHMARKS[key][1] for key in selected},
        "repeat": repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__},
    }
