"""The TikTok app's promotion model: accounts, promotions, a clock, and the rules of the guide.

Rules (what the how-to guides say: docs/app-facts.md): cancelling stops charges at once; what was spent
stays spent and nothing is refunded; a cancelled promotion can never run again (only a new one can
be created); views, likes, comments and shares gained stay on the video.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tiktok_promo.simulator.errors import RuleViolation

ACTIVE = "active"
IN_REVIEW = "in_review"
COMPLETED = "completed"
CANCELED = "canceled"
PAUSED = "paused"  # the studio release's Pause: no charges meanwhile, and still not cancelled
STATUSES = (ACTIVE, IN_REVIEW, COMPLETED, CANCELED, PAUSED)


@dataclass
class Account:
    """A TikTok account: the handle shown as @username and the name on the profile."""

    username: str
    display_name: str
    followers: int = 0


@dataclass
class Promotion:
    """A paid promotion of one video, with its budget, schedule, spend and the metrics it gained.

    Money is kept in cents so that spend never drifts by rounding. Metrics grow with spend at the
    rates the world gives (per dollar), which is how the real product reports reach.
    """

    id: str
    owner: str
    title: str
    status: str
    budget_cents: int
    budget_kind: str  # "total" or "daily"
    duration_days: int
    start: datetime
    spend_cents: int = 0
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    followers_gained: int = 0
    views_per_dollar: int = 250
    like_rate: float = 0.08
    comment_rate: float = 0.004
    share_rate: float = 0.006
    follow_rate: float = 0.002
    review_minutes: int = 30
    canceled_at: datetime | None = None
    spend_at_cancel_cents: int | None = None
    _spent_exact: float = field(default=0.0, repr=False)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.duration_days)

    @property
    def total_budget_cents(self) -> int:
        if self.budget_kind == "daily":
            return self.budget_cents * self.duration_days
        return self.budget_cents

    @property
    def cancellable(self) -> bool:
        return self.status in (ACTIVE, IN_REVIEW, PAUSED)

    def __post_init__(self) -> None:
        self._spent_exact = float(self.spend_cents)

    def _accrue(self, begin: datetime, until: datetime) -> None:
        """Charge for the time the promotion ran between `begin` and `until`, paced evenly."""
        lo = max(begin, self.start)
        hi = min(until, self.end)
        if hi <= lo:
            return
        rate = self.total_budget_cents / (self.duration_days * 86400)
        # Keep the exact amount so many small clock steps charge the same as one big step.
        self._spent_exact = min(self._spent_exact + rate * (hi - lo).total_seconds(), self.total_budget_cents)
        cents = int(self._spent_exact) - self.spend_cents
        if cents <= 0:
            return
        self.spend_cents += cents
        views = cents * self.views_per_dollar // 100
        self.views += views
        self.likes += int(views * self.like_rate)
        self.comments += int(views * self.comment_rate)
        self.shares += int(views * self.share_rate)
        self.followers_gained += int(views * self.follow_rate)

    def advance(self, begin: datetime, until: datetime) -> None:
        """Move this promotion from time `begin` to `until`: review, run, complete."""
        if self.status == IN_REVIEW:
            approved = self.start + timedelta(minutes=self.review_minutes)
            if until < approved:
                return
            self.status = ACTIVE
            begin = max(begin, approved)
        if self.status == ACTIVE:
            self._accrue(begin, until)
            if until >= self.end or self.spend_cents >= self.total_budget_cents:
                self.status = COMPLETED
        elif self.status == PAUSED and until >= self.end:
            self.status = COMPLETED  # a pause does not lengthen the schedule


@dataclass
class AppModel:
    """What the app's server knows: accounts, who is logged in, promotions and the time."""

    accounts: dict[str, Account]
    logged_in: str | None
    promotions: list[Promotion]
    clock: datetime
    charges: list[tuple[datetime, str, int]] = field(default_factory=list)

    @property
    def account(self) -> Account | None:
        return self.accounts.get(self.logged_in) if self.logged_in else None

    def promotions_of(self, username: str | None) -> list[Promotion]:
        return [p for p in self.promotions if p.owner == username]

    def promotion(self, promo_id: str) -> Promotion:
        for promo in self.promotions:
            if promo.id == promo_id:
                return promo
        raise KeyError(promo_id)

    def advance_clock(self, seconds: float) -> datetime:
        """Let time pass: running promotions spend and gain reach; cancelled ones do not."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        before = self.clock
        after = before + timedelta(seconds=seconds)
        for promo in self.promotions:
            spent = promo.spend_cents
            promo.advance(before, after)
            if promo.spend_cents != spent:
                self.charges.append((after, promo.id, promo.spend_cents - spent))
        self.clock = after
        return after

    def cancel(self, promo_id: str) -> Promotion:
        """Stop a promotion now: no further charges, spend so far stays, no refund."""
        promo = self.promotion(promo_id)
        if not promo.cancellable:
            raise RuleViolation(f"promotion {promo_id} is {promo.status} and cannot be cancelled")
        promo.status = CANCELED
        promo.canceled_at = self.clock
        promo.spend_at_cancel_cents = promo.spend_cents
        return promo

    def pause(self, promo_id: str) -> Promotion:
        """Hold a running promotion: no charges while paused; it is not stopped and can resume."""
        promo = self.promotion(promo_id)
        if promo.status != ACTIVE:
            raise RuleViolation(f"promotion {promo_id} is {promo.status}; only an active one can be paused")
        promo.status = PAUSED
        return promo

    def resume(self, promo_id: str) -> Promotion:
        """Let a paused promotion run again, within its original schedule."""
        promo = self.promotion(promo_id)
        if promo.status != PAUSED:
            raise RuleViolation(f"promotion {promo_id} is {promo.status}; only a paused one can resume")
        promo.status = ACTIVE
        return promo

    def restart(self, promo_id: str) -> None:
        """The app has no way to restart a cancelled promotion; kept so the rule is explicit."""
        promo = self.promotion(promo_id)
        raise RuleViolation(f"promotion {promo.id} is {promo.status}: create a new promotion instead")

    def snapshot(self) -> dict:
        """The ledger as plain data: what tests and benchmarks check the app's promises against."""
        return {
            "clock": self.clock.isoformat(),
            "logged_in": self.logged_in,
            "promotions": [
                {
                    "id": p.id,
                    "owner": p.owner,
                    "title": p.title,
                    "status": p.status,
                    "budget_cents": p.budget_cents,
                    "budget_kind": p.budget_kind,
                    "total_budget_cents": p.total_budget_cents,
                    "spend_cents": p.spend_cents,
                    "spend_at_cancel_cents": p.spend_at_cancel_cents,
                    "canceled_at": p.canceled_at.isoformat() if p.canceled_at else None,
                    "views": p.views,
                    "likes": p.likes,
                    "comments": p.comments,
                    "shares": p.shares,
                    "followers_gained": p.followers_gained,
                }
                for p in self.promotions
            ],
            "charges": [
                {"at": at.isoformat(), "promotion": pid, "cents": cents} for at, pid, cents in self.charges
            ],
        }
