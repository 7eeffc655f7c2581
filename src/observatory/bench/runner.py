"""Runs the registered benchmarks and assembles the one JSON object they print.

A benchmark whose peer is not installed (the ``bench`` extra: ``pip install -e '.[bench]'``, which ``make bench``
does) is not run: it is listed under ``skipped`` with the modules it misses and how to install them.
"""

import importlib.util
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
#: Benchmark → the modules its peer needs beyond the main dependencies (the ``bench`` extra of pyproject.toml).
PEER_MODULES: dict[str, tuple[str, ...]] = {
    "api_latency": ("datasette",),
    "seizure_import": ("frictionless",),
}
INSTALL = "pip install -e '.[bench]'"


def run_benchmarks(workdir: Path, name: str | None, rows: int | None, repeat: int, progress: Console) -> dict[str, Any]:
    if name is not None and name not in BENCHMARKS:
        raise BadInput(f"unknown benchmark {name!r}; available: {', '.join(BENCHMARKS)}", [{"value": name}])
    workdir.mkdir(parents=True, exist_ok=True)
    selected = [name] if name else list(BENCHMARKS)
    results: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for key in selected:
        missing = missing_modules(key)
        if missing:
            skipped.append({"name": key, "missing": missing, "install": INSTALL})
            progress.log(f"{key}: skipped, its peer needs {', '.join(missing)} ({INSTALL})", markup=False)
            continue
        run, default_rows = BENCHMARKS[key]
        results.extend(result.as_json() for result in run(workdir, rows or default_rows, repeat, progress))
    return {
        "benchmarks": results,
        "skipped": skipped,
        "rows": rows or {key: BENCHMARKS[key][1] for key in selected},
        "repeat": repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__},
    }


def missing_modules(name: str) -> list[str]:
    """The modules benchmark ``name``'s peer needs that are not installed."""
    return [module for module in PEER_MODULES.get(name, ()) if not _installed(module)]


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a module blocked in sys.modules
        return False
