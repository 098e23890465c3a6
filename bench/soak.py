"""The soak: many hands-free cancels on the virtual device under injected faults, judged by its ledger.

    python bench/soak.py --runs 300 --devices 4 --profile hostile --seed 1 [--json reports/soak-hostile.json]
    python bench/soak.py --runs 100 --caps ios-sim        # the same on the virtual device's iOS face

Each run is one `promo cancel` of one promotion (the same DeviceJob, CancelFlow and recovery the
command uses) in a fresh session of the virtual device, under the run's own fault draws: its seed
comes from `--seed` and the run's number, so any run can be replayed alone. The runs are shared out
over `--devices` virtual devices (sim-1, sim-2, ...), one thread each, one session per device at a time.

A run's verdict does not come from what the harness says but from the app's ledger (`mobile:
simLedger`) and from every cancel request the app's model received (watched in this process):

- wrong promotion cancelled: another promotion was cancelled, or a cancel of it was even requested;
- reported cancelled, not cancelled: the harness said cancelled, the final world shows otherwise;
- cancelled twice: a cancel was requested for a promotion that world already showed cancelled;
- spend after cancel: after the clock is moved on a day, a charge for the promotion dated after its
  cancel, or spend above what it had at the cancel.

The virtual device gives every session a fresh copy of its world. So after a crash the harness's new
session starts from the world again, where the promotion is running even if the crashed session had
cancelled it. The truth of a run is the world of the session the run ended in (the one the harness
read and reported from); each earlier world is checked too, for wrong and double cancels, but its
cancel is not counted against the final one. On a real phone both sessions would see the same
account: the re-read after a lost session shows Canceled, and nothing is tapped again.

Profiles: `none` and `flaky` are the simulator's fault profiles as they are. `hostile` is the
simulator's `hostile` profile (pop-ups, stale elements, 500s, a 1.2 s spinner, the first confirm
failing) plus a lost answer for a quarter of the confirms that land (`lost_answer_rate`: the app
cancels, the connection is closed unanswered, the harness must read the app and never tap twice),
plus, in `--crash-share` of the runs (default 10%), a crashed session: in half of them after a
seeded number of commands (`crash_after`: anywhere from opening the app to the end), in the other
half right after the cancel reached the app (the witness below ends the session then: the hardest
case, a cancel done and its answer lost with its session). A session started again after a crash
draws new faults (its own seed) at the same rates, without a crash and without the failing first
confirm: on the device those belong to the session that had them (see docs/faults.md).

Exit status: 0 when no run lied (and completion reached `--min-completed`), 1 otherwise, 2 bad usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from tiktok_promo.flows.selection import Selection
from tiktok_promo.harness.errors import APP, DEVICE, PRODUCT, category_of
from tiktok_promo.harness.report.audit import Outcome
from tiktok_promo.harness.run.config import RunConfig, load_run_config
from tiktok_promo.harness.run.fleet import DeviceSpec, device_config
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.ui.locators import IOS, platform_of
from tiktok_promo.promo.device_job import DeviceJob, JobState
from tiktok_promo.promo.progress import Progress
from tiktok_promo.simulator import SimulatorServer
from tiktok_promo.simulator.model import AppModel
from tiktok_promo.simulator.world import resolve_world

PROFILES = ("none", "flaky", "hostile")
CRASH_SHARE = {"none": 0.0, "flaky": 0.0, "hostile": 0.10}
# Beyond the simulator's own profile: the share of landed confirms whose answer is lost (the connection is
# closed unanswered), in every session of a run, renewed ones included.
LOST_ANSWER_RATE = {"none": 0.0, "flaky": 0.0, "hostile": 0.25}
WORLDS = ("default", "current", "business", "duplicate-titles", "interruptions")
CRASH_RANGE = (4, 110)  # commands before the crash: from opening the app to after the confirm
CLOCK_STEP_DAYS = 1  # how far the clock moves after the cancel, to see whether charges stopped
CLASSES = (DEVICE, APP, PRODUCT)
# The profiles of the in-process virtual device, one per face: the soak's witness watches that device's app model.
FACES = ("sim", "ios-sim")


class UsageError(Exception):
    """A mistake in the soak's command line: one sentence."""


