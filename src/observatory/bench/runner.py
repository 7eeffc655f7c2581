"""Runs the registered benchmarks and assembles the one JSON object they print."""

import os
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console

from observatory.bench import seizure_aggregates
from observatory.bench.timing import BenchmarkResult
from observatory.errors import BadInput

Benchmark = Callable[[Path, int, int, Console], list[BenchmarkResult]]
BENCHMARKS: dict[str, Benchmark] = {"seizure_aggregates": seizure_aggregates.run}


def run_benchmarks(workdir: Path, name: str | None, rows: int, repeat: int, progress: Console) -> dict[str, Any]:
    if name is not None and name not in BENCHMARKS:
        raise BadInput(f"unknown benchmark {name!r}; available: {', '.join(BENCHMARKS)}", [{"value": name}])
    workdir.mkdir(parents=True, exist_ok=True)
    selected = [name] if name else list(BENCHMARKS)
    results = [result.as_json() for key in selected for result in BENCHMARKS[key](workdir, rows, repeat, progress)]
    return {
        "benchmarks": results,
        "rows": rows,
        "repeat": repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__},
    }
