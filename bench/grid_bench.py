"""What a real Selenium Grid 4 in the loop costs, and what its nodes buy: a benchmark (prints tables).

    python bench/grid_bench.py [--iterations 100] [--latency-ms 150] [--sigma 0.35] [--nodes 1,2,4]
                               [--skip-commands] [--skip-suite]

1. Per command: the same commands (bench/appium_proxy_bench.py's) on the virtual device alone (in this
   process), on one Appium 3 server with our TikTokSim driver, and through a Grid (hub + one relay node to
   that same Appium server). Two sessions are open on that Appium at once, one direct and one through the
   Grid, and the commands alternate between them, so each pair meets the same moment of a shared machine;
   the Grid's cost is the median of the pairs' differences, and the CPU time the hub and node JVMs used
   per command (/proc/PID/stat), which a busy machine does not inflate. Also the Grid's start time (hub +
   node + Appium, to every node UP) and each process's resident memory (VmRSS) with the lean JVM flags
   of harness.run.grid.
2. The whole feature suite (`pytest features -n N`, a subprocess) under the latency model
   (PROMO_SIM_FAULTS: a log-normal latency per command, as bench/flow_bench.py): on the virtual device
   alone, through direct Appium servers (appium-sim, one per worker) and through the Grid on 1, 2 and 4
   nodes (grid-sim with grid_nodes N, one worker per node). "scenarios" is the first scenario's start to
   the last one's end (bench/suite_clock.py), so the Grid's own start-up is in "wall" only. Screen recording is
   off (--video off), as the step screenshots are: the Grid is measured, not the device's video encoder.

Targets: 4 nodes at least 3x faster than 1; the Grid's cost under 5 ms per command.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from appium import webdriver
from appium.webdriver.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "bench"))

from appium_proxy_bench import COMMANDS, options, p95  # noqa: E402

from tiktok_promo.harness.run.grid import LEAN_JVM_FLAGS, SeleniumGrid  # noqa: E402
from tiktok_promo.simulator import SimulatorServer  # noqa: E402

PROFILES = ROOT / "harness" / "run" / "profiles"
PYTHON = sys.executable


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def session(url: str, automation: str, udid: str | None = None) -> WebDriver:
    opts = options(automation)
    if udid:
        opts.set_capability("appium:udid", udid)
    return webdriver.Remote(url, options=opts)


def cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds these processes have used (/proc/PID/stat, clock ticks)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def timed(driver: WebDriver, command: Callable[[WebDriver], object]) -> float:
    started = time.perf_counter()
    command(driver)
    return (time.perf_counter() - started) * 1000


def per_command(iterations: int, jvm_flags: tuple[str, ...] = LEAN_JVM_FLAGS) -> dict[str, object]:
    with SimulatorServer(port=0) as sim:
        alone_driver = session(sim.url, "UiAutomator2")
        try:
            alone = {name: [timed(alone_driver, command) for _ in range(rounds(name, iterations))]
                     for name, command in COMMANDS.items()}
        finally:
            alone_driver.quit()
    grid = SeleniumGrid(1, stereotype={"platformName": "Android", "appium:automationName": "TikTokSim"},
                        reports_dir=Path(tempfile.mkdtemp(prefix="grid-bench-")), jvm_flags=jvm_flags)
    started = time.perf_counter()
    grid.start()
    start_s = time.perf_counter() - started
    try:
        node = grid.nodes[0]
        jvms = [p.pid for p in (grid._hub, node.proc) if p is not None]
        # Two sessions on the same Appium server, one direct and one through the Grid, commands alternating
        # (direct, Grid, direct, Grid...): each pair meets the same moment of a busy machine.
        direct_driver = session(node.appium.url, "TikTokSim")
        grid_driver = session(grid.url, "TikTokSim", node.udid)
        try:
            for command in COMMANDS.values():  # warm-up: the JVMs compile the relay path
                for _ in range(20):
                    command(grid_driver)
            direct: dict[str, list[float]] = {name: [] for name in COMMANDS}
            through: dict[str, list[float]] = {name: [] for name in COMMANDS}
            # What the JVMs burn doing nothing (heartbeats, the queue's polling), to take out of the count.
            idle_before, idle_started = cpu_s(jvms), time.perf_counter()
            threading.Event().wait(5.0)
            idle_rate = (cpu_s(jvms) - idle_before) / (time.perf_counter() - idle_started)
            cpu_before, busy_started, commands = cpu_s(jvms), time.perf_counter(), 0
            for name, command in COMMANDS.items():
                for _ in range(rounds(name, iterations)):
                    direct[name].append(timed(direct_driver, command))
                    through[name].append(timed(grid_driver, command))
                    commands += 1
            busy = cpu_s(jvms) - cpu_before - idle_rate * (time.perf_counter() - busy_started)
            jvm_cpu_ms = busy * 1000 / commands
        finally:
            direct_driver.quit()
            grid_driver.quit()
        memory = {"hub": rss_mib(jvms[0]), "node": rss_mib(jvms[1]), "appium": rss_mib(node.appium.pid or 0)}
    finally:
        grid.stop()
    print(f"\nPer command (client wall time, ms; {iterations} of each, screenshots {rounds('screenshot', iterations)}; "
          "Grid cost: median of the paired differences)\n")
    rows = []
    added = []
    for name in COMMANDS:
        pairs = statistics.median(g - d for g, d in zip(through[name], direct[name], strict=True))
        added.append(pairs)
        rows.append((name, f"{statistics.median(alone[name]):.2f}", f"{statistics.median(direct[name]):.2f}",
                     f"{p95(direct[name]):.2f}", f"{statistics.median(through[name]):.2f}",
                     f"{p95(through[name]):.2f}", f"{pairs:+.2f}"))
    table(("command", "device alone", "Appium p50", "p95", "Grid p50", "p95", "Grid cost"), rows)
    cost = statistics.median(added)
    print(f"\nGrid cost per command (median over the commands): {cost:.2f} ms wall; the hub and node JVMs "
          f"used {jvm_cpu_ms:.2f} ms of CPU per command beyond their idle {idle_rate * 1000:.0f} ms/s "
          "(target: under 5 ms)")
    print(f"Grid start (hub + 1 node + its Appium, to the node UP): {start_s:.1f} s")
    print(f"Resident memory: hub JVM {memory['hub']:.0f} MiB, node JVM {memory['node']:.0f} MiB, "
          f"Appium {memory['appium']:.0f} MiB (JVM flags: {' '.join(grid.jvm_flags)})")
    return {"cost_ms": round(cost, 2), "jvm_cpu_ms": round(jvm_cpu_ms, 2), "start_s": round(start_s, 2),
            "memory_mib": memory}


def rounds(name: str, iterations: int) -> int:
    return iterations if name != "screenshot" else max(5, iterations // 10)


@dataclass
class SuiteRun:
    """One `pytest features -n N` subprocess."""

    label: str
    devices: int
    wall_s: float
    scenarios_s: float
    passed: int
    failed: int


def run_suite(label: str, devices: int, caps: str, fault: dict[str, object], extra: tuple[str, ...] = ()) -> SuiteRun:
    args = [PYTHON, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", "-p", "suite_clock",
            "--no-step-screenshots", "--video", "off", "-n", str(devices), *extra]
    if caps != "sim":
        args += ["--target", "appium", "--caps", caps]
    with tempfile.TemporaryDirectory() as tmp:
        clock = Path(tmp) / "clock.jsonl"
        env = {**os.environ, "BENCH_CLOCK_FILE": str(clock), "PROMO_SIM_FAULTS": json.dumps(fault),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")]))}
        began = time.perf_counter()
        done = subprocess.run([*args, "--alluredir", str(Path(tmp) / "allure-results")], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - began
        lines = [json.loads(line) for line in clock.read_text().splitlines()] if clock.exists() else []
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", tail)) else 0
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", tail)) else 0
    if done.returncode != 0:
        print(f"  {label}: pytest exit {done.returncode}: {tail}", file=sys.stderr)
        said = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR", "E   "))]
        for line in said[:6] + said[-6:]:  # which scenario, and the sentence it failed with
            print(f"    {line[:300]}", file=sys.stderr)
    span = max(x["end"] for x in lines) - min(x["start"] for x in lines) if lines else 0.0
    run = SuiteRun(label, devices, round(wall, 1), round(span, 1), passed, failed)
    print(f"suite: {label}: {run.wall_s} s", file=sys.stderr)
    return run


def suites(args: argparse.Namespace) -> list[SuiteRun]:
    fault = {"latency_ms": args.latency_ms, "latency_sigma": args.sigma, "seed": args.seed}
    counts = [int(n) for n in args.nodes.split(",")]
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        base = yaml.safe_load((PROFILES / "grid-sim.yaml").read_text(encoding="utf-8"))
        for count in counts:
            profile = Path(tmp) / f"grid-sim-{count}.yaml"
            profile.write_text(yaml.safe_dump({**base, "grid_nodes": count}), encoding="utf-8")
            runs.append(run_suite(f"Grid, {count} node{'s' if count > 1 else ''}", count, str(profile), fault))
    for count in dict.fromkeys((counts[0], counts[-1])):
        runs.append(run_suite(f"direct Appium, {count} server{'s' if count > 1 else ''}", count, "appium-sim",
                              fault))
        runs.append(run_suite(f"virtual device alone, {count}", count, "sim", fault))
    print(f"\nWhole feature suite under the latency model (median {args.latency_ms:g} ms per command, sigma "
          f"{args.sigma:g}); pytest -n N, one device per worker\n")
    ones = {r.label.split(",")[0]: r for r in runs if r.devices == counts[0]}
    rows = []
    for r in runs:
        one = ones[r.label.split(",")[0]]
        speedup = one.scenarios_s / r.scenarios_s if r.scenarios_s else 0.0
        rows.append((r.label, str(r.devices), f"{r.wall_s:.1f} s", f"{r.scenarios_s:.1f} s", f"{speedup:.2f}x",
                     str(r.passed), str(r.failed)))
    table(("run", "workers", "wall", "scenarios", "speed-up", "passed", "failed"), rows)
    return runs


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100, help="timed runs of each command (default 100)")
    parser.add_argument("--latency-ms", type=float, default=150.0, help="median latency per command (default 150)")
    parser.add_argument("--sigma", type=float, default=0.35, help="log-normal spread of the latency (default 0.35)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nodes", default="1,2,4", help="Grid node counts for the suite (default 1,2,4)")
    parser.add_argument("--jvm-flags", default=" ".join(LEAN_JVM_FLAGS),
                        help="the Grid JVMs' flags for the per-command part (default harness.run.grid's lean ones)")
    parser.add_argument("--skip-commands", action="store_true")
    parser.add_argument("--skip-suite", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if not args.skip_commands:
        per_command(args.iterations, tuple(args.jvm_flags.split()))
    if not args.skip_suite:
        suites(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
