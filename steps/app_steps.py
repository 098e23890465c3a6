"""Opening the app, and what only the virtual device can arrange: its world, its clock, its faults."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, when

from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.pages.app import TikTokApp
from tiktok_promo.steps.context import Journey


@given(parsers.parse('the app shows the world "{world}"'))
def app_shows_world(journey: Journey, run_config: RunConfig, world: str) -> None:
    if not run_config.virtual_device:
        pytest.skip("choosing a world needs the virtual device (--target sim)")
    journey.session.use_world(world)


@given(parsers.parse("pop-ups interrupt the app at random (seed {seed:d})"))
def popups_at_random(journey: Journey, run_config: RunConfig, seed: int) -> None:
    if not run_config.virtual_device:
        pytest.skip("injected pop-ups need the virtual device (--target sim)")
    journey.session.use_faults({"popup_rate": 0.2, "seed": seed})


@given(parsers.parse('the promotions were started by the account "{account}"'))
def promotions_started_by(journey: Journey, account: str) -> None:
    journey.expect_account(account)


@given("I open the TikTok app logged in as the account that started the promotion")
@given("I open the TikTok app")
def open_the_app(journey: Journey) -> None:
    journey.page = TikTokApp.on(journey.session).home()


@when(parsers.parse("{days:d} days pass"))
@when(parsers.parse("{days:d} day passes"))
def days_pass(journey: Journey, days: int) -> None:
    journey.before_time_passes()
    journey.session.advance_clock(days=days)