# --- the runs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunPlan:
    """What one run does: its world, the promotion it cancels, how it names it, and its faults."""

    number: int
    seed: int
    world: str
    promotion_id: str
    title: str
    by_id: bool
    crash_after: int  # 0: no crash after a count of commands
    crash_after_cancel: bool = False  # the first session dies right after the cancel reaches the app

    def faults(self, profile: str) -> Any:
        """The `sim:faults` of the run's first session."""
        faults: dict[str, Any] = {"profile": profile, "seed": self.seed}
        if LOST_ANSWER_RATE[profile]:
            faults["lost_answer_rate"] = LOST_ANSWER_RATE[profile]
        if self.crash_after:
            faults["crash_after"] = self.crash_after
        return faults

    def renewed_faults(self, profile: str, renewal: int) -> Any:
        """A session started again after a crash: the same rates, its own draws, no crash, no failing first confirm."""
        # Every setting is given: AppiumSession.use_faults lays new settings over the earlier ones.
        return {"profile": profile, "seed": (self.seed + 7919 * renewal) % 2**31, "crash_after": 0,
                "confirm_fails_once": False, "lost_answer_rate": LOST_ANSWER_RATE[profile]}

    def selection(self) -> Selection:
        return Selection(ids=(self.promotion_id,)) if self.by_id else Selection(titles=(self.title,))


