"""The cancel flow against the hand-written minimum, on a virtual phone as slow as a real one: a benchmark.

    python bench/flow_bench.py [--runs 7] [--models flat,phone] [--latency-ms 150] [--sigma 0.35] [--skip-suite]
                               [--robot] [--batch] [--curve] [--caps ios-sim]

One cancel ("Summer haul try-on" on the default world, as @mia.creates) goes through each path, the
paths interleaved (A B C ... A B C ...) so that a slow moment of the machine hits every path alike:

  A  bench/minimal_cancel.py: raw appium-python-client calls, the fewest commands (the reference)
  B  the `promo cancel --yes --title ...` command, in this process through promo.cli.main (argv in,
     exit code out: argument parsing, config, plan, confirmation skipped by --yes, cancel, audit log,
     Allure results with its evidence picture, rendering)
  C  the feature suite's Scenario Outline "Cancel a promotion chosen by its title" through pytest.main
     in this process (-k), with the three evidence settings: no Allure; Allure with per-step screenshots
     off; Allure with per-step screenshots on

`--caps ios-sim` runs A, B, C and the suite on the virtual device's iOS face instead (A asks as an XCUITest user
does: bench/minimal_cancel.py's iOS locators); the Robot Framework peer and the batches know Android only.

Screen recording is off on every path (`--video off` for B and C): with Allure a scenario would otherwise record
its screen from its session's start, two more commands and a picture per screen change inside the measured
session, which the minimal script does not pay. What a recording costs is in docs/simulator.md.

Every session meets the same `sim:faults` cost model, seeded; run i uses seed base+i on every path, so the
paths of one run meet the same sequence of draws. Two models, each with its own table, then side by side:
- flat: a log-normal latency per command around a median (150 ms, sigma 0.35), whatever the command;
- phone: a cost per command kind (simulator/costs.py; docs/performance.md has the table and its sources):
  a page source or an XPath find walks the whole screen, a find by accessibility id stops at the first
  match, a tap waits for the app to settle, a screenshot encodes a picture, a session start launches the
  app; log-normal spread sigma 0.35.
The page sources each path reads (the expensive command on a phone) are counted in the table.

How it measures, and why it is honest:
- The virtual device runs in its own process (`python -m tiktok_promo.simulator --port 0`), so this process's
  CPU time (time.process_time, every thread) is the harness's and the client's alone. The `sim`
  target normally starts the device in-process; here SimulatorHost is pointed at that process
  instead. That is the only thing patched: promo and pytest run their own code unchanged.
- Commands are the device's own count (`mobile: simStats`, read just before the session quits; the
  probe does not count itself, nor the session-create request) plus 1 for the session create. The
  quit is not counted on any path.
- Wall time and CPU time are taken over the session's life, create to quit, on every path (a
  AppiumSession's start() to its close(); for A its Remote() to its quit()). The whole invocation
  (promo's main(), the pytest run with its collection) is shown beside it.

The Robot Framework peer (--robot): R is the same cancel as an AppiumLibrary user writes it
(bench/robot_cancel.robot: Wait Until Page Contains Element then Click Element for each step, Get Text of
the status), run through robot.run in this process in every run; its wall is the test's own time.

Batches (--batch): K promotions cancelled on one device, in a world of L promotions of which exactly the
K chosen are active (spread evenly down the list, titles all different; L = 60 is the `many` world's length):
`promo cancel` choosing them by title (K --title), by ID (K --id) and by --all-active, one run each, beside K
runs of the minimal script (one session per promotion, as a person would loop it). Rows for K = 10, L = 60
under each model; then (--curve) the cost per promotion of promo by title and by ID against K (1, 5, 10, 20;
L = 60) and against L (20, 60, 120; K = 5), under the first model.

Then the whole feature suite as a person runs it (a subprocess, interpreter start included): once
without latency, serial; then with the latency model (PROMO_SIM_FAULTS) on 1, 2, 4 and 8 virtual
devices (pytest-xdist -n N: each worker starts its own virtual device).

Prints the tables and writes everything to reports/bench.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "bench"))

import minimal_cancel  # noqa: E402
import pytest  # noqa: E402

from tiktok_promo.harness.run import simhost  # noqa: E402
from tiktok_promo.harness.run.session import AppiumSession  # noqa: E402
from tiktok_promo.promo import cli  # noqa: E402

TITLE = "Summer haul try-on"
ACCOUNT = "mia.creates"
PACKAGE = "com.zhiliaoapp.musically"
SCENARIO = "cancel_a_promotion_chosen_by_its_title and Summer"
PYTHON = sys.executable


# --- the virtual device, in a process of its own ----------------------------------------------------
class DeviceProcess:
    """`python -m tiktok_promo.simulator --port 0` in a child process; its URL once it listens."""

    def __init__(self, worlds: Path | None = None) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self.worlds = worlds  # a folder whose world files sessions may name (the batch worlds)

    def __enter__(self) -> DeviceProcess:
        extra = ["--worlds-dir", str(self.worlds)] if self.worlds is not None else []
        self.process = subprocess.Popen(
            [PYTHON, "-m", "tiktok_promo.simulator", "--host", "127.0.0.1", "--port", "0", *extra], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        match = re.search(r"https?://\S+", line)
        if not match:
            self.__exit__()
            raise SystemExit(f"the virtual device did not start: {line!r}")
        self.url = match.group(0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


# --- what one session did -------------------------------------------------------------------------
@dataclass
class Span:
    """One session's life: wall and CPU seconds from create to quit, and the device's command count."""

    wall: float
    cpu: float
    commands: int  # the device's count (before the quit) + 1 for the session create
    by_route: dict[str, int]
    phase: str  # the pytest phase it started in ("call" for a scenario's own session), else "other"


class Recorder:
    """Wraps AppiumSession.start/close to time every harness session and read its count before it quits."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self.phase = "other"  # the pytest phase now (PhaseProbe sets it)
        self._open: dict[int, tuple[float, float, str]] = {}
        self._start = AppiumSession.start
        self._close = AppiumSession.close

    def install(self) -> None:
        """Wrap AppiumSession.start and close (this process only; the harness's code is otherwise untouched)."""
        recorder = self

        def start(session: AppiumSession) -> Any:
            if session._finder is None and id(session) not in recorder._open:
                recorder._open[id(session)] = (time.perf_counter(), time.process_time(), recorder.phase)
            return recorder._start(session)

        def close(session: AppiumSession) -> None:
            opened = recorder._open.pop(id(session), None)
            stats = None
            if session.driver is not None:
                with contextlib.suppress(Exception):
                    stats = session.driver.execute_script("mobile: simStats")
            recorder._close(session)
            if opened is not None and stats is not None:
                recorder.spans.append(Span(time.perf_counter() - opened[0], time.process_time() - opened[1],
                                           int(stats["commands"]) + 1, dict(stats["by_route"]), opened[2]))

        AppiumSession.start = start  # type: ignore[method-assign]
        AppiumSession.close = close  # type: ignore[method-assign]

    def take(self, phase: str | None = None) -> list[Span]:
        """The spans recorded since the last take (only those started in `phase`, when given)."""
        spans = [s for s in self.spans if phase is None or s.phase == phase]
        self.spans = []
        return spans


