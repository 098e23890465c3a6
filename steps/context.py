"""The journey: what one scenario carries from step to step (the screen it is on, what it read)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from tiktok_promo.flows.cancel_flow import CancelFlow, CancelResult
from tiktok_promo.flows.errors import FlowRefused, NotCancelled
from tiktok_promo.flows.inventory import MonitoredPromotion
from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.pages.app import TikTokApp
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.promotion_details import PromotionDetails
from tiktok_promo.pages.promotions_list import PromotionRow
from tiktok_promo.steps.errors import WrongScreen

P = TypeVar("P", bound=BasePage)


@dataclass(repr=False)
class Journey:
    """The state of one scenario: its Appium session, flow, current screen, and what earlier steps read."""

    session: AppiumSession
    account: str | None
    status_timeout: float
    page: BasePage | None = None
    rows: list[PromotionRow] = field(default_factory=list)
    details: PromotionDetails | None = None
    noted: PromotionDetails | None = None
    result: CancelResult | None = None
    refusal: FlowRefused | NotCancelled | None = None
    monitored: list[MonitoredPromotion] = field(default_factory=list)
    _flow: CancelFlow | None = None

    def __repr__(self) -> str:
        # pytest's assertion messages (and so the report) show it: the screen, not a dump of objects and addresses.
        page = type(self.page).__name__ if self.page is not None else "no screen yet"
        return f"Journey(@{self.account}, on {page})"

    @property
    def flow(self) -> CancelFlow:
        if self._flow is None:
            # A scenario records no outcome of its own: a step that needs a value of the screen after the
            # confirm reads it while the screen shows it (see before_time_passes).
            self._flow = CancelFlow(TikTokApp.on(self.session), self.account, self.status_timeout,
                                    budget=self.session.config.profile.recovery, keep=())
        return self._flow

    def before_time_passes(self) -> None:
        """Read what the last cancel's screen showed that a later step compares with the app after time has
        passed (the spend at cancel), now: once the clock moves, the screen may show something else."""
        if self.result is not None:
            self.result.after.keep(*CancelFlow.RECORDED)

    def expect_account(self, account: str) -> None:
        """The promotions were started by this account (instead of the profile's)."""
        self.account = account.lstrip("@")
        self._flow = None

    def on(self, kind: type[P]) -> P:
        """The current page, which must be a `kind` page for the step to make sense."""
        if not isinstance(self.page, kind):
            raise WrongScreen(f"This step needs the {kind.__name__} screen, but the scenario is on {self.page!r}.")
        return self.page

    def outcome(self, value: Any) -> None:
        """Keep what an attempted cancel gave: a result or a refusal, and where it left the app."""
        if isinstance(value, FlowRefused | NotCancelled):
            self.refusal = value
        else:
            self.result = value
        self.page = self.flow.where


@pytest.fixture
def journey(appium_session: AppiumSession, run_config: RunConfig) -> Journey:
    """A fresh journey for each scenario."""
    return Journey(session=appium_session, account=run_config.account, status_timeout=run_config.profile.status_timeout)