def run_seed(base_seed: int, number: int) -> int:
    """The seed of run `number` of a soak seeded with `base_seed` (stable across Python versions)."""
    digest = hashlib.sha256(f"{base_seed}:{number}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def plan_runs(runs: int, base_seed: int, crash_share: float) -> list[RunPlan]:
    """The runs of a soak: each one's world, target and faults drawn from its own seed."""
    plans = []
    for number in range(runs):
        seed = run_seed(base_seed, number)
        draw = random.Random(seed)
        world = draw.choice(WORLDS)
        active = [p for p in initial_ledger(world)["promotions"] if p["status"] == "active"]
        target = draw.choice(active)
        shared = sum(p["title"] == target["title"] for p in active) > 1
        by_id = shared or draw.random() < 0.25  # a shared title can only be named by its ID
        crash = draw.random() < crash_share
        after_cancel = crash and draw.random() < 0.5
        crash_after = draw.randint(*CRASH_RANGE) if crash and not after_cancel else 0
        plans.append(RunPlan(number, seed, world, target["id"], target["title"], by_id, crash_after, after_cancel))
    return plans


_INITIAL: dict[str, dict[str, Any]] = {}


def initial_ledger(world: str) -> dict[str, Any]:
    """The ledger a fresh session of this world starts with."""
    if world not in _INITIAL:
        _INITIAL[world] = resolve_world(world).build().snapshot()
    return _INITIAL[world]


# --- watching the app's model ---------------------------------------------------------------------
class Witness:
    """Sees what the harness cannot fake: every session the device started, and every cancel request its
    app model received (which promotion, and its status at that moment).

    It keeps sessions that crashed (the server forgets them) so their worlds can be judged too. A session
    whose fault seed is in `end_after_cancel` is ended right after the first cancel its app accepts, as an
    instrumentation crash would: the tap's answer still arrives, every later command meets
    `invalid session id`.
    """

    def __init__(self) -> None:
        self.sessions: dict[str, Any] = {}
        self.requests: dict[int, list[tuple[str, str]]] = {}
        self.end_after_cancel: set[int] = set()
        self._by_model: dict[int, tuple[str, Any]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def watching(self, server: SimulatorServer) -> Iterator[Witness]:
        witness = self

        class Remembering(dict):
            """The server's session table, remembering every session ever added to it."""

            def __setitem__(self, key: str, value: Any) -> None:
                with witness._lock:
                    witness.sessions[key] = value
                    witness._by_model[id(value.device.model)] = (key, value)
                super().__setitem__(key, value)

        original = AppModel.cancel

        def cancel(model: AppModel, promo_id: str) -> Any:
            try:
                status = model.promotion(promo_id).status
            except KeyError:
                status = "unknown"
            with witness._lock:
                witness.requests.setdefault(id(model), []).append((promo_id, status))
            done = original(model, promo_id)
            sid, session = witness._by_model.get(id(model), (None, None))
            if session is not None and session.faults.plan.seed in witness.end_after_cancel:
                session.dead = True  # the server answers this tap, then nothing more of this session
                with server._lock:  # the table the server's idle reaper walks
                    server.sessions.pop(sid, None)
            return done

        server.sessions = Remembering(server.sessions)
        AppModel.cancel = cancel  # type: ignore[method-assign]
        try:
            yield self
        finally:
            AppModel.cancel = original  # type: ignore[method-assign]

    def models(self, session_ids: Sequence[str]) -> list[AppModel]:
        with self._lock:
            return [self.sessions[sid].device.model for sid in session_ids if sid in self.sessions]

    def lost_answers(self, session_ids: Sequence[str]) -> int:
        """How many answers the device lost after a confirm had landed, over these sessions."""
        with self._lock:
            return sum(self.sessions[sid].faults.injected.get("lost_answer", 0) for sid in session_ids
                       if sid in self.sessions)

    def requests_of(self, model: AppModel) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.requests.get(id(model), []))

    def forget(self, session_ids: Sequence[str]) -> None:
        with self._lock:
            for sid in session_ids:
                session = self.sessions.pop(sid, None)
                if session is not None:
                    self.requests.pop(id(session.device.model), None)
                    self._by_model.pop(id(session.device.model), None)


# --- one run ---------------------------------------------------------------------------------------
@dataclass
class RunResult:
    """What one run did, and what the ledger says about it."""

    number: int
    seed: int
    device: str
    world: str
    promotion_id: str
    outcome: str  # the harness's: cancelled, already-cancelled, not-cancelled, failed, refused
    failure_class: str | None
    message: str
    seconds: float
    round_trips: int
    sessions: int
    confirms: int
    crash_after: int
    crash_after_cancel: bool = False
    wrong_cancel: bool = False
    false_cancelled: bool = False
    double_cancel: bool = False
    spend_after_cancel: bool = False
    app_shows_cancelled: bool = False  # in the final world
    cancelled_in_lost_world: bool = False  # a session that then died had already cancelled it (see the docstring)
    lost_answers: int = 0  # confirms that landed and whose answer the device never sent
    problems: list[str] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return self.outcome in (Outcome.CANCELLED, Outcome.ALREADY_CANCELLED) and self.app_shows_cancelled

    @property
    def lied(self) -> bool:
        return self.wrong_cancel or self.false_cancelled or self.double_cancel or self.spend_after_cancel


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def judge(result: RunResult, plan: RunPlan, final: dict[str, Any] | None, after_clock: dict[str, Any] | None,
          worlds: list[tuple[dict[str, Any], list[tuple[str, str]]]]) -> None:
    """Fill the run's verdict from the final world's ledger (before and after the clock moved) and from
    every world of the run with the cancel requests its model received."""
    start = {p["id"]: p["status"] for p in initial_ledger(plan.world)["promotions"]}
    result.cancelled_in_lost_world = any(p["id"] == plan.promotion_id and p["status"] == "canceled"
                                         for ledger, _ in worlds[:-1] for p in ledger["promotions"])
    for ledger, requests in worlds:
        for promo in ledger["promotions"]:
            if promo["id"] != plan.promotion_id and promo["status"] != start.get(promo["id"]):
                result.wrong_cancel = True
                result.problems.append(f"{promo['id']} changed from {start.get(promo['id'])} to {promo['status']}")
        asked = [pid for pid, _ in requests]
        if any(pid != plan.promotion_id for pid in asked):
            result.wrong_cancel = True
            result.problems.append(f"cancel requested for {sorted(set(asked) - {plan.promotion_id})}")
        already = [status for pid, status in requests if pid == plan.promotion_id and status == "canceled"]
        if already:
            result.double_cancel = True
            result.problems.append(f"{plan.promotion_id}: a cancel was requested {len(already)} more time(s) "
                                   "after it was cancelled")
    target = next((p for p in (final or {}).get("promotions", []) if p["id"] == plan.promotion_id), None)
    result.app_shows_cancelled = bool(target and target["status"] == "canceled")
    if result.outcome in (Outcome.CANCELLED, Outcome.ALREADY_CANCELLED) and not result.app_shows_cancelled:
        result.false_cancelled = True
        result.problems.append(f"reported {result.outcome}, but the app's ledger shows "
                               f"{target['status'] if target else 'no such promotion'}")
    for promo in (after_clock or {}).get("promotions", []):
        if promo["status"] != "canceled" or promo["canceled_at"] is None:
            continue
        canceled_at = _when(promo["canceled_at"])
        late = [c for c in after_clock["charges"]  # type: ignore[index]
                if c["promotion"] == promo["id"] and canceled_at and _when(c["at"]) > canceled_at]  # type: ignore[operator]
        if late or promo["spend_cents"] != promo["spend_at_cancel_cents"]:
            result.spend_after_cancel = True
            result.problems.append(f"{promo['id']} was charged after its cancel")


class Soak:
    """N runs over D virtual devices of one in-process virtual device server."""

    def __init__(self, profile: str, runs: int, devices: int, seed: int, crash_share: float | None = None,
                 config: RunConfig | None = None) -> None:
        self.profile = profile
        self.devices = devices
        self.seed = seed
        self.crash_share = CRASH_SHARE[profile] if crash_share is None else crash_share
        self.plans = plan_runs(runs, seed, self.crash_share)
        self.config = config or load_run_config(target="sim", env={})
        self.witness = Witness()

    def run(self) -> list[RunResult]:
        server = SimulatorServer(port=0, world=None).start()
        try:
            with self.witness.watching(server):
                lanes = [self.plans[i::self.devices] for i in range(self.devices)]
                with ThreadPoolExecutor(max_workers=self.devices, thread_name_prefix="soak-device") as pool:
                    done = pool.map(lambda lane: self._lane(server.url, *lane), enumerate(lanes))
                    results = [r for lane in done for r in lane]
        finally:
            server.stop()
        return sorted(results, key=lambda r: r.number)

    def _lane(self, url: str, index: int, plans: list[RunPlan]) -> list[RunResult]:
        """One virtual device's runs, one after the other."""
        return [self.one(url, index, plan) for plan in plans]

    def one(self, url: str, index: int, plan: RunPlan) -> RunResult:
        """One hands-free cancel, judged by the ledger."""
        name = f"sim-{index + 1}"
        spec = DeviceSpec(name, index, device_config(self.config, index, name), plan.world, plan.faults(self.profile))
        job = DeviceJob(spec, url, Progress())
        job.recovery.before_new_session = (
            lambda session, renewal: session.use_faults(plan.renewed_faults(self.profile, renewal)))
        if plan.crash_after_cancel:
            self.witness.end_after_cancel.add(plan.seed)
        started = time.monotonic()
        try:
            job.plan(self.config.account or "", plan.selection(), "budget")
            if job.state == JobState.READY:
                job.cancel_selected("budget")
        finally:
            seconds = time.monotonic() - started
        outcome = job.outcomes[0] if job.outcomes else None
        error = outcome.error if outcome is not None else job.error
        result = RunResult(
            number=plan.number, seed=plan.seed, device=name, world=plan.world, promotion_id=plan.promotion_id,
            outcome=outcome.outcome if outcome is not None else (job.state or Outcome.FAILED),
            failure_class=category_of(error) if error is not None and not (outcome and outcome.ok) else None,
            message=outcome.message if outcome is not None else (job.error_sentence() or ""),
            seconds=seconds, round_trips=job.session.total_commands, sessions=len(job.session.session_ids),
            confirms=outcome.confirms if outcome is not None else 0, crash_after=plan.crash_after,
            crash_after_cancel=plan.crash_after_cancel,
        )
        final, after_clock = self._final_ledgers(job.session)
        try:
            worlds = [(model.snapshot(), self.witness.requests_of(model))
                      for model in self.witness.models(job.session.session_ids)]
            if worlds and final is not None:
                worlds[-1] = (final, worlds[-1][1])  # the last world as it was before the clock moved
            judge(result, plan, final, after_clock, worlds)
            result.lost_answers = self.witness.lost_answers(job.session.session_ids)
        finally:
            job.close()
            self.witness.forget(job.session.session_ids)
            self.witness.end_after_cancel.discard(plan.seed)
        return result

    def _final_ledgers(self, session: AppiumSession) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The final world's ledger, then again after the clock moved a day (charges stopped or not).

        Read with `mobile: simLedger` while the session lives; a session that died at the end is read from
        the model the witness kept (its world is gone from the server, not from this process)."""
        if session.started:
            try:
                before = session.ledger()
                session.advance_clock(days=CLOCK_STEP_DAYS)
                return before, session.ledger()
            except Exception:
                pass
        models = self.witness.models(session.session_ids[-1:])
        if not models:
            return None, None
        model = models[0]
        before = model.snapshot()
        model.advance_clock(CLOCK_STEP_DAYS * 86400)
        return before, model.snapshot()


# --- the summary ---------------------------------------------------------------------------------------
def _pct(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(results: Sequence[RunResult], profile: str, devices: int, seed: int, crash_share: float,
            platform: str = "Android") -> dict[str, Any]:
    """The soak's figures as plain data (what --json writes and the table shows)."""
    runs = len(results)
    completed = sum(r.completed for r in results)
    failed = Counter(r.failure_class for r in results if not r.completed and r.failure_class)
    times = [r.seconds for r in results]
    trips = [r.round_trips for r in results]
    return {
        "profile": profile, "platform": platform, "devices": devices, "seed": seed, "crash_share": crash_share,
        "runs": runs,
        "completed": completed,
        "completed_pct": round(100 * completed / runs, 2) if runs else 0.0,
        "failed_by_class": {name: failed.get(name, 0) for name in CLASSES} | {
            k: v for k, v in failed.items() if k not in CLASSES},
        "failed_unclassified": sum(1 for r in results if not r.completed and not r.failure_class),
        "failed_but_app_shows_cancelled": sum(1 for r in results if not r.completed and r.app_shows_cancelled),
        "wrong_promotion_cancelled": sum(r.wrong_cancel for r in results),
        "reported_cancelled_not_cancelled": sum(r.false_cancelled for r in results),
        "cancelled_twice": sum(r.double_cancel for r in results),
        "spend_after_cancel": sum(r.spend_after_cancel for r in results),
        "runs_with_a_crash": sum(1 for r in results if r.crash_after or r.crash_after_cancel),
        "runs_with_a_new_session": sum(1 for r in results if r.sessions > 1),
        "runs_cancelled_before_a_crash": sum(r.cancelled_in_lost_world for r in results),
        "runs_with_a_second_confirm": sum(1 for r in results if r.confirms > 1),
        "runs_with_a_lost_answer": sum(1 for r in results if r.lost_answers),
        "runs_with_a_lost_answer_completed": sum(1 for r in results if r.lost_answers and r.completed),
        "flow_seconds_median": round(statistics.median(times), 3) if times else 0.0,
        "flow_seconds_p95": round(_pct(times, 0.95), 3),
        "round_trips_median": statistics.median(trips) if trips else 0,
        "round_trips_p95": _pct(trips, 0.95),
        "failures": [dataclasses.asdict(r) for r in results if not r.completed or r.lied],
    }


def table(data: dict[str, Any]) -> str:
    """The summary as a Markdown table a README can carry as it is."""
    failed = data["failed_by_class"]
    rows = [
        ("runs", f"{data['runs']} over {data['devices']} virtual devices "
                 f"({data['runs_with_a_crash']} with a crashed session)"),
        ("completed", f"{data['completed']} ({data['completed_pct']:g}%)"),
        ("failed: device or session", failed.get(DEVICE, 0)),
        ("failed: app or locator", failed.get(APP, 0)),
        ("failed: product rule", failed.get(PRODUCT, 0)),
        ("wrong promotion cancelled", data["wrong_promotion_cancelled"]),
        ('reported "cancelled" but not cancelled', data["reported_cancelled_not_cancelled"]),
        ("cancelled twice", data["cancelled_twice"]),
        ("spend after cancel", data["spend_after_cancel"]),
        ("flow time, median / p95", f"{data['flow_seconds_median']:.2f} s / {data['flow_seconds_p95']:.2f} s"),
        ("round trips per flow, median / p95", f"{data['round_trips_median']:g} / {data['round_trips_p95']:g}"),
        ("recovered: new session (after the cancel had landed) / another confirm",
         f"{data['runs_with_a_new_session']} ({data['runs_cancelled_before_a_crash']}) / "
         f"{data['runs_with_a_second_confirm']}"),
        ("lost answer after a landed confirm: runs / of them completed",
         f"{data['runs_with_a_lost_answer']} / {data['runs_with_a_lost_answer_completed']}"),
    ]
    lines = [f"Soak: profile {data['profile']}, seed {data['seed']}, {data.get('platform', 'Android')}", "",
             "| measure | value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def platform_name(config: RunConfig) -> str:
    """The platform of the soak's profile as people name it."""
    return "iOS" if platform_of(config.profile.capabilities) == IOS else "Android"


def lies(data: dict[str, Any]) -> int:
    """Runs that lied in any way: the figures that must be zero."""
    return (data["wrong_promotion_cancelled"] + data["reported_cancelled_not_cancelled"] + data["cancelled_twice"]
            + data["spend_after_cancel"])


# --- command line ----------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one sentence (and exit 2), not the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"soak: {message} (see --help).")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs a whole number above 0, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"needs a whole number above 0, not {text!r}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"needs a share from 0 to 1, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="soak", description="Hands-free cancels on the virtual device under injected faults, "
                     "judged by the app's ledger.", allow_abbrev=False)
    parser.add_argument("--runs", type=_positive, default=100, help="how many cancels (default 100)")
    parser.add_argument("--devices", type=_positive, default=4, help="virtual devices in parallel (default 4)")
    parser.add_argument("--profile", choices=PROFILES, default="hostile", help="fault profile (default hostile)")
    parser.add_argument("--seed", type=int, default=1, help="base seed; each run's seed derives from it (default 1)")
    parser.add_argument("--crash-share", type=_share, default=None,
                        help="share of runs whose first session crashes (default: 0.1 for hostile, else 0)")
    parser.add_argument("--min-completed", type=float, default=0.0, metavar="PCT",
                        help="exit 1 when fewer runs than this percentage completed (default 0)")
    parser.add_argument("--caps", choices=FACES, default="sim",
                        help="the virtual device's face: sim (Android, default) or ios-sim (iOS)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the figures as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    config = load_run_config(target="sim", caps=args.caps, env={})
    soak = Soak(args.profile, args.runs, args.devices, args.seed, args.crash_share, config=config)
    results = soak.run()
    data = summary(results, args.profile, args.devices, args.seed, soak.crash_share, platform_name(config))
    print(table(data))
    print(f"\ncommand: python bench/soak.py --runs {args.runs} --devices {args.devices} --profile {args.profile} "
          f"--seed {args.seed}" + (f" --crash-share {args.crash_share:g}" if args.crash_share is not None else "")
          + (f" --caps {args.caps}" if args.caps != "sim" else ""))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    for failure in data["failures"][:10]:
        print(f"  run {failure['number']} (seed {failure['seed']}, {failure['world']}, {failure['promotion_id']}): "
              f"{failure['outcome']}: {failure['message']}" + (f" LIE: {'; '.join(failure['problems'])}"
                                                                if failure["problems"] else ""), file=sys.stderr)
    if lies(data):
        return 1
    return 1 if data["completed_pct"] < args.min_completed else 0


if __name__ == "__main__":
    sys.exit(main())
