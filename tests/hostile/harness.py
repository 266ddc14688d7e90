"""Run ``narrate`` as a hostile user would: in a child process, under limits, and judge how it ended.

Every hostile case must end in a *clean refusal*: exit status 2, a Chinese message on stderr that
names the input, no traceback, and no file other than the ones the test allows touched.  The bomb
classes run under an address-space limit (``RLIMIT_AS``, 1 GiB by default) and a generous wall
clock, so a regression shows as a MemoryError, a kill or a native abort instead of eating the
machine.  The wall clock is a safety net against hangs only: no assertion depends on timing.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

NARRATE = [sys.executable, "-m", "narrate"]
GIB = 1 << 30
HANG_GUARD_S = 300  # generous: a busy CI machine must never turn a clean refusal into a timeout


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr or "Traceback" in self.stdout


def _limits(address_space: int | None):  # type: ignore[no-untyped-def]
    def apply() -> None:
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a native abort must not leave a core file

    return apply


def run(*args: str | os.PathLike, cwd: str | os.PathLike | None = None, address_space: int | None = GIB,
        stdin: bytes | None = None, env: dict[str, str] | None = None) -> Outcome:
    """``narrate ARGS`` in a child process under an address-space limit."""
    result = subprocess.run(
        [*NARRATE, *map(str, args)], cwd=cwd, input=stdin if stdin is not None else b"",
        capture_output=True, timeout=HANG_GUARD_S, preexec_fn=_limits(address_space),
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    return Outcome(result.returncode, result.stdout.decode("utf-8", "replace"),
                   result.stderr.decode("utf-8", "replace"))


def run_python(code: str, *, address_space: int | None = GIB, cwd: str | os.PathLike | None = None) -> Outcome:
    """A snippet of Python (using the library) in a child process under the same limits."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, timeout=HANG_GUARD_S,
        preexec_fn=_limits(address_space), env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return Outcome(result.returncode, result.stdout.decode("utf-8", "replace"),
                   result.stderr.decode("utf-8", "replace"))


def assert_refused(outcome: Outcome, *needles: str) -> None:
    """Exit 2, no traceback, and the message holds every needle (file name, cell, what to do)."""
    assert outcome.returncode == 2, f"exit {outcome.returncode}\nstderr:\n{outcome.stderr[-3000:]}"
    assert not outcome.traceback, outcome.stderr[-3000:]
    for needle in needles:
        assert needle in outcome.stderr, f"{needle!r} not in:\n{outcome.stderr[-3000:]}"


def snapshot(folder: str | os.PathLike) -> dict[str, str]:
    """Every file under ``folder`` (symlinks not followed) → sha256 of its bytes or its link target."""
    found: dict[str, str] = {}
    root = Path(folder)
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = "link:" + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not path.is_dir():
            found[key] = "special"
    return found
