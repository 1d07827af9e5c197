"""tools/fastest_python.py: the interpreter ``make`` makes the venv from."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("fastest_python", ROOT / "tools" / "fastest_python.py")
fastest_python = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fastest_python)


def test_the_first_candidate_is_kept_unless_another_is_clearly_faster():
    margin = fastest_python.MARGIN
    assert fastest_python.fastest({"a": 1.0, "b": 1.0 - margin / 2}) == "a"   # a tie keeps PATH's
    assert fastest_python.fastest({"a": 1.0, "b": 1.0 - 2 * margin, "c": 0.7}) == "c"
    assert fastest_python.fastest({"a": 1.0, "b": 1.3}) == "a"


def test_a_python_that_can_hold_the_venv_is_timed_and_anything_else_is_not(tmp_path):
    t = fastest_python.timed(sys.executable)
    assert t is not None and t > 0
    assert fastest_python.timed(str(tmp_path / "no-such-python")) is None
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho 'not a number'\n")
    fake.chmod(0o755)
    assert fastest_python.timed(str(fake)) is None
    failing = tmp_path / "python2"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    assert fastest_python.timed(str(failing)) is None


def test_the_script_prints_one_interpreter_that_runs():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "fastest_python.py")],
                          capture_output=True, text=True, check=True)
    chosen = done.stdout.strip()
    assert "\n" not in chosen and chosen
    ran = subprocess.run([chosen, "-c", "import sys; print(sys.version_info >= (3, 10))"],
                         capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "True"
