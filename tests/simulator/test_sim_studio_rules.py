"""The studio release's rules at the model and device level: Cancel keeps running, Pause is not a stop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from simkit import StepClock

from tiktok_promo.simulator.device import Device
from tiktok_promo.simulator.model import ACTIVE, CANCELED, COMPLETED, PAUSED, RuleViolation
from tiktok_promo.simulator.ui.node import Node
from tiktok_promo.simulator.world import resolve_world


def _tap(device: Device, text: str) -> None:
    node = next(n for n in device.active_window().walk() if n.text == text or n.desc == text)
    device.tap(*node.center)
    device.clock.rest()  # type: ignore[attr-defined]  # the screen it opened comes to rest


def _on_details(world: str = "studio", promo: str = "P-1001") -> Device:
    device = Device(resolve_world(world))
    device.clock = StepClock()  # type: ignore[assignment]
    device.launch()
    for label in ("Profile" if world == "studio" else "Profil", "TikTok Studio"):
        _tap(device, label)
    _tap(device, "Promote" if world == "studio" else "Promouvoir")
    title = device.model.promotion(promo).title
    _tap(device, title)
    return device


def _texts(window: Node) -> list[str]:
    return [n.text for n in window.walk() if n.text]


@pytest.mark.parametrize(("world", "stop", "cancel"), [("studio", "Stop promotion", "Cancel"),
                                                       ("studio-fr", "Arrêter la promotion", "Annuler")])
def test_the_dialogs_cancel_keeps_the_promotion_running_and_charging(world: str, stop: str, cancel: str) -> None:
    device = _on_details(world)
    _tap(device, stop)
    assert device.current_activity == "com.bytedance.hybrid.spark.page.SparkActivity"
    _tap(device, cancel)
    promo = device.model.promotion("P-1001")
    assert promo.status == ACTIVE and promo.canceled_at is None and promo.spend_at_cancel_cents is None
    spent = promo.spend_cents
    device.model.advance_clock(timedelta(hours=6).total_seconds())
    assert promo.spend_cents > spent
    assert stop in _texts(device.active_window())  # back on the details, the stop still offered


def test_stop_from_the_dialog_cancels_with_the_guides_rules() -> None:
    device = _on_details()
    _tap(device, "Stop promotion")
    _tap(device, "Stop")
    promo = device.model.promotion("P-1001")
    assert promo.status == CANCELED and promo.spend_at_cancel_cents == promo.spend_cents == 2140
    device.model.advance_clock(timedelta(days=3).total_seconds())
    assert promo.spend_cents == 2140 and promo.views == 5350  # no more charges; metrics stay
    with pytest.raises(RuleViolation):
        device.model.restart("P-1001")
    with pytest.raises(RuleViolation):
        device.model.cancel("P-1001")


def test_pause_holds_charges_and_is_not_a_cancel() -> None:
    device = _on_details()
    model = device.model
    model.pause("P-1001")
    promo = model.promotion("P-1001")
    assert promo.status == PAUSED and promo.canceled_at is None and promo.cancellable
    model.advance_clock(timedelta(hours=12).total_seconds())
    assert promo.spend_cents == 2140 and all(pid != "P-1001" for _, pid, _ in model.charges)
    with pytest.raises(RuleViolation):
        model.pause("P-1001")
    model.resume("P-1001")
    model.advance_clock(timedelta(hours=12).total_seconds())
    assert promo.spend_cents > 2140
    model.pause("P-1001")
    model.cancel("P-1001")  # a paused promotion can still be stopped
    assert promo.status == CANCELED


def test_a_pause_does_not_lengthen_the_schedule() -> None:
    model = resolve_world("studio").build()
    model.pause("P-1001")
    model.advance_clock(timedelta(days=10).total_seconds())
    promo = model.promotion("P-1001")
    assert promo.status == COMPLETED and promo.spend_cents == 2140
    with pytest.raises(RuleViolation):
        model.resume("P-1001")
