"""The processes the tests start: each one is stopped when its test ends, whatever
happened (``running``, ``stop``), and the run fails if one is still alive when it ends.

This module is also a pytest plugin (``tests/conftest.py`` loads it): at the end of the
run, every live descendant of pytest is sent SIGTERM, then SIGKILL, named with the test
after which it was first seen, and the run fails.

A process is found by its parent (``/proc/<pid>/task/*/children``, or the parent pid in
every ``/proc/<pid>/stat`` where the kernel does not list children), and this process is
made a child subreaper, so that a grandchild whose parent died (a worker's pool
process, a shell's background job) is handed to this process instead of to init and is
still found.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PR_SET_CHILD_SUBREAPER = 36
GRACE_SECONDS = 5


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    state: str
    command: str

    @property
    def zombie(self) -> bool:
        return self.state in ("Z", "X")


def become_subreaper() -> None:
    """Have orphaned descendants handed to this process (Linux only)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _read(pid: str) -> Process | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it ended meanwhile
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    state, parent = stat[stat.rindex(")") + 2 :].split()[:2]
    words = command.decode(errors="replace").split("\0")
    return Process(int(pid), int(parent), state, " ".join(words).strip() or name)


def _children(pid: int) -> list[int]:
    """The children of ``pid``: the kernel lists them per thread."""
    found = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for thread in threads:
        try:
            found += map(
                int, Path(f"/proc/{pid}/task/{thread}/children").read_text().split()
            )
        except OSError:
            pass
    return found


def descendants(root: int | None = None) -> list[Process]:
    """Every process below ``root`` (this process by default), zombies included."""
    root = os.getpid() if root is None else root
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        return _descendants_by_scanning(root)
    found, frontier = [], [root]
    while frontier:
        for pid in _children(frontier.pop()):
            if process := _read(str(pid)):
                found.append(process)
                frontier.append(pid)
    return found


def _descendants_by_scanning(root: int) -> list[Process]:
    """``descendants`` where the kernel lists no children: read every process."""
    processes = [p for pid in os.listdir("/proc") if pid.isdigit() if (p := _read(pid))]
    children: dict[int, list[Process]] = {}
    for process in processes:
        children.setdefault(process.parent, []).append(process)
    found, frontier = [], [root]
    while frontier:
        below = children.get(frontier.pop(), [])
        found.extend(below)
        frontier.extend(process.pid for process in below)
    return found


def reap(pids) -> None:
    """Collect the exit status of those of ``pids`` that are this process's children
    (adopted orphans included), so that they do not linger as zombies."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def _signal(process: subprocess.Popen, number: int, group: bool) -> None:
    try:
        if group:
            os.killpg(process.pid, number)
        elif process.poll() is None:
            process.send_signal(number)
    except ProcessLookupError:
        pass


def stop(process: subprocess.Popen, *, group: bool = False) -> None:
    """SIGTERM ``process`` (its whole process group when ``group``), give it
    ``GRACE_SECONDS`` to end, then SIGKILL whatever is left and wait for it."""
    members = [p.pid for p in descendants(process.pid)] if group else []
    _signal(process, signal.SIGTERM, group)
    _signal(process, signal.SIGCONT, group)  # a stopped process handles SIGTERM late
    try:
        process.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    _signal(process, signal.SIGKILL, group)
    process.wait(timeout=10)
    reap(members)


@contextmanager
def running(args, *, group: bool = False, **popen) -> Iterator[subprocess.Popen]:
    """``subprocess.Popen(args, **popen)``, stopped (see ``stop``) when the block ends,
    however it ends; ``group`` starts it in a new session and stops the whole group."""
    process = subprocess.Popen(args, start_new_session=group, **popen)
    try:
        yield process
    finally:
        stop(process, group=group)


# The plugin ------------------------------------------------------------------------------

FIRST_SEEN: dict[int, str] = {}  # pid: the test after which it was first seen


def pytest_configure(config):
    become_subreaper()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    yield
    for process in descendants():
        FIRST_SEEN.setdefault(process.pid, item.nodeid)


def pytest_sessionfinish(session, exitstatus):
    left = [process for process in descendants() if not process.zombie]
    if left:
        for number in (signal.SIGTERM, signal.SIGKILL):
            _signal_and_wait(left, number)
        lines = [
            f"{len(left)} process(es) outlived the tests; killed, and the run fails:"
        ]
        for process in left:
            started = FIRST_SEEN.get(process.pid, "the session, outside any test")
            lines.append(
                f"  pid {process.pid}: {process.command} (seen first after {started})"
            )
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            print(*lines, sep="\n", file=sys.stderr)
        else:
            reporter.line("")
            reporter.write_sep("=", "processes left running", red=True)
            for line in lines:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    reap(p.pid for p in descendants() if p.zombie)


def _signal_and_wait(targets: list[Process], number: int) -> None:
    for process in targets:
        try:
            os.kill(process.pid, number)
        except ProcessLookupError:
            pass
    pids = {process.pid for process in targets}
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(
        p.pid in pids and not p.zombie for p in descendants()
    ):
        time.sleep(0.1)
