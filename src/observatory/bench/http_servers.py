"""HTTP servers the latency benchmark talks to, each in a process of its own on a free loopback port, and the one
client it uses for all of them: ``http.client`` on a kept-alive connection, the body parsed as JSON."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from observatory.errors import ObservatoryError

HOST = "127.0.0.1"


class ServerFailed(ObservatoryError):
    status = 500
    code = "benchmark-server-failed"


class JsonClient:
    def __init__(self, port: int, timeout: float = 3600.0) -> None:
        self.port = port
        self._connection = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def get(self, path: str) -> Any:
        """The parsed JSON body of ``GET path``; anything but 200 is an error naming the path and the body.

        A server closes a connection left idle too long (uvicorn after 5 s, while another engine answers): the
        request is then sent again on a new connection, as browsers and HTTP libraries do for a GET.
        """
        try:
            body, status = self._exchange(path)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self._connection.close()
            body, status = self._exchange(path)
        if status != 200:
            raise ServerFailed(f"GET {path} answered {status}: {body[:500]!r}", [{"path": path}])
        return json.loads(body)

    def _exchange(self, path: str) -> tuple[bytes, int]:
        self._connection.request("GET", path)
        response = self._connection.getresponse()
        return response.read(), response.status

    def close(self) -> None:
        self._connection.close()


def our_api_command(var_dir: Path, port: int) -> tuple[list[str], dict[str, str]]:
    """``observatory serve`` with the settings it reads from the environment pointing at ``var_dir``."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("OBSERVATORY_")}
    environment |= {"OBSERVATORY_VAR_DIR": str(var_dir), "OBSERVATORY_HOST": HOST, "OBSERVATORY_PORT": str(port)}
    return [sys.executable, "-m", "observatory", "serve"], environment


def datasette_command(database: Path, port: int, settings: Mapping[str, int]) -> tuple[list[str], dict[str, str]]:
    """``datasette serve`` of ``database`` opened immutable, as ``datasette publish`` deploys it."""
    options = [part for name, value in settings.items() for part in ("--setting", name, str(value))]
    command = [sys.executable, "-m", "datasette", "serve", "-i", str(database), "--host", HOST, "--port", str(port)]
    return [*command, *options], dict(os.environ)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    name: str, command: Sequence[str], environment: Mapping[str, str], port: int, ready: str, log: Path, timeout: float
) -> Iterator[JsonClient]:
    """A client of the server ``command`` starts, once ``GET ready`` answers; the server is stopped afterwards.
    Its output goes to ``log``, which a failure to start quotes."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=dict(environment), stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(name, process, port, ready, log, timeout)
        client = JsonClient(port)
        try:
            yield client
        finally:
            client.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(
    name: str, process: subprocess.Popen[bytes], port: int, ready: str, log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServerFailed(f"{name} exited with {process.returncode}: {_tail(log)}")
        try:
            probe = JsonClient(port, timeout=timeout)
            try:
                probe.get(ready)
                return
            finally:
                probe.close()
        except (ConnectionError, ServerFailed):
            if time.monotonic() > deadline:
                raise ServerFailed(f"no answer from {name} on port {port} in {timeout:.0f} s: {_tail(log)}") from None
            time.sleep(0.1)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]
