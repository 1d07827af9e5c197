"""The dbt zygote: one process imports dbt, then forks a child per dbt command.

Importing dbt costs 2.5-3.5 CPU-seconds (about 1 400 modules; most of it is
dbt building its dataclasses, not reading bytecode), a third of a small
warehouse's build. So a ``yibao`` process that will build starts the zygote
first (``warm_up``): dbt is imported while the reports are read, and every
dbt command of the process is a fork of a process that has dbt imported
already. A process that builds many times (the test suite builds some
thirty warehouses in two processes) imports dbt once, not once per build.

Each child is what ``python -m ingest.dbt_child ARGS…`` is on its own: a
process of its own, with the environment, working folder, standard input,
output and error the request names (the descriptors travel with the request
over a Unix socket), and dbt's exit status as its own. Deaths still chain:
the zygote is killed when the process that started it dies, and each child
when the zygote dies (``PR_SET_PDEATHSIG``), so a killed ``yibao`` leaves no
dbt behind holding the staging file.

The zygote forks only from its one thread, before any dbt command has run
in it: the children start from imported modules, not from a used adapter
or connection (the hazard ``ingest.workers`` explains for pools).

Protocol, one request at a time on a ``SOCK_SEQPACKET`` pair: the client
sends ``{"args", "cwd", "env"}`` (JSON) with three descriptors; the zygote
answers ``{"pid"}`` once it forked and ``{"status"}`` once the child ended.
The zygote ends when the client closes its end.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import traceback
from pathlib import Path

# what a dbt command imports beyond ``dbt.cli.main`` (measured: the build and
# docs tasks, the DuckDB adapter and DuckDB itself)
PRELOAD = ["dbt.cli.main", "dbt.task.build", "dbt.task.docs.generate", "dbt.compilation",
           "dbt.parser.sql", "dbt.adapters.duckdb", "dbt.adapters.duckdb.impl",
           "dbt_common.clients.agate_helper"]
MAX_MESSAGE = 1 << 20


def send(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode("utf-8")
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


def serve(sock: socket.socket) -> None:
    """Fork a child per request until the client closes the socket."""
    while True:
        data, fds, _flags, _addr = socket.recv_fds(sock, MAX_MESSAGE, 3)
        if not data:
            return
        request = json.loads(data)
        pid = os.fork()
        if pid == 0:
            run_child(sock, request, fds)   # never returns
        for fd in fds:
            os.close(fd)
        send(sock, {"pid": pid})
        _, status = os.waitpid(pid, 0)
        send(sock, {"status": os.waitstatus_to_exitcode(status)})


def run_child(sock: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked child: become the dbt child process the request asks for."""
    from ingest import dbt_child
    from ingest.workers import die_with_parent

    status = 2
    try:
        zygote = os.getppid()
        die_with_parent()
        if os.getppid() != zygote:   # the zygote died before the request took hold
            os._exit(2)
        sock.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        status = dbt_child.main(request["args"])
    except BaseException:   # noqa: B036 — whatever happens, this process must end here
        traceback.print_exc()
    dbt_child.exit_now(status)


class ZygoteGone(Exception):
    """The zygote ended (or never started) before it forked the child asked for."""


class Zygote:
    """The client: starts the zygote and runs dbt commands in its children."""

    def __init__(self, env: dict[str, str]):
        from ingest.workers import die_with_parent

        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ingest.dbt_zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent)
        finally:
            theirs.close()
        self.lock = threading.Lock()   # one request at a time: the answers follow the requests

    def alive(self) -> bool:
        return self.sock.fileno() != -1 and self.proc.poll() is None

    def run(self, args: list[str], cwd: Path, env: dict[str, str], stdout: int, stderr: int) -> int:
        """dbt's exit status for ``args`` run in a child (negative: killed by that signal)."""
        with self.lock:
            return self._run(args, cwd, env, stdout, stderr)

    def _run(self, args: list[str], cwd: Path, env: dict[str, str], stdout: int, stderr: int) -> int:
        with open(os.devnull, "rb") as stdin:
            try:
                send(self.sock, {"args": args, "cwd": str(cwd), "env": env},
                     [stdin.fileno(), stdout, stderr])
                pid = self._answer()["pid"]
            except (OSError, ZygoteGone) as exc:
                raise ZygoteGone(str(exc)) from None
        try:
            return self._answer()["status"]
        except ZygoteGone:
            return -9   # the child died with the zygote
        except BaseException:
            _kill(pid)   # interrupted: the child's build stops too, as a child process's did
            self.close()   # and this zygote's answers are out of step: not used again
            raise

    def _answer(self) -> dict:
        data = self.sock.recv(MAX_MESSAGE)
        if not data:
            raise ZygoteGone(f"the dbt zygote ended (exit status {self.proc.wait()})")
        return json.loads(data)

    def close(self) -> None:
        self.sock.close()   # the zygote ends at the end of its socket
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main(fd: int) -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    sock = socket.socket(fileno=fd)
    try:
        serve(sock)
    except (ConnectionError, EOFError):
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]))
