"""What a real Selenium Grid 4 in the loop costs, and what its nodes buy: a benchmark (prints tables).

    python bench/grid_bench.py [--iterations 100] [--latency-ms 150] [--sigma 0.35] [--nodes 1,2,4]
                               [--skip-commands] [--skip-suite]

1. Per command: the same commands (bench/appium_proxy_bench.py's) on the virtual device alone (in this
   process), on one Appium 3 server with our TikTokSim driver, and through a Grid (hub + one relay node to
   that same Appium server). The Grid's cost per command is the Grid's median minus Appium's, command by
   command. Also the Grid's start time (hub + node + Appium, to every node UP) and each JVM's resident
   memory (VmRSS in /proc) with the lean flags of harness.run.grid.
2. The whole feature suite (`pytest features -n N`, a subprocess) under the latency model
   (PROMO_SIM_FAULTS: a log-normal latency per command, as bench/flow_bench.py): on the virtual device
   alone, through direct Appium servers (appium-sim, one per worker) and through the Grid on 1, 2 and 4
   nodes (grid-sim with grid_nodes N, one worker per node). "scenarios" is the first scenario's start to
   the last one's end (bench/suite_clock.py), so the Grid's own start-up is in "wall" only.

Targets (issue 17): 4 nodes at least 3x faster than 1; the Grid's cost under 5 ms per command.
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
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from appium import webdriver

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "bench"))

from appium_proxy_bench import COMMANDS, options, p95  # noqa: E402

from harness.run.grid import SeleniumGrid  # noqa: E402
from simulator import SimulatorServer  # noqa: E402

PROFILES = ROOT / "harness" / "run" / "profiles"
PYTHON = sys.executable


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(url: str, automation: str, iterations: int, udid: str | None = None) -> dict[str, list[float]]:
    """Client wall time (ms) of each command, after one warm-up each."""
    opts = options(automation)
    if udid:
        opts.set_capability("appium:udid", udid)
    driver = webdriver.Remote(url, options=opts)
    timings: dict[str, list[float]] = {name: [] for name in COMMANDS}
    try:
        for name, command in COMMANDS.items():
            command(driver)
            for _ in range(iterations if name != "screenshot" else max(5, iterations // 10)):
                started = time.perf_counter()
                command(driver)
                timings[name].append((time.perf_counter() - started) * 1000)
    finally:
        driver.quit()
    return timings


def per_command(iterations: int) -> dict[str, object]:
    with SimulatorServer(port=0) as sim:
        alone = measure(sim.url, "UiAutomator2", iterations)
    grid = SeleniumGrid(1, stereotype={"platformName": "Android", "appium:automationName": "TikTokSim"},
                        reports_dir=Path(tempfile.mkdtemp(prefix="grid-bench-")))
    started = time.perf_counter()
    grid.start()
    start_s = time.perf_counter() - started
    try:
        node = grid.nodes[0]
        measure(grid.url, "TikTokSim", iterations // 2, node.udid)  # warm-up: the JVMs compile the relay path
        # Interleaved: Appium direct, then the Grid, twice, so a slow moment of the machine hits both.
        appium: dict[str, list[float]] = {name: [] for name in COMMANDS}
        through: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(2):
            for name, values in measure(node.appium.url, "TikTokSim", iterations // 2).items():
                appium[name] += values
            for name, values in measure(grid.url, "TikTokSim", iterations // 2, node.udid).items():
                through[name] += values
        memory = {"hub": rss_mib(grid._hub.pid) if grid._hub else 0.0,
                  "node": rss_mib(node.proc.pid) if node.proc else 0.0,
                  "appium": rss_mib(node.appium.pid or 0)}
    finally:
        grid.stop()
    print(f"\nPer command (client wall time, ms; {iterations} of each, screenshots {max(5, iterations // 10)})\n")
    rows = []
    added = []
    for name in COMMANDS:
        a, d, g = (statistics.median(x[name]) for x in (alone, appium, through))
        added.append(g - d)
        rows.append((name, f"{a:.2f}", f"{d:.2f}", f"{p95(appium[name]):.2f}", f"{g:.2f}",
                     f"{p95(through[name]):.2f}", f"{g - d:+.2f}"))
    table(("command", "device alone", "Appium p50", "p95", "Grid p50", "p95", "Grid cost p50"), rows)
    cost = statistics.median(added)
    print(f"\nGrid cost per command (median over the commands): {cost:.2f} ms (target: under 5 ms)")
    print(f"Grid start (hub + 1 node + its Appium, to the node UP): {start_s:.1f} s")
    print(f"Resident memory: hub JVM {memory['hub']:.0f} MiB, node JVM {memory['node']:.0f} MiB, "
          f"Appium {memory['appium']:.0f} MiB (JVM flags: {' '.join(grid.jvm_flags)})")
    return {"cost_ms": round(cost, 2), "start_s": round(start_s, 2), "memory_mib": memory}


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
            "--no-step-screenshots", "-n", str(devices), *extra]
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
    parser.add_argument("--skip-commands", action="store_true")
    parser.add_argument("--skip-suite", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if not args.skip_commands:
        per_command(args.iterations)
    if not args.skip_suite:
        suites(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
