"""How long the tests wait for something to happen, from one setting: TEST_WAIT_SCALE (default 1;
say 3 on a very slow machine).

A test waits for an event (a line a process prints, a reply, a process's exit), never for a
stretch of time standing in for one. A deadline only bounds how long a test that is going to fail
hangs before it says so, so it is generous: on success it costs nothing, and on a machine whose
cores are busy with something else a slow start or stop is no failure.
"""

from __future__ import annotations

import os

WAIT_SCALE = float(os.environ.get("TEST_WAIT_SCALE", "1"))


def patience(seconds: float) -> float:
    """`seconds` on this machine: the longest a wait may take before the test fails."""
    return seconds * WAIT_SCALE


# For a process to start (an interpreter imports aiogram in about 8 s on an idle CI core) or stop
# (the bot drains the updates in flight), and for a reply or any event a test causes.
DEADLINE = patience(60.0)


def loaded_on_import(module: str, package: str) -> list[str]:
    """The modules of `package` a fresh interpreter holds right after `import module`: a
    library the bot must import only on first use leaves none (killed after DEADLINE)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = (
        f"import json, sys, {module}"
        f"; print(json.dumps(sorted(m for m in sys.modules if {package!r} in m)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))
