"""Start-up: the real `python -m bot` from process spawn to its first getUpdates.

The bot runs as it does in production, with a BotFather-shaped token, a fresh SQLite file and
TELEGRAM_API_URL pointing at the sandbox's Bot API server on 127.0.0.1, which this script runs and
which records when each request arrives. The baseline is a `python -c` importing every aiogram
module the bot's packages import at module level (found in their source), from spawn to the
line it prints after them (its clean-up at exit left out, as the bot's measure leaves it out),
with the same interpreter, environment and working directory. Runs alternate (bot, baseline,
bot, ...) so that a machine slowing down weighs on both alike; one untimed run of the bot under
`-X importtime` comes first (it also warms the caches) and names the slowest imports the project
adds: those not loaded by the baseline, at the outermost level below the project's own modules.

The last line is one JSON object: startup_s and aiogram_import_s (medians), project_overhead_s
(their difference; the goal is ≤ 0.5 s), runs, the single runs, the same in CPU time (less
disturbed by other work on the machine), the median of the differences of neighbouring runs,
and top_imports.

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import DeliverySettings, RemindersSettings, Settings
from sandbox.bot_api import BotApiServer

REPO_ROOT = Path(__file__).resolve().parent.parent
# BotFather's shape (bot id, colon, 35 characters); not a real bot's.
TOKEN = "7012345678:AAFakeTokenForTheStartupBenchmark0x"
# The packages `python -m bot` loads (sandbox/ is only for `python -m sandbox`).
BOT_PACKAGES = ("app", "bot", "handlers", "ui", "storage")
START_TIMEOUT = 120.0  # spawn to first getUpdates, or to the baseline's imports done
STOP_TIMEOUT = 10.0  # SIGTERM to exit, then SIGKILL
TOP = 5


def aiogram_modules() -> list[str]:
    """Every aiogram (or aiohttp) module imported at the top of a module of BOT_PACKAGES."""
    found: set[str] = set()
    for package in BOT_PACKAGES:
        for path in (REPO_ROOT / package).rglob("*.py"):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
    return sorted(name for name in found if name.split(".")[0] in {"aiogram", "aiohttp"})


def clean_env() -> dict[str, str]:
    """The caller's environment without any of the bot's settings (a developer's must not leak)."""
    names = {name.upper() for name in Settings.model_fields}
    for kind in (DeliverySettings, RemindersSettings):
        prefix = str(kind.model_config.get("env_prefix") or "")
        names |= {f"{prefix}{name}".upper() for name in kind.model_fields}
    env = {key: value for key, value in os.environ.items() if key.upper() not in names}
    env.update(PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules are cached, as in production
    return env


async def stop(proc: asyncio.subprocess.Process) -> None:
    """SIGTERM, then SIGKILL after STOP_TIMEOUT; always reaps the child."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()


@dataclass
class Workdir:
    """A fresh directory per run: no .env, a new database, the child's output."""

    root: Path
    runs: int = field(default=0)

    def next(self) -> tuple[Path, Path]:
        self.runs += 1
        run = self.root / f"run{self.runs}"
        run.mkdir()
        return run, run / "output.log"


@dataclass
class Timing:
    wall_s: float  # spawn to the first getUpdates (the bot) or to the end of its imports
    cpu_s: float  # the child's user + system time by then (clock ticks: 10 ms steps)


def cpu_seconds(pid: int) -> float:
    """User + system time of a running process, from /proc (Linux)."""
    stat = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


async def bot_startup(api: BotApiServer, work: Workdir, *flags: str) -> tuple[Timing, str]:
    """Spawn to the first getUpdates at `api`, and the child's output until then."""
    run, log_path = work.next()
    env = clean_env() | {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.url,
        "DATABASE_PATH": str(run / "bot.sqlite3"),
    }
    with log_path.open("wb") as log:
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *flags, "-m", "bot", cwd=run, env=env, stdout=log, stderr=log
        )
        try:
            polled = asyncio.ensure_future(
                api.wait_for_call(
                    "getUpdates",
                    lambda call: call.at >= started,
                    timeout=START_TIMEOUT,
                    done=False,  # its arrival: the long poll is held, not answered
                )
            )
            exited = asyncio.ensure_future(proc.wait())
            try:
                await asyncio.wait({polled, exited}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (polled, exited):
                    task.cancel()
                await asyncio.gather(polled, exited, return_exceptions=True)
            output = log_path.read_text(encoding="utf-8", errors="replace")
            if polled.cancelled() or polled.exception() is not None:
                raise RuntimeError(f"the bot never polled (exit {proc.returncode}):\n{output}")
            # The bot now waits on its long poll: its CPU time is what start-up took.
            timing = Timing(polled.result().at - started, cpu_seconds(proc.pid))
            return timing, output
        finally:
            await stop(proc)


def baseline_code(modules: list[str]) -> str:
    """Imports `modules`, then prints its own user + system time."""
    return (
        f"import {', '.join(modules)}\n"
        "import os\n"
        "t = os.times()\n"
        "print(t.user + t.system, flush=True)"
    )


async def baseline_import(modules: list[str], work: Workdir) -> Timing:
    """Spawn to the end of the imports (the line the baseline prints then: the interpreter's
    clean-up at exit, which the bot's measure does not include either, is left out)."""
    run, log_path = work.next()
    with log_path.open("wb") as log:
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            baseline_code(modules),
            cwd=run,
            env=clean_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
        try:
            assert proc.stdout is not None
            line = await asyncio.wait_for(proc.stdout.readline(), START_TIMEOUT)
            elapsed = time.monotonic() - started
            code = await asyncio.wait_for(proc.wait(), START_TIMEOUT)
        finally:
            await stop(proc)
    if code != 0 or not line.strip():
        raise RuntimeError(f"importing aiogram failed:\n{log_path.read_text(errors='replace')}")
    return Timing(elapsed, float(line.decode()))


@dataclass
class Imported:
    name: str
    self_us: int
    cumulative_us: int
    depth: int
    children: list[Imported] = field(default_factory=list)


def import_tree(text: str) -> list[Imported]:
    """The top-level imports of `-X importtime` output, each with its children."""
    pending: list[Imported] = []
    for line in text.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        if not self_us.strip().isdigit():
            continue  # the header line
        depth = (len(name) - len(name.lstrip()) - 1) // 2  # " name", two more per level
        node = Imported(name.strip(), int(self_us), int(cumulative_us), depth)
        # Printed after its children: the pending deeper lines are this one's.
        while pending and pending[-1].depth > depth:
            node.children.insert(0, pending.pop())
        pending.append(node)
    return pending


def is_ours(name: str) -> bool:
    return name.split(".")[0] in BOT_PACKAGES


def added_us(node: Imported, baseline: set[str]) -> int:
    """What importing `node` cost beyond the baseline's modules."""
    if node.name in baseline:
        return 0
    return node.self_us + sum(added_us(child, baseline) for child in node.children)


def top_imports(bot_text: str, baseline_text: str) -> tuple[list[tuple[str, float]], float]:
    """The slowest modules the project adds beyond the baseline: each one outside our packages
    imported directly by one of ours (ms, its subtree without the baseline's modules), and our
    own modules' self time (ms)."""
    baseline = {node.name for node in walk(import_tree(baseline_text))}
    added: list[tuple[str, float]] = []
    own_us = 0

    def visit(node: Imported) -> None:
        nonlocal own_us
        if node.name in baseline:
            return
        if not is_ours(node.name):
            added.append((node.name, round(added_us(node, baseline) / 1000, 1)))
            return
        own_us += node.self_us
        for child in node.children:
            visit(child)

    for root in import_tree(bot_text):
        visit(root)
    added.sort(key=lambda item: -item[1])
    return added[:TOP], round(own_us / 1000, 1)


def walk(nodes: list[Imported]) -> list[Imported]:
    return [each for node in nodes for each in (node, *walk(node.children))]


async def importtime_of_baseline(modules: list[str], work: Workdir) -> str:
    run, _ = work.next()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-X",
        "importtime",
        "-c",
        baseline_code(modules),
        cwd=run,
        env=clean_env(),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(), START_TIMEOUT)
    finally:
        await stop(proc)
    return stderr.decode("utf-8", errors="replace")


def paired(startups: list[float], imports: list[float]) -> float:
    differences = (s - i for s, i in zip(startups, imports, strict=True))
    return round(statistics.median(differences), 3)


async def measure(runs: int, workdir: Path) -> dict[str, Any]:
    modules = aiogram_modules()
    work = Workdir(workdir)
    api = BotApiServer(TOKEN, bot_username="startup_bench_bot", bot_name="Start-up bench")
    await api.start()
    try:
        # Untimed, first: the import tree (everything up to the first getUpdates) and warm caches.
        _, bot_text = await bot_startup(api, work, "-X", "importtime")
        baseline_text = await importtime_of_baseline(modules, work)
        startups: list[Timing] = []
        imports: list[Timing] = []
        for _ in range(runs):
            startups.append((await bot_startup(api, work))[0])
            imports.append(await baseline_import(modules, work))
    finally:
        await api.stop()
    top, own_ms = top_imports(bot_text, baseline_text)
    startup = statistics.median(t.wall_s for t in startups)
    aiogram_import = statistics.median(t.wall_s for t in imports)
    startup_cpu = statistics.median(t.cpu_s for t in startups)
    aiogram_import_cpu = statistics.median(t.cpu_s for t in imports)
    return {
        "startup_s": round(startup, 3),
        "aiogram_import_s": round(aiogram_import, 3),
        "project_overhead_s": round(startup - aiogram_import, 3),
        "goal_overhead_s": 0.5,
        "runs": runs,
        "startup_runs_s": [round(t.wall_s, 3) for t in startups],
        "aiogram_import_runs_s": [round(t.wall_s, 3) for t in imports],
        # CPU time: less disturbed than wall time by whatever else the machine runs.
        "startup_cpu_s": round(startup_cpu, 3),
        "aiogram_import_cpu_s": round(aiogram_import_cpu, 3),
        "project_overhead_cpu_s": round(startup_cpu - aiogram_import_cpu, 3),
        # The median of each bot run minus the baseline run right after it: on a busy machine
        # two neighbouring runs see much the same load.
        "project_overhead_paired_s": paired(
            [t.wall_s for t in startups], [t.wall_s for t in imports]
        ),
        "project_overhead_paired_cpu_s": paired(
            [t.cpu_s for t in startups], [t.cpu_s for t in imports]
        ),
        "top_imports": top,
        "project_modules_self_ms": own_ms,
        "baseline_modules": len(modules),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (median)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        result = asyncio.run(measure(args.runs, Path(tmp)))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
