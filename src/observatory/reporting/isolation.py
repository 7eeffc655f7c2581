"""Checking a file in a worker process with a memory and a time budget, so that no reader can take the server down.

Calamine, pyarrow and expat are native code: a file that makes one of them allocate without bound aborts the
process ("memory allocation of 549755813888 bytes failed"), which no ``except`` catches, and a file that makes a
check run for minutes holds a server thread. ``check_isolated`` runs ``validation.run.check_file`` in a child
process whose address space may grow by ``Budget.memory_bytes`` at most (``RLIMIT_AS``, over what the child had
mapped when it started: the libraries' code alone is some 400 MB) and waits ``Budget.seconds`` at most. A child
that dies, runs out of memory or out of time gives a report with one error, ``read-budget-exceeded``; the server
carries on. Only a file checked within the budget is read again in the caller, to be stored: the same reading of
the same bytes, which fitted.

The child is forked by a fork server, never from the caller: uvicorn runs request handlers in threads, and the
forked copy of a threaded process inherits locks other threads held (the allocator's, logging's, pyarrow's
thread pool) and may hang on them. The fork server is a fresh single-threaded interpreter, started on first use
with the reading modules imported, so a child costs a fork where ``spawn`` would cost a second of imports: 0.2 s
for a small file, vocabularies loaded, plus the caller's main script, which multiprocessing runs again in each child
(half a second for the ``observatory`` console script, which imports the CLI; little for uvicorn's or pytest's).
A process that is itself a daemon (a ``multiprocessing.Pool`` worker, as the import benchmark runs in) may not have
children: it checks in-process, under whatever budget its own parent set.

The budget guards resources, not secrets: the worker runs as the same user, and its answer comes back pickled.
"""

import ctypes
import multiprocessing
import resource
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path
from time import monotonic
from typing import Any

from observatory.reporting.declaration import Declaration, Severity
from observatory.reporting.mapping.model import BadMapping, FileMapping
from observatory.reporting.readers import Limits, NoReaderFound
from observatory.reporting.readers.base import MIB
from observatory.reporting.readers.reading import RecordReading
from observatory.reporting.validation.outliers import History
from observatory.reporting.validation.problems import Problem
from observatory.reporting.validation.report import Report
from observatory.reporting.validation.run import BatchCheck, Outcome, check_file, read_file

#: Imported once by the fork server, so that its children start with them.
PRELOAD = [
    "observatory.reporting.worker_start",
    "observatory.reporting.validation.run",
    "observatory.reporting.isolation",
]
CODE = "read-budget-exceeded"
#: glibc ``mallopt`` parameter: the most arenas malloc creates.
M_ARENA_MAX = -8


@dataclass(frozen=True, slots=True)
class Budget:
    """What reading and checking one file may use: memory over the worker's start, and wall-clock seconds."""

    memory_bytes: int = 1024 * MIB
    seconds: float = 60.0


class WorkerFailed(RuntimeError):
    """The worker raised something other than ``NoReaderFound``: a bug, reported with the worker's traceback."""


def check_isolated(
    data: bytes,
    name: str,
    declaration: Declaration,
    layout: str | None = None,
    history: History = (),
    checks: Sequence[BatchCheck] = (),
    limits: Limits | None = None,
    budget: Budget | None = None,
    mapping: FileMapping | None = None,
) -> Outcome:
    """``check_file`` in a worker process within ``budget``; its arguments and meaning are ``check_file``'s.

    Each of ``checks`` (which must pickle) runs in the worker; what it collected there is copied back onto it
    (``submit.CountryCheck.found``). A clean report comes back with the file read again here, for storing.
    """
    budget = budget or Budget()
    if multiprocessing.current_process().daemon:
        return check_file(data, name, declaration, layout, history, limits, checks=checks, mapping=mapping)
    arguments = (data, name, declaration, layout, history, limits, tuple(checks), mapping)
    answer = _run(budget, arguments)
    if answer is None:
        return Outcome(Report.of([_over_budget(name, budget)], 0), declaration)
    match answer:
        case ("checked", Report() as report, bool(columns), tuple(worked)):
            for mine, theirs in zip(checks, worked, strict=True):
                vars(mine).update(vars(theirs))
        case ("no-reader", str(message), list(details)):
            raise NoReaderFound(message, details)
        case ("bad-mapping", str(message), list(details)):
            raise BadMapping(message, details)
        case ("failed", str(trace), *_):
            raise WorkerFailed(f"checking {name} failed in the worker:\n{trace}")
        case _:
            raise WorkerFailed(f"checking {name}: the worker answered {type(answer).__name__}")
    if report.errors:
        return Outcome(report, declaration)
    reading = read_file(data, name, declaration, layout, limits, columns, mapping)
    return Outcome(report, declaration, reading)


def _run(budget: Budget, arguments: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The worker's answer, or ``None`` if it died or ran out of time (then it is killed)."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(sender, budget.memory_bytes, arguments), daemon=True)
    deadline = monotonic() + budget.seconds
    worker.start()
    sender.close()
    try:
        if not receiver.poll(budget.seconds):
            return None
        answer: tuple[Any, ...] = receiver.recv()
        return answer
    except (EOFError, OSError):
        return None
    finally:
        receiver.close()
        worker.join(max(0.0, min(5.0, deadline - monotonic())))
        if worker.is_alive():
            worker.kill()
            worker.join()
        worker.close()


@cache
def _context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _work(sender: Connection, memory_bytes: int, arguments: tuple[Any, ...]) -> None:
    """In the worker: cap the address space, check, send the outcome back (the reading itself stays here)."""
    _few_arenas()
    limit = _address_space() + memory_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    data, name, declaration, layout, history, limits, checks, mapping = arguments
    try:
        outcome = check_file(data, name, declaration, layout, history, limits, checks=checks, mapping=mapping)
        columns = not isinstance(outcome.reading, RecordReading)
        answer: tuple[Any, ...] = ("checked", outcome.report, columns, checks)
    except NoReaderFound as exc:
        answer = ("no-reader", exc.message, exc.details)
    except BadMapping as exc:
        answer = ("bad-mapping", exc.message, exc.details)
    except MemoryError:
        return
    except Exception:
        answer = ("failed", traceback.format_exc())
    try:
        sender.send(answer)
    except MemoryError:
        return
    except Exception:
        sender.send(("failed", traceback.format_exc()))
    sender.close()


def _few_arenas() -> None:
    """Cap glibc's malloc arenas at two. Each thread that allocates (Arrow's thread pools have one per core, and
    more for I/O) may get an arena that reserves 64 MB of address space: on a busy machine that alone came near the
    budget (Arrow: "malloc of size 128 failed") while little memory was in use. No-op where glibc is absent."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        return


def _address_space() -> int:
    """The bytes of address space this process has mapped (Linux ``/proc/self/statm``; 0 elsewhere)."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return 0
    return int(statm.read_text().split()[0]) * resource.getpagesize()


def _over_budget(name: str, budget: Budget) -> Problem:
    return Problem(
        CODE,
        Severity.ERROR,
        None,
        None,
        None,
        f"{name}: the file could not be read and checked within {budget.memory_bytes / MIB:,.0f} MB of memory and "
        f"{budget.seconds:g} seconds. A workbook with many cells is read faster as CSV; or split the file.",
    )
