"""A test that needs something outside Python skips, with the remedy, where the machine
lacks it (tests/environment.py), and never fails instead."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_both_html_validity_tests_skip_where_java_is_missing():
    python_only = str(Path(sys.executable).parent)  # the venv's bin: no java on this PATH
    environ = {**os.environ, "PATH": python_only}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-rs", "tests/test_html_valid.py", "tests/meetings/test_html_valid.py"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "2 skipped" in result.stdout
    assert result.stdout.count("java not installed (bin/setup installs it)") == 2
