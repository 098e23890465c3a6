"""The guide's rules, as a person sees them in the app and as the app's ledger records them."""

from __future__ import annotations

from appium.webdriver.common.appiumby import AppiumBy
from simkit import (
    PROTOCOL_AT_REST,
    back_to_list,
    by_desc,
    by_text,
    ledger,
    mobile,
    open_details,
    open_promotions,
    texts,
)

METRICS = ("Views", "Likes", "Comments", "Shares", "Followers gained")


def _metrics(driver) -> dict[str, str]:
    return {name: by_desc(driver, name).text for name in METRICS}


def _cancel_here(driver) -> None:
    """On a promotion's details: Cancel, then Confirm."""
    by_desc(driver, "Cancel").click()
    by_desc(driver, "Confirm").click()


def _buttons(driver) -> list[str]:
    return [b.text for b in driver.find_elements(AppiumBy.CLASS_NAME, "android.widget.Button")]


@PROTOCOL_AT_REST
def test_cancel_stops_charges_and_keeps_what_was_spent(driver) -> None:
    open_details(driver, "Summer haul try-on")
    mobile(driver, "simAdvanceClock", hours=12)  # still running: it charges
    running = ledger(driver, "P-1001")
    assert running["spend_cents"] > 2140
    assert by_desc(driver, "Spent").text == f"${running['spend_cents'] // 100}.{running['spend_cents'] % 100:02d}"

    _cancel_here(driver)
    assert by_desc(driver, "Status").text == "Canceled"
    cancelled = ledger(driver, "P-1001")
    assert cancelled["status"] == "canceled"
    assert cancelled["spend_cents"] == cancelled["spend_at_cancel_cents"] == running["spend_cents"]  # no refund
    charges_before = [c for c in mobile(driver, "simLedger")["charges"] if c["promotion"] == "P-1001"]

    mobile(driver, "simAdvanceClock", days=10)
    later = ledger(driver, "P-1001")
    assert later["spend_cents"] == running["spend_cents"]  # not a cent more
    assert later["status"] == "canceled"
    assert [c for c in mobile(driver, "simLedger")["charges"] if c["promotion"] == "P-1001"] == charges_before
    assert by_desc(driver, "Spent").text == f"${running['spend_cents'] / 100:.2f}"
    refunds = [t for t in texts(driver) if "refund" in t.lower()]
    assert refunds == []  # nothing on the details screen promises money back


@PROTOCOL_AT_REST
def test_cancelled_promotion_offers_only_a_new_one_never_a_restart(driver) -> None:
    open_details(driver, "Summer haul try-on")
    _cancel_here(driver)
    assert _buttons(driver) == ["Create new promotion"]
    assert any("No further charges" in t for t in texts(driver))
    back_to_list(driver)  # the list may reload as the app comes back to it after a cancel
    by_text(driver, "Summer haul try-on").click()  # opened afresh, and after time passes
    mobile(driver, "simAdvanceClock", days=1)
    assert _buttons(driver) == ["Create new promotion"]
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Cancel") == []


@PROTOCOL_AT_REST
def test_views_and_interactions_stay_after_cancel(driver) -> None:
    open_details(driver, "Summer haul try-on")
    before = _metrics(driver)
    _cancel_here(driver)
    assert _metrics(driver) == before
    mobile(driver, "simAdvanceClock", days=3)
    assert _metrics(driver) == before
    assert ledger(driver, "P-1001")["views"] == int(before["Views"].replace(",", ""))


@PROTOCOL_AT_REST
def test_keep_leaves_the_promotion_active_and_charging(driver) -> None:
    open_details(driver, "Summer haul try-on")
    by_desc(driver, "Cancel").click()
    by_desc(driver, "Keep promotion").click()
    assert by_desc(driver, "Status").text == "Active"
    assert by_desc(driver, "Cancel").is_displayed()
    assert ledger(driver, "P-1001")["status"] == "active"
    mobile(driver, "simAdvanceClock", hours=6)
    assert ledger(driver, "P-1001")["spend_cents"] > 2140


@PROTOCOL_AT_REST
def test_active_promotion_spends_and_gains_reach_while_the_clock_runs(driver) -> None:
    open_details(driver, "Summer haul try-on")
    views_before = ledger(driver, "P-1001")["views"]
    mobile(driver, "simAdvanceClock", days=1)
    after = ledger(driver, "P-1001")
    # $50 over 7 days is paced at about $7.14 a day.
    assert 2140 + 700 <= after["spend_cents"] <= 2140 + 730
    assert after["views"] > views_before
    assert by_desc(driver, "Views").text == f"{after['views']:,}"  # the open screen shows it