class PhaseProbe:
    """A pytest plugin that tells the Recorder which phase a session starts in."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Iterator[None]:
        self.recorder.phase = "call"
        try:
            return (yield)
        finally:
            self.recorder.phase = "other"


# --- the paths ----------------------------------------------------------------------------------------
@dataclass
class Sample:
    """One run of one path."""

    wall: float
    cpu: float
    commands: int
    invocation: float  # the whole call: promo's main(), pytest.main(); for A the session itself
    by_route: dict[str, int]


MODELS = ("flat", "phone")
SOURCE_ROUTE = "GET /session/:sid/source"


# A phone's timing is its costs and its screens coming in (simulator/motion.py): the phone model runs with the
# transitions on, the flat model (the earlier rounds' baseline) with every screen at rest at once. Asked
# explicitly per session on every path, so the device's own default does not decide what is measured.
TRANSITIONS = {"flat": False, "phone": True}


def sim_profile(tmp: Path, transitions: bool) -> Path:
    """The profile of the face being driven (FACE) with `sim:transitions` set: what promo and pytest are given
    with --caps."""
    path = tmp / f"{FACE['caps']}-transitions-{'on' if transitions else 'off'}.yaml"
    if not path.exists():
        base = (ROOT / "harness" / "run" / "profiles" / f"{FACE['caps']}.yaml").read_text(encoding="utf-8")
        path.write_text(base.rstrip("\n") + f"\n  sim:transitions: {'true' if transitions else 'false'}\n",
                        encoding="utf-8")
    return path


def transitions_of(fault: dict[str, Any]) -> bool:
    """Whether a run under these faults has its screens come in (the phone model's) or at rest at once."""
    return TRANSITIONS[fault.get("cost_model", "flat")]


def faults(latency_ms: float, sigma: float, seed: int, model: str = "flat") -> dict[str, Any]:
    """The `sim:faults` cost model of one run: flat (latency_ms per command) or phone (a cost by kind)."""
    if model == "phone":
        return {"cost_model": "phone", "latency_sigma": sigma, "seed": seed}
    return {"latency_ms": latency_ms, "latency_sigma": sigma, "seed": seed}


# The virtual device's face every path drives (--caps): "sim" (Android) or "ios-sim" (iOS).
FACE = {"caps": "sim"}
FACES = ("sim", "ios-sim")


def on_ios() -> bool:
    return FACE["caps"] == "ios-sim"


def run_minimal(url: str, fault: dict[str, Any], recorder: Recorder, tmp: Path) -> Sample:
    """A: the hand-written script's own functions; simStats read between the flow and the quit."""
    began, cpu = time.perf_counter(), time.process_time()
    app = {} if on_ios() else {"appium:appPackage": PACKAGE}
    driver = minimal_cancel.start(url, {**app, "sim:world": "default", "sim:faults": fault,
                                        "sim:transitions": transitions_of(fault)}, on_ios())
    try:
        status = minimal_cancel.cancel(driver, TITLE, ACCOUNT)
        stats = driver.execute_script("mobile: simStats")
    finally:
        driver.quit()
    wall, used = time.perf_counter() - began, time.process_time() - cpu
    if status not in ("Canceled", "Stopped"):
        raise SystemExit(f"the minimal script ended with status {status!r}")
    return Sample(wall, used, int(stats["commands"]) + 1, wall, dict(stats["by_route"]))


def run_promo(url: str, fault: dict[str, Any], recorder: Recorder, tmp: Path) -> Sample:
    """B: `promo cancel --yes --title ...` through promo.cli.main, output captured."""
    return promo_in_process(["--title", TITLE], "default", fault, recorder, tmp)


def promo_in_process(selection: list[str], world: str, fault: dict[str, Any], recorder: Recorder,
                     tmp: Path) -> Sample:
    """`promo cancel --yes` over what `selection` names, on one device, through promo.cli.main, output captured."""
    argv = ["cancel", "--yes", *selection, "--reason", "budget", "--account", ACCOUNT, "--world", world,
            "--reports", str(tmp / "promo"), "--sim-faults", f"sim-1={json.dumps(fault)}", "--video", "off",
            "--caps", str(sim_profile(tmp, transitions_of(fault)))]
    out = io.StringIO()
    began = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(argv)
    invocation = time.perf_counter() - began
    if code != 0:
        raise SystemExit(f"promo cancel exited {code}:\n{out.getvalue()[-3000:]}")
    (span,) = recorder.take()
    return Sample(span.wall, span.cpu, span.commands, invocation, span.by_route)


def scenario_runner(extra: list[str]) -> Callable[[str, dict[str, Any], Recorder, Path], Sample]:
    """C: the Scenario Outline's first example through pytest.main in this process, with `extra` options."""

    def run(url: str, fault: dict[str, Any], recorder: Recorder, tmp: Path) -> Sample:
        args = ["-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(ROOT / "features"), "-k", SCENARIO,
                "--sim-faults", json.dumps(fault), "--video", "off",
                "--caps", str(sim_profile(tmp, transitions_of(fault)))]
        args += [a.replace("{tmp}", str(tmp)) for a in extra]
        out = io.StringIO()
        began = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = pytest.main(args, plugins=[PhaseProbe(recorder)])
        invocation = time.perf_counter() - began
        if code != 0:
            raise SystemExit(f"the scenario failed (pytest exit {code}):\n{out.getvalue()[-3000:]}")
        (span,) = recorder.take("call")
        return Sample(span.wall, span.cpu, span.commands, invocation, span.by_route)

    return run


def run_robot(url: str, fault: dict[str, Any], recorder: Recorder, tmp: Path) -> Sample:
    """R: the same cancel as a Robot Framework AppiumLibrary user writes it (bench/robot_cancel.robot), run
    in this process; wall is the test's own time (Open Application to Close Application), as Robot reports it."""
    import robot  # only with --robot: Robot Framework and AppiumLibrary come with the test extra
    from robot.api import ExecutionResult

    stats_file, out_dir = tmp / "robot-stats.json", tmp / "robot"
    variables = [f"URL:{url}", "WORLD:default", f"FAULTS:{json.dumps(fault)}", f"TITLE:{TITLE}",
                 f"STATS_FILE:{stats_file}", f"TRANSITIONS:{str(transitions_of(fault)).lower()}"]
    began, cpu = time.perf_counter(), time.process_time()
    code = robot.run(str(ROOT / "bench" / "robot_cancel.robot"), variable=variables, outputdir=str(out_dir),
                     log="NONE", report="NONE", console="none")
    invocation, used = time.perf_counter() - began, time.process_time() - cpu
    if code != 0:
        raise SystemExit(f"the Robot Framework cancel failed (robot exit {code}); see {out_dir / 'output.xml'}")
    test = ExecutionResult(str(out_dir / "output.xml")).suite.tests[0]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    return Sample(test.elapsed_time.total_seconds(), used, int(stats["commands"]) + 1, invocation,
                  dict(stats["by_route"]))


@dataclass
class FlowPath:
    """A way through the cancel, with its samples."""

    key: str
    name: str
    run: Callable[[str, dict[str, Any], Recorder, Path], Sample]
    samples: list[Sample] = field(default_factory=list)


def paths(robot: bool = False) -> list[FlowPath]:
    """The paths in the order each run takes them; the first is the reference."""
    peer = [FlowPath("R", "Robot Framework AppiumLibrary user", run_robot)] if robot else []
    return [
        FlowPath("A", "minimal script (reference)", run_minimal),
        FlowPath("B", "promo cancel --yes --title", run_promo),
        FlowPath("C", "scenario, no Allure", scenario_runner([])),
        FlowPath("C2", "scenario, Allure, step screenshots off",
                 scenario_runner(["--alluredir", "{tmp}/allure-off", "--no-step-screenshots"])),
        FlowPath("C3", "scenario, Allure, step screenshots on", scenario_runner(["--alluredir", "{tmp}/allure-on"])),
        *peer,
    ]


def against_robot(all_paths: list[FlowPath]) -> float | None:
    """The scenario's wall over the Robot Framework user's, median of same-run ratios (None without --robot)."""
    by_key = {p.key: p.samples for p in all_paths}
    if "R" not in by_key:
        return None
    return round(statistics.median(c.wall / r.wall for c, r in zip(by_key["C"], by_key["R"], strict=True)), 3)


# --- numbers ------------------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass
class FlowRow:
    """One line of the flow table."""

    path: str
    name: str
    runs: int
    commands: int
    commands_range: tuple[int, int]
    commands_ratio: float
    wall_median_s: float
    wall_p95_s: float
    wall_ratio: float  # median wall over the minimal script's median wall
    paired_ratio: float  # median over runs of this path's wall / A's wall in the same run (same seed)
    cpu_ms_per_command: float
    invocation_median_s: float
    by_route: dict[str, int]
    page_sources: int = 0  # median page sources read: the expensive command on a phone


def flow_rows(all_paths: list[FlowPath]) -> list[FlowRow]:
    """The table's rows, every ratio against the first path (the minimal script)."""
    ref = all_paths[0]
    ref_cmd = statistics.median(s.commands for s in ref.samples)
    ref_wall = statistics.median(s.wall for s in ref.samples)
    rows = []
    for path in all_paths:
        commands = [s.commands for s in path.samples]
        walls = [s.wall for s in path.samples]
        paired = [s.wall / r.wall for s, r in zip(path.samples, ref.samples, strict=True)]
        rows.append(FlowRow(
            path.key, path.name, len(path.samples), round(statistics.median(commands)), (min(commands), max(commands)),
            round(statistics.median(commands) / ref_cmd, 3), round(statistics.median(walls), 3),
            round(p95(walls), 3), round(statistics.median(walls) / ref_wall, 3), round(statistics.median(paired), 3),
            round(statistics.median(1000 * s.cpu / s.commands for s in path.samples), 3),
            round(statistics.median(s.invocation for s in path.samples), 3), path.samples[-1].by_route,
            round(statistics.median(s.by_route.get(SOURCE_ROUTE, 0) for s in path.samples)),
        ))
    return rows


def print_table(headers: tuple[str, ...], cells: list[tuple[str, ...]]) -> None:
    """A plain-text table, columns padded (it pastes into Markdown as a code block)."""
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    for line in (headers, tuple("-" * w for w in widths), *cells):
        print("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip())


def print_flows(rows: list[FlowRow], all_paths: list[FlowPath], args: argparse.Namespace,
                model: str) -> dict[str, Any]:
    """The flow table of one cost model; returns what the per-step screenshots and Allure cost."""
    what = (f"flat latency, median {args.latency_ms:g} ms per command" if model == "flat" else
            "phone-like costs by command kind (simulator/costs.py)")
    face = "iOS face" if on_ios() else "Android face"
    print(f"\nCancel flow on the virtual device ({face}), {what} (log-normal, sigma {args.sigma:g}), {args.runs} "
          f"interleaved runs, seeds {args.seed}..{args.seed + args.runs - 1}\n")
    print_table(
        ("path", "", "commands", "sources", "x minimal", "wall median", "wall p95", "x minimal", "x paired",
         "CPU/command", "invocation"),
        [(r.path, r.name, str(r.commands) + ("" if r.commands_range[0] == r.commands_range[1] else
                                              f" ({r.commands_range[0]}-{r.commands_range[1]})"),
          str(r.page_sources), f"{r.commands_ratio:.2f}", f"{r.wall_median_s:.2f} s", f"{r.wall_p95_s:.2f} s",
          f"{r.wall_ratio:.2f}", f"{r.paired_ratio:.2f}", f"{r.cpu_ms_per_command:.1f} ms",
          f"{r.invocation_median_s:.2f} s")
         for r in rows])
    shots = evidence_cost(all_paths)
    print(f"\nper-step screenshots: +{shots['step_screenshots_commands']} commands, "
          f"{shots['step_screenshots_cost_s']:+.2f} s per scenario (C3 - C2, median of the runs' differences; "
          f"{shots['per_screenshot_s']:.2f} s a picture); Allure results alone "
          f"{shots['allure_cost_s']:+.2f} s (C2 - C)")
    return shots


def print_side_by_side(by_model: dict[str, list[FlowRow]]) -> None:
    """Every path's wall time against the minimal script's, under each model (the paired ratio: same seeds)."""
    models = list(by_model)
    first = by_model[models[0]]
    print("\nSide by side: wall time over the minimal script's (paired, same seeds), page sources read\n")
    headers = ("path", "", *(f"{m}: x minimal" for m in models), *(f"{m}: wall" for m in models), "sources")
    cells = []
    for i, row in enumerate(first):
        cells.append((row.path, row.name, *(f"{by_model[m][i].paired_ratio:.2f}" for m in models),
                      *(f"{by_model[m][i].wall_median_s:.2f} s" for m in models), str(row.page_sources)))
    print_table(headers, cells)


def evidence_cost(all_paths: list[FlowPath]) -> dict[str, Any]:
    """What per-step screenshots (C3 - C2) and Allure itself (C2 - C) add, as medians of same-run differences."""
    by_key = {p.key: p.samples for p in all_paths}

    def added(more: str, less: str) -> float:
        return round(statistics.median(a.wall - b.wall for a, b in zip(by_key[more], by_key[less], strict=True)), 3)

    pictures = statistics.median(s.by_route.get("GET /session/:sid/screenshot", 0) for s in by_key["C3"])
    cost = added("C3", "C2")
    return {"allure_cost_s": added("C2", "C"), "step_screenshots_cost_s": cost,
            "step_screenshots_commands": round(statistics.median(s.commands for s in by_key["C3"])
                                               - statistics.median(s.commands for s in by_key["C2"])),
            "per_screenshot_s": round(cost / pictures, 3) if pictures else 0.0}


# --- many promotions on one device --------------------------------------------------------------------
def batch_world(folder: Path, length: int, active: int) -> tuple[Path, list[tuple[str, str]]]:
    """A world of `length` promotions, `active` of them running (spread evenly down the list), every title
    its own; the world file and the running ones as (title, ID), top to bottom."""
    step = max(1, length // max(1, active))
    running = {i * step for i in range(active)}
    promotions = [{"id": f"P-{5000 + i}", "title": f"Batch clip {i + 1:03d}",
                   "status": "active" if i in running else "completed", "budget": 20.0, "duration_days": 7,
                   "start": "2026-11-14T10:00:00Z", "spend": 4.0 + (i % 7), "views": 1000 + 37 * i, "likes": 80 + i}
                  for i in range(length)]
    world = {"name": f"batch-{length}-{active}", "description": "flow_bench batch world",
             "app": {"release": "guide"}, "clock": "2026-11-20T10:00:00Z",
             "accounts": [{"username": ACCOUNT, "display_name": "Mia Creates"}], "logged_in": ACCOUNT,
             "promotions": promotions}
    path = folder / f"batch-{length}-{active}.yaml"
    path.write_text(json.dumps(world), encoding="utf-8")  # JSON is YAML
    return path, [(p["title"], p["id"]) for p in promotions if p["status"] == "active"]


@dataclass
class BatchRow:
    """K promotions cancelled on one device by one way of choosing them, one run."""

    model: str
    how: str
    length: int
    count: int
    wall_s: float
    commands: int
    sources: int
    per_promotion_s: float
    minimal_s: float  # K runs of the minimal script, one after the other, on the same world
    ratio: float  # wall over the minimal script's K runs


def run_minimal_batch(url: str, fault: dict[str, Any], world: Path, chosen: list[tuple[str, str]]) -> Sample:
    """K runs of the minimal script, one session each, summed."""
    wall = cpu = 0.0
    commands = 0
    routes: dict[str, int] = {}
    for title, _ in chosen:
        began, used = time.perf_counter(), time.process_time()
        driver = minimal_cancel.start(url, {"appium:appPackage": PACKAGE, "sim:world": str(world), "sim:faults": fault,
                                            "sim:transitions": transitions_of(fault)})
        try:
            status = minimal_cancel.cancel(driver, title, ACCOUNT)
            stats = driver.execute_script("mobile: simStats")
        finally:
            driver.quit()
        if status not in ("Canceled", "Stopped"):
            raise SystemExit(f"the minimal script ended with status {status!r} for {title!r}")
        wall += time.perf_counter() - began
        cpu += time.process_time() - used
        commands += int(stats["commands"]) + 1
        for route, count in stats["by_route"].items():
            routes[route] = routes.get(route, 0) + count
    return Sample(wall, cpu, commands, wall, routes)


BATCH_WAYS = {
    "by title": lambda chosen: [a for title, _ in chosen for a in ("--title", title)],
    "by ID": lambda chosen: [a for _, pid in chosen for a in ("--id", pid)],
    "--all-active": lambda chosen: ["--all-active"],
}


def run_batches(url: str, folder: Path, model: str, args: argparse.Namespace, recorder: Recorder,
                length: int, count: int, ways: tuple[str, ...] = tuple(BATCH_WAYS)) -> list[BatchRow]:
    """One run of each way of choosing K promotions, and of K minimal scripts, each on a fresh world."""
    world, chosen = batch_world(folder, length, count)
    fault = faults(args.latency_ms, args.sigma, args.seed, model)
    minimal = run_minimal_batch(url, fault, world, chosen)
    rows = []
    for how in ways:
        sample = promo_in_process(BATCH_WAYS[how](chosen), str(world), fault, recorder, folder)
        rows.append(BatchRow(model, how, length, count, round(sample.wall, 2), sample.commands,
                             sample.by_route.get(SOURCE_ROUTE, 0), round(sample.wall / count, 3),
                             round(minimal.wall, 2), round(sample.wall / minimal.wall, 3)))
        print(f"batch {model} L={length} K={count} {how}: {sample.wall:.1f} s (minimal x{count}: "
              f"{minimal.wall:.1f} s)", file=sys.stderr)
    return rows


def print_batches(rows: list[BatchRow], title: str) -> None:
    print(f"\n{title}\n")
    print_table(("model", "chosen", "list", "K", "wall", "per promotion", "commands", "sources",
                 "K minimal scripts", "x minimal"),
                [(r.model, r.how, str(r.length), str(r.count), f"{r.wall_s:.2f} s", f"{r.per_promotion_s:.2f} s",
                  str(r.commands), str(r.sources), f"{r.minimal_s:.2f} s", f"{r.ratio:.2f}") for r in rows])


# --- the whole suite ----------------------------------------------------------------------------------
@dataclass
class SuiteRun:
    """One run of the feature suite in a subprocess."""

    label: str
    devices: int  # 0: serial, no xdist
    latency: bool
    wall_s: float  # the whole pytest process, from launch to exit
    passed: int
    failed: int
    startup_s: float = 0.0  # launch to the first scenario's start (interpreter, imports, xdist workers)
    scenarios_s: float = 0.0  # first scenario's start to the last one's end
    longest: str = ""  # the longest scenario and its seconds
    longest_s: float = 0.0
    speedup: float | None = None


def run_suite(label: str, devices: int, fault: dict[str, Any] | None, dist: str) -> SuiteRun:
    """`pytest features` in a subprocess, timed from outside; bench/suite_clock.py times each scenario. Without
    faults the screens rest at once (the zero-latency baseline); under a model, as TRANSITIONS says."""
    args = [PYTHON, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", "-p", "suite_clock"]
    if devices:
        args += ["-n", str(devices), "--dist", dist]
    with tempfile.TemporaryDirectory() as tmp:
        clock = Path(tmp) / "clock.jsonl"
        env = {**os.environ, "BENCH_CLOCK_FILE": str(clock),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")]))}
        # As a person's second run: Python's bytecode cache (and pytest's rewritten plugin modules) as the first run
        # left them, not every module compiled again (see warm_up).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PROMO_SIM_FAULTS", None)
        env["PROMO_CAPS"] = str(sim_profile(Path(tmp), fault is not None and transitions_of(fault)))
        if fault is not None:
            env["PROMO_SIM_FAULTS"] = json.dumps(fault)
        began_at, began = time.time(), time.perf_counter()
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - began
        lines = [json.loads(line) for line in clock.read_text().splitlines()] if clock.exists() else []
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", tail)) else 0
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", tail)) else 0
    if done.returncode != 0:
        print(f"  {label}: pytest exit {done.returncode}: {tail}", file=sys.stderr)
    run = SuiteRun(label, devices, fault is not None, round(wall, 2), passed, failed)
    if lines:
        first, last = min(x["start"] for x in lines), max(x["end"] for x in lines)
        longest = max(lines, key=lambda x: x["end"] - x["start"])
        run.startup_s, run.scenarios_s = round(first - began_at, 2), round(last - first, 2)
        run.longest, run.longest_s = longest["test"], round(longest["end"] - longest["start"], 2)
    return run


def warm_up() -> None:
    """One untimed scenario, which writes Python's bytecode cache as a person's first run does: the timed runs
    start as every later run of theirs does."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PYTHON, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                    "-k", SCENARIO], cwd=ROOT, env=env, capture_output=True, text=True)


def run_suites(args: argparse.Namespace, models: list[str]) -> list[SuiteRun]:
    """The whole feature suite: without latency, serial; then under each cost model on each device count."""
    warm_up()
    suites = [run_suite("no latency, serial", 0, None, args.dist)]
    print(f"suite: {suites[-1].label}: {suites[-1].wall_s:.1f} s", file=sys.stderr)
    for model in models:
        fault = faults(args.latency_ms, args.sigma, args.seed, model)
        one: SuiteRun | None = None
        for count in (int(n) for n in args.devices.split(",")):
            run = run_suite(f"{model}, {count} device{'s' if count > 1 else ''}", count, fault, args.dist)
            one = one or (run if count == 1 else None)
            if one is not None:
                run.speedup = round(one.wall_s / run.wall_s, 2)
            suites.append(run)
            print(f"suite: {run.label}: {run.wall_s:.1f} s", file=sys.stderr)
    print("\nWhole feature suite (pytest features, a subprocess: interpreter start and collection included)\n")
    print_table(("run", "devices", "wall", "speed-up", "start-up", "scenarios", "longest scenario", "passed",
                 "failed"),
                [(s.label, str(s.devices or 1) + ("" if s.devices else " (serial)"), f"{s.wall_s:.1f} s",
                  f"{s.speedup:.2f}x" if s.speedup else "-", f"{s.startup_s:.1f} s", f"{s.scenarios_s:.1f} s",
                  f"{s.longest_s:.1f} s", str(s.passed), str(s.failed)) for s in suites])
    longest = max(suites, key=lambda s: s.longest_s)
    print(f"\nlongest scenario: {longest.longest}")
    return suites


# --- main ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7,
                        help="timed runs of each path, interleaved (default 7; 0: only the suite runs)")
    parser.add_argument("--latency-ms", type=float, default=150.0, help="median latency per command (default 150)")
    parser.add_argument("--sigma", type=float, default=0.35, help="log-normal spread of the latency (default 0.35)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first run; run i uses seed+i (default 1)")
    parser.add_argument("--skip-suite", action="store_true", help="only the flow table, not the suite runs")
    parser.add_argument("--devices", default="1,2,4", help="virtual device counts for the suite (default 1,2,4)")
    parser.add_argument("--models", default=",".join(MODELS),
                        help=f"cost models, comma-separated: {', '.join(MODELS)} (default both)")
    parser.add_argument("--dist", default="load", help="pytest-xdist distribution mode (default load)")
    parser.add_argument("--robot", action="store_true",
                        help="also the same cancel as a Robot Framework AppiumLibrary user writes it "
                             "(bench/robot_cancel.robot), in every run")
    parser.add_argument("--batch", action="store_true",
                        help="also K = 10 promotions on one device (60 in the list): by title, by ID, --all-active, "
                             "beside 10 minimal scripts, under each model")
    parser.add_argument("--curve", action="store_true",
                        help="also the cost per promotion against K (1, 5, 10, 20) and against the list's length "
                             "(20, 60, 120), under the first model")
    parser.add_argument("--caps", choices=FACES, default="sim",
                        help="the virtual device's face: sim (Android, default) or ios-sim (iOS)")
    parser.add_argument("--json", type=Path, default=ROOT / "reports" / "bench.json", help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.caps == "ios-sim" and (args.robot or args.batch or args.curve):
        parser.error("--robot, --batch and --curve run Android scripts only; leave them out with --caps ios-sim")
    FACE["caps"] = args.caps

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    if not models or any(m not in MODELS for m in models):
        parser.error(f"--models takes {', '.join(MODELS)}, not {args.models!r}")
    load_before = os.getloadavg()
    recorder = Recorder()
    recorder.install()
    by_model: dict[str, list[FlowPath]] = {m: paths(args.robot) for m in models} if args.runs > 0 else {}
    batches: list[BatchRow] = []
    curve: list[BatchRow] = []
    with tempfile.TemporaryDirectory() as tmp_dir, DeviceProcess(Path(tmp_dir)) as device:
        simhost.SimulatorHost.start = lambda self, worlds_dirs=(): device.url  # type: ignore[method-assign]
        simhost.SimulatorHost.stop = lambda self: None  # type: ignore[method-assign]
        tmp = Path(tmp_dir)
        for model, model_paths in by_model.items():
            for path in model_paths:  # warm-up: imports, first-use caches; not counted
                path.run(device.url, faults(args.latency_ms, args.sigma, args.seed - 1, model), recorder, tmp)
            for run in range(args.runs):
                fault = faults(args.latency_ms, args.sigma, args.seed + run, model)
                for path in model_paths:
                    path.samples.append(path.run(device.url, fault, recorder, tmp))
                print(f"{model} run {run + 1}/{args.runs}: "
                      + ", ".join(f"{p.key} {p.samples[-1].wall:.2f} s" for p in model_paths), file=sys.stderr)
        if args.batch:
            for model in models:
                batches += run_batches(device.url, tmp, model, args, recorder, 60, 10)
        if args.curve:
            for count in (1, 5, 10, 20):
                curve += run_batches(device.url, tmp, models[0], args, recorder, 60, count, ("by title", "by ID"))
            for length in (20, 120):
                curve += run_batches(device.url, tmp, models[0], args, recorder, length, 5, ("by title", "by ID"))
    rows = {model: flow_rows(model_paths) for model, model_paths in by_model.items()}
    shots = {model: print_flows(rows[model], by_model[model], args, model) for model in rows}
    if len(rows) > 1:
        print_side_by_side(rows)
    robot_ratio = {model: against_robot(model_paths) for model, model_paths in by_model.items()}
    for model, ratio in robot_ratio.items():
        if ratio is not None:
            print(f"{model}: the scenario (C) takes {ratio:.2f}x the Robot Framework user's wall (paired)")
    if batches:
        print_batches(batches, "Many promotions on one device: K = 10 of 60 listed, one run each")
    if curve:
        print_batches(sorted(curve, key=lambda r: (r.how, r.length, r.count)),
                      f"Cost per promotion against K (list of 60) and against the list's length (K = 5), {models[0]}")

    suites: list[SuiteRun] = []
    if not args.skip_suite:
        suites = run_suites(args, models)

    report = {
        "command": "python bench/flow_bench.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "platform": "iOS" if on_ios() else "Android",
        "latency": {"median_ms": args.latency_ms, "sigma": args.sigma, "seeds": [args.seed, args.seed + args.runs - 1]},
        "load_average": {"before": load_before, "after": os.getloadavg()}, "cpus": os.cpu_count(),
        "flows": {m: [asdict(r) for r in model_rows] for m, model_rows in rows.items()}, "screenshots": shots,
        "samples": {m: {p.key: [asdict(s) for s in ps] for p in model_paths for ps in [p.samples]}
                    for m, model_paths in by_model.items()},
        "suite": [asdict(s) for s in suites], "xdist_dist": args.dist,
        "batches": [asdict(b) for b in batches], "curve": [asdict(c) for c in curve],
        "scenario_over_robot": robot_ratio,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
