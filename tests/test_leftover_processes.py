"""The suite's own guard (``tests/processes.py``, loaded by ``tests/conftest.py``): a
process a test leaves running is killed at the end of the run, named, and fails the
run, even one whose parent is gone.

Each test runs pytest in a subprocess on a small test file of its own, with the guard
as its only plugin of this project.
"""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import processes

PROJECT = Path(__file__).resolve().parents[1]

LEAKING = """
import subprocess
from pathlib import Path


def test_that_leaves_a_child_and_an_orphan_running(tmp_path):
    child = subprocess.Popen(["sleep", "61"])
    orphan = subprocess.run(
        ["sh", "-c", "sleep 62 > /dev/null 2>&1 & echo $!"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    Path({pids!r}).write_text(f"{{child.pid}} {{orphan}}")
"""

TIDY = """
import subprocess


def test_that_stops_what_it_starts():
    with subprocess.Popen(["sleep", "60"]) as child:
        child.terminate()
"""


def run_pytest(directory: Path, source: str) -> subprocess.CompletedProcess:
    (directory / "test_it.py").write_text(textwrap.dedent(source))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.processes"]
        + ["-p", "no:cacheprovider", "-q", str(directory / "test_it.py")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_process_left_running_is_killed_named_and_fails_the_run(tmp_path):
    pids_file = tmp_path / "pids"
    result = run_pytest(tmp_path, LEAKING.format(pids=str(pids_file)))
    child, orphan = map(int, pids_file.read_text().split())
    try:
        assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
        assert "1 passed" in result.stdout
        assert "2 process(es) outlived the tests" in result.stdout
        assert f"pid {child}: sleep 61 (seen first after " in result.stdout
        assert f"pid {orphan}: sleep 62 (seen first after " in result.stdout
        assert "test_that_leaves_a_child_and_an_orphan_running" in result.stdout
        assert not alive(child) and not alive(orphan)
    finally:  # should the guard have failed, kill them here
        for pid in (child, orphan):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        processes.reap([child, orphan])  # handed to this process once pytest ended


def test_the_suite_loads_the_guard(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("tests.processes")


def test_a_run_whose_tests_stop_their_processes_passes(tmp_path):
    result = run_pytest(tmp_path, TIDY)
    assert result.returncode == pytest.ExitCode.OK, result.stdout
    assert "outlived the tests" not in result.stdout
