"""The guide's way to the promotions: Me, the three-line menu, Creator tools, Promotions, the list."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from tiktok_promo.harness.report import evidence
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.creator_tools import CreatorToolsPage
from tiktok_promo.pages.feed import FeedPage
from tiktok_promo.pages.menu_sheet import MenuSheet
from tiktok_promo.pages.profile import ProfilePage
from tiktok_promo.pages.promotions_list import PromotionRow, PromotionsListPage
from tiktok_promo.steps.context import Journey


def row_table(rows: list[PromotionRow]) -> list[dict[str, str]]:
    return [{"title": r.title, "status": r.status_text, "budget": r.budget_text, "spent": r.spent_text} for r in rows]


@when("I go to the Me section")
def go_to_me(journey: Journey) -> None:
    journey.page = journey.on(FeedPage).open_profile()


@then("my profile page shows the account that started the promotion")
def profile_shows_account(journey: Journey) -> None:
    journey.flow.check_account(journey.on(BasePage))


@when("I tap the three horizontal lines at the top right")
def open_menu(journey: Journey) -> None:
    journey.page = journey.on(ProfilePage).open_menu()


@when("I select Creator tools")
def select_creator_tools(journey: Journey) -> None:
    journey.page = journey.on(MenuSheet).open_creator_tools()


@when("I tap Promotions")
def tap_promotions(journey: Journey) -> None:
    journey.page = journey.on(CreatorToolsPage).open_promotions()


@when("I go to my active promotions")
def go_to_promotions(journey: Journey) -> None:
    journey.page = journey.flow.open_promotions(journey.page)


@then("I see the list of my active promotions")
def see_active_promotions(journey: Journey) -> None:
    journey.rows = journey.on(PromotionsListPage).visible_rows()
    evidence.attach_table("promotions on screen", row_table(journey.rows))
    assert any(row.is_active for row in journey.rows), f"No active promotion is listed: {row_table(journey.rows)}"


@then(parsers.parse('the promotion "{title}" is in the list as active'))
def listed_as_active(journey: Journey, title: str) -> None:
    rows = journey.on(PromotionsListPage).visible_rows()
    shown = {row.title: row.status_text for row in rows}
    assert title in shown, f'"{title}" is not in the list; it shows {sorted(shown)}'
    assert next(r for r in rows if r.title == title).is_active, f'"{title}" is listed as {shown[title]}, not Active'


@then(parsers.parse('the promotion "{title}" is not on the first screen of the list'))
def not_on_first_screen(journey: Journey, title: str) -> None:
    titles = [row.title for row in journey.on(PromotionsListPage).visible_rows()]
    assert titles, "The list shows no promotion at all"
    assert title not in titles, f'"{title}" is already on the first screen: {titles}'
