"""Command-line tools the tests run as a user would, each in a virtual environment of its own.

A tool whose dependencies would constrain the project's (cffconvert 2.0.0 pins jsonschema<4)
is installed from ``tests/tools/<name>.txt`` into ``<venv>/tools/<name>/`` the first time a test
asks for it, by pip as `make test` installs everything else, and reused until that file changes.
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
import venv
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent / "tools"
ROOT = Path(__file__).resolve().parent.parent


def _home() -> Path:
    in_venv = sys.prefix != sys.base_prefix
    return (Path(sys.prefix) if in_venv else ROOT / ".venv") / "tools"


def tool(name: str) -> Path:
    """The path of the executable ``name``, installed on first use (one installer at a time:
    the test workers of pytest-xdist wait for each other on a lock file)."""
    requirements = REQUIREMENTS / f"{name}.txt"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    home = _home() / name
    home.parent.mkdir(parents=True, exist_ok=True)
    stamp = home / ".installed"
    with open(home.parent / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (stamp.exists() and stamp.read_text() == wanted):
            venv.EnvBuilder(clear=True, with_pip=True).create(home)
            subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", "-r", str(requirements)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            stamp.write_text(wanted)
    return home / "bin" / name
