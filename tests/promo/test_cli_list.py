"""`promo list`: the account on screen and every promotion, as a table or JSON, on the virtual device."""

from __future__ import annotations

import pytest
from clikit import Promo


@pytest.mark.slow
def test_list_shows_the_account_and_every_promotion_as_a_table(promo: Promo) -> None:
    run = promo("list")
    assert run.code == 0, run.err
    assert "sim-1 · @mia.creates · world default" in run.out
    for header in ("Title", "Status", "Budget", "Spent", "Left", "Views", "Likes", "Per 1k views"):
        assert header in run.out
    row = next(line for line in run.out.splitlines() if "Summer haul try-on" in line)
    for cell in ("P-1001", "Active", "$50.00 total", "$21.40", "$28.60", "5,350", "428", "$4.00"):
        assert cell in row
    for title in ("Latte art in 30 seconds", "Studio tour", "Spring recipes"):
        assert title in run.out
    assert "Traceback" not in run.err


@pytest.mark.slow
def test_list_json_has_every_number(promo: Promo) -> None:
    run = promo("list", "--json")
    assert run.code == 0, run.err
    device = run.device("sim-1")
    assert device["account"] == "mia.creates"
    assert device["state"] == "done"
    by_id = {p["id"]: p for p in device["promotions"]}
    assert set(by_id) == {"P-1001", "P-1002", "P-1003", "P-0990"}
    assert by_id["P-1001"] == {
        "title": "Summer haul try-on", "id": "P-1001", "status": "active", "status_text": "Active",
        "budget": 50.0, "budget_kind": "total", "total_budget": 50.0, "spent": 21.4, "remaining": 28.6,
        "views": 5350, "likes": 428, "cost_per_1k_views": 4.0,
    }
    latte = by_id["P-1002"]  # $10.00 a day for 5 days
    assert (latte["budget_kind"], latte["total_budget"], latte["remaining"]) == ("daily", 50.0, 40.0)
    assert by_id["P-1003"]["status"] == "in review"
    assert by_id["P-0990"]["remaining"] is None  # ended: nothing more will be charged


@pytest.mark.slow
def test_list_reads_other_app_releases_and_several_devices(promo: Promo) -> None:
    run = promo("list", "--json", "--device", "sim-1=business", "--device", "sim-2=current")
    assert run.code == 0, run.err
    for name in ("sim-1", "sim-2"):
        device = run.device(name)
        assert device["account"] == "mia.creates"
        assert {p["id"] for p in device["promotions"]} == {"P-1001", "P-1002", "P-1003", "P-0990"}
        assert {p["status"] for p in device["promotions"]} == {"active", "in review", "completed"}
    assert run.device("sim-1")["world"] == "business"
    assert run.device("sim-2")["world"] == "current"


@pytest.mark.slow
def test_list_when_nobody_is_logged_in_says_so_in_one_sentence(promo: Promo) -> None:
    run = promo("list", "--world", "logged-out")
    assert run.code == 2
    assert "Nobody is logged in to the TikTok app" in run.one_error_line()


@pytest.mark.slow
def test_list_on_a_french_phone_reads_euros_spaces_and_french_statuses(promo: Promo) -> None:
    # studio-fr shows "21,40 €", "5 350" (narrow no-break space) and "Terminée": the same numbers come out.
    run = promo("list", "--json", "--world", "studio-fr")
    assert run.code == 0, run.err
    by_id = {p["id"]: p for p in run.device("sim-1")["promotions"]}
    summer = by_id["P-1001"]
    assert (summer["status"], summer["budget"], summer["spent"], summer["views"], summer["likes"]) == (
        "active", 50.0, 21.4, 5350, 428)
    assert (by_id["P-0990"]["status"], by_id["P-0990"]["status_text"]) == ("completed", "Terminée")
    assert by_id["P-1003"]["status"] == "in review"


@pytest.mark.slow
def test_cancel_on_the_studio_release_stops_only_what_was_asked(promo: Promo) -> None:
    run = promo("cancel", "--world", "studio-fr", "--title", "Summer haul try-on", "--reason", "budget", "--yes",
                "--account", "mia.creates", ledger=True)
    assert run.code == 0, run.err
    assert run.statuses() == {"P-1001": "canceled", "P-1002": "active", "P-1003": "in_review", "P-0990": "completed"}
