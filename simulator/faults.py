"""Faults on demand: what makes real phones hostile, injected per session and seeded.

A session asks for faults with the `sim:faults` capability: a profile name (`none`, `flaky`,
`hostile`) or a mapping of the fields of `FaultPlan` (a mapping may name a `profile` to start from).
The same seed and the same commands give the same faults, so every failure can be replayed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, fields, replace
from typing import Any

from tiktok_promo.simulator.costs import CommandKind, phone_seconds
from tiktok_promo.simulator.errors import InvalidArgument
from tiktok_promo.simulator.ui.screens import POPUP_KINDS


@dataclass(frozen=True)
class FaultPlan:
    """Which faults a session meets, and how often (rates are per command, 0..1)."""

    seed: int = 0
    latency_ms: float = 0.0  # median latency added to every command
    latency_sigma: float = 0.0  # spread of a log-normal latency around that median (0: fixed)
    popup_rate: float = 0.0  # an unexpected pop-up appears before a command
    stale_rate: float = 0.0  # the screen re-renders, making held element ids stale
    error_rate: float = 0.0  # a transient 500 answer (the command did nothing)
    slow_list_ms: int = 0  # the promotions list shows a spinner this long before its rows
    crash_after: int = 0  # the session dies after this many commands (0: never)
    confirm_fails_once: bool = False  # the first confirm of a cancel fails with an error toast
    cost_model: str = "flat"  # flat: latency_ms for every command; phone: a cost by command kind (simulator.costs)
    # A confirm that lands in the app, whose HTTP answer never comes (the connection is closed unanswered,
    # as a dropped mobile network or a restarted proxy does): the first `lost_answers` such confirms, and
    # after them each with probability `lost_answer_rate`.
    lost_answers: int = 0
    lost_answer_rate: float = 0.0
    # Not a fault but the app's own way: the promotions list may reload as the app comes back to it from a
    # promotion's details (simulator/recycler.py), drawn from `seed`. On, as on a phone; false keeps it as left.
    list_refresh: bool = True

    @property
    def active(self) -> bool:
        return self != FaultPlan(seed=self.seed, list_refresh=self.list_refresh)

    @property
    def phone_costs(self) -> bool:
        """Commands cost what their kind costs on a phone (simulator.costs), not one flat latency."""
        return self.cost_model == "phone"


PROFILES: dict[str, FaultPlan] = {
    "none": FaultPlan(),
    "flaky": FaultPlan(popup_rate=0.03, stale_rate=0.03, error_rate=0.02, slow_list_ms=400),
    "hostile": FaultPlan(
        popup_rate=0.08, stale_rate=0.08, error_rate=0.05, slow_list_ms=1200, confirm_fails_once=True
    ),
}

_RATES = ("popup_rate", "stale_rate", "error_rate", "lost_answer_rate")
_WHOLE = ("seed", "slow_list_ms", "crash_after", "lost_answers")
MAX_SAFE_INT = 2**53 - 1  # the largest whole number a JavaScript client (Appium itself) reads exactly
# The most a setting may ask for: past these a command would wait for hours (or time.sleep would overflow),
# and a test that wants "never answers" has crash_after or a client timeout for it.
LIMITS = {"latency_ms": 60_000, "latency_sigma": 3.0, "slow_list_ms": 60_000, "seed": MAX_SAFE_INT,
          "crash_after": MAX_SAFE_INT, "lost_answers": MAX_SAFE_INT}
MAX_LATENCY_S = 120.0  # one drawn latency, whatever the log-normal's tail draws
COST_MODELS = ("flat", "phone")


def parse_faults(value: object) -> FaultPlan:
    """The plan a `sim:faults` capability asks for; InvalidArgument names what is wrong."""
    if value is None:
        return PROFILES["none"]
    if isinstance(value, str):
        if value not in PROFILES:
            raise InvalidArgument(f"sim:faults profile {value!r} is unknown; choose one of {', '.join(PROFILES)}")
        return PROFILES[value]
    if not isinstance(value, dict):
        raise InvalidArgument("sim:faults must be a profile name or a mapping of fault settings")
    settings = dict(value)
    base = parse_faults(settings.pop("profile", "none"))
    known = {f.name: f.type for f in fields(FaultPlan)}
    changes: dict[str, Any] = {}  # by name, for replace(); each value checked above
    for name, raw in settings.items():
        if name not in known:
            raise InvalidArgument(f"sim:faults has an unknown setting {name!r}; known: {', '.join(known)}")
        if name == "cost_model":
            if raw not in COST_MODELS:
                raise InvalidArgument(f"sim:faults cost_model must be one of {', '.join(COST_MODELS)}, "
                                      f"not {_shown(raw)}")
            changes[name] = raw
            continue
        if name in ("confirm_fails_once", "list_refresh"):
            if not isinstance(raw, bool):
                raise InvalidArgument(f"sim:faults {name} must be true or false")
            changes[name] = raw
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw) or raw < 0:
            raise InvalidArgument(f"sim:faults {name} must be a finite number >= 0, not {_shown(raw)}")
        if name in _RATES and raw > 1:
            raise InvalidArgument(f"sim:faults {name} is a probability between 0 and 1, not {_shown(raw)}")
        if raw > LIMITS.get(name, math.inf):
            raise InvalidArgument(f"sim:faults {name} may be at most {LIMITS[name]:g}, not {_shown(raw)}")
        if name in _WHOLE and raw != int(raw):
            raise InvalidArgument(f"sim:faults {name} must be a whole number, not {_shown(raw)}")
        changes[name] = int(raw) if name in _WHOLE else float(raw)
    return replace(base, **changes)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


class FaultInjector:
    """Draws the faults of one session from its plan with its own seeded random generator."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._random = random.Random(plan.seed)
        self.commands = 0
        self.confirm_failed = False
        self.injected: dict[str, int] = {}
        self.answer_lost = False  # the command being served landed, and its answer is to be lost

    def _hit(self, rate: float, name: str) -> bool:
        if rate <= 0:
            return False
        if self._random.random() < rate:
            self.injected[name] = self.injected.get(name, 0) + 1
            return True
        return False

    def latency(self, kind: CommandKind | None = None, nodes: int = 0) -> float:
        """Seconds to hold this command, as a slow phone and network would.

        Under the phone model, `kind` and the screen's `nodes` choose the cost (simulator.costs), and
        latency_ms is the network on top; under the flat model every command costs latency_ms."""
        plan = self.plan
        if plan.cost_model == "phone" and kind is not None:
            cost = phone_seconds(kind, nodes, plan.latency_sigma, self._random) + max(plan.latency_ms, 0) / 1000
            return min(MAX_LATENCY_S, cost)
        if plan.latency_ms <= 0:
            return 0.0
        if plan.latency_sigma <= 0:
            return plan.latency_ms / 1000
        return min(MAX_LATENCY_S, self._random.lognormvariate(0, plan.latency_sigma) * plan.latency_ms / 1000)

    def next_command(self) -> None:
        self.commands += 1

    def crashed(self) -> bool:
        # Asked before the command is counted: after `crash_after` commands, the next one fails.
        return self.plan.crash_after > 0 and self.commands >= self.plan.crash_after

    def transient_error(self) -> bool:
        return self._hit(self.plan.error_rate, "error")

    def popup(self) -> str | None:
        if self._hit(self.plan.popup_rate, "popup"):
            return self._random.choice(POPUP_KINDS)
        return None

    def rerender(self) -> bool:
        return self._hit(self.plan.stale_rate, "stale")

    def confirm_fails(self) -> bool:
        if self.plan.confirm_fails_once and not self.confirm_failed:
            self.confirm_failed = True
            self.injected["confirm_failed"] = 1
            return True
        return False

    def confirm_landed(self) -> None:
        """A confirm reached the app: whether its answer is lost is drawn here (taken by `take_lost_answer`)."""
        lost = self.injected.get("lost_answer", 0)
        if lost < self.plan.lost_answers:
            self.injected["lost_answer"] = lost + 1
            self.answer_lost = True
        elif self._hit(self.plan.lost_answer_rate, "lost_answer"):
            self.answer_lost = True

    def take_lost_answer(self) -> bool:
        """Whether the command just served must go unanswered (asked once per command, after it ran)."""
        lost, self.answer_lost = self.answer_lost, False
        return lost
