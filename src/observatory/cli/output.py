"""How commands print: results on stdout, messages and errors on stderr."""

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from observatory.errors import ObservatoryError

P = ParamSpec("P")
R = TypeVar("R")

err = Console(stderr=True, soft_wrap=True)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the platform's errors into a message on stderr and exit code 1, instead of a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ObservatoryError as exc:
            err.print(f"[bold red]error[/] ({exc.code}): {exc.message}", markup=True, highlight=False, soft_wrap=True)
            for detail in exc.details[:10]:
                err.print(f"  {json.dumps(detail, ensure_ascii=False, default=str)}", markup=False, highlight=False)
            raise typer.Exit(1) from exc

    return wrapper


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