@PROTOCOL_AT_REST
def test_promotions_complete_at_their_end_and_never_pass_their_budget(driver) -> None:
    open_promotions(driver)
    mobile(driver, "simAdvanceClock", days=30)
    promos = {p["id"]: p for p in mobile(driver, "simLedger")["promotions"]}
    assert {p["status"] for p in promos.values()} == {"completed"}
    assert all(p["spend_cents"] <= p["total_budget_cents"] for p in promos.values())
    assert promos["P-1002"]["spend_cents"] == 5000  # $10/day for 5 days, paced exactly
    assert promos["P-1001"]["spend_cents"] >= 4990  # paced to its end, a few cents of rounding aside
    rows = driver.find_elements(AppiumBy.XPATH, "//androidx.recyclerview.widget.RecyclerView/*")
    statuses = [r.find_elements(AppiumBy.CLASS_NAME, "android.widget.TextView")[1].text for r in rows]
    assert statuses == ["Completed"] * 4
    by_text(driver, "Latte art in 30 seconds").click()
    assert _buttons(driver) == ["Create new promotion"]


@PROTOCOL_AT_REST
def test_daily_budget_stops_at_the_whole_budget_even_mid_schedule(make_driver) -> None:
    driver = make_driver(world="default")
    mobile(driver, "simAdvanceClock", days=4)  # P-1002 ends exactly now: $50 spent
    assert ledger(driver, "P-1002")["status"] == "completed"
    assert ledger(driver, "P-1002")["spend_cents"] == 5000


@PROTOCOL_AT_REST
def test_in_review_becomes_active_after_its_review_time(driver) -> None:
    # "Studio tour" was submitted at 09:50 with a 45 minute review; the clock says 10:00.
    open_details(driver, "Studio tour")
    mobile(driver, "simAdvanceClock", minutes=30)
    assert by_desc(driver, "Status").text == "In review"
    assert ledger(driver, "P-1003")["spend_cents"] == 0
    mobile(driver, "simAdvanceClock", minutes=10)
    assert by_desc(driver, "Status").text == "Active"
    assert ledger(driver, "P-1003")["status"] == "active"
    mobile(driver, "simAdvanceClock", hours=1)
    assert ledger(driver, "P-1003")["spend_cents"] > 0


@PROTOCOL_AT_REST
def test_cancelled_in_review_promotion_never_becomes_active(driver) -> None:
    open_details(driver, "Studio tour")
    _cancel_here(driver)
    mobile(driver, "simAdvanceClock", days=2)
    p = ledger(driver, "P-1003")
    assert (p["status"], p["spend_cents"]) == ("canceled", 0)
    assert by_desc(driver, "Status").text == "Canceled"


@PROTOCOL_AT_REST
def test_duplicate_titles_cancel_exactly_the_promotion_opened(make_driver) -> None:
    driver = make_driver(world="duplicate-titles")
    open_promotions(driver)
    rows = driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Morning routine")')
    assert len(rows) == 2
    rows[1].click()
    assert "ID P-2002" in texts(driver)
    _cancel_here(driver)
    statuses = {p["id"]: p["status"] for p in mobile(driver, "simLedger")["promotions"]}
    assert statuses == {"P-2001": "active", "P-2002": "canceled", "P-2003": "active"}


@PROTOCOL_AT_REST
def test_none_active_world_has_nothing_to_cancel(make_driver) -> None:
    driver = make_driver(world="none-active")
    open_promotions(driver)
    for title in ("Spring recipes", "Autumn walk"):
        by_text(driver, title).click()
        assert _buttons(driver) == ["Create new promotion"]
        back_to_list(driver)


@PROTOCOL_AT_REST
def test_confirming_after_the_promotion_ended_changes_nothing(driver) -> None:
    open_details(driver, "Latte art in 30 seconds")
    by_desc(driver, "Cancel").click()
    mobile(driver, "simAdvanceClock", days=5)  # it completes while the dialog is open
    by_desc(driver, "Confirm").click()
    assert "This promotion has already ended." in texts(driver)
    assert by_desc(driver, "Status").text == "Completed"
    p = ledger(driver, "P-1002")
    assert (p["status"], p["spend_cents"], p["canceled_at"]) == ("completed", 5000, None)
