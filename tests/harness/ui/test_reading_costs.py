"""How the finder reads a screen: one page source or a find per value, chosen by what commands cost here.

The cost model (harness/ui/costs.py) is checked on timings shaped like a phone's, a slow network's and
an in-process device's; the choice it leads to is checked on the virtual device under its two cost
models (simulator/costs.py), by the commands the device received.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tiktok_promo.flows.cancel_flow import CancelFlow
from tiktok_promo.flows.errors import NotCancellable, WrongPromotion
from tiktok_promo.harness.ui.costs import KEPT, CommandCosts, Kind, kind_of
from tiktok_promo.harness.ui.live import LiveScreen, ScreenChanged
from tiktok_promo.harness.ui.snapshot import Snapshot
from tiktok_promo.pages.app import TikTokApp
from tiktok_promo.pages.feed import PROFILE_TAB
from tiktok_promo.pages.profile import MENU_BUTTON, USERNAME, ProfilePage
from tiktok_promo.pages.promotion_details import VIDEO, PromotionDetails

PHONE = {"cost_model": "phone", "latency_sigma": 0.01, "seed": 7}
FLAT = {"latency_ms": 40, "latency_sigma": 0.01, "seed": 7}


def timed(costs: CommandCosts, command: str, seconds: float, times: int = 3, **params: str) -> None:
    for _ in range(times):
        costs.record(command, params or None, seconds)


def test_commands_are_sorted_into_the_kinds_whose_cost_differs() -> None:
    assert kind_of("getPageSource", None) is Kind.SOURCE
    assert kind_of("findElements", {"using": "accessibility id", "value": "Me"}) is Kind.FIND
    assert kind_of("findElements", {"using": "xpath", "value": "//*"}) is Kind.FIND_XPATH
    assert kind_of("getElementText", {"id": "1"}) is Kind.READ
    assert kind_of("w3cExecuteScript", {"script": "mobile: clickGesture", "args": []}) is Kind.TAP
    assert kind_of("w3cExecuteScript", {"script": "mobile: deviceInfo", "args": []}) is Kind.READ
    assert kind_of("w3cExecuteScript", {"script": "mobile: scrollGesture", "args": []}) is Kind.OTHER


def test_on_a_phone_two_or_three_values_go_by_finds_and_a_whole_screen_by_one_page_source() -> None:
    costs = CommandCosts()
    timed(costs, "findElements", 0.110)
    timed(costs, "clickElement", 0.060)  # at waitForIdleTimeout 0, as the session runs: no wait for idle
    timed(costs, "getElementText", 0.045)
    assert not costs.source_is_cheaper(finds=3, reads=3)
    assert costs.source_is_cheaper(finds=17, reads=17)


def test_where_every_command_costs_one_round_trip_one_page_source_wins() -> None:
    costs = CommandCosts()
    for seconds in (0.150, 0.170, 0.135):  # a flat 150 ms, whatever the command: a slow network
        costs.record("findElements", None, seconds)
        costs.record("clickElement", None, seconds + 0.01)
    assert costs.source_is_cheaper(finds=2, reads=2)


def test_a_device_in_this_process_keeps_the_fewer_commands_whatever_a_slow_moment_did() -> None:
    costs = CommandCosts()
    timed(costs, "findElements", 0.001)
    timed(costs, "clickElement", 0.006)  # a tap that happened to meet a garbage collection
    assert costs.source_is_cheaper(finds=3, reads=3)


def test_before_two_kinds_are_timed_the_device_is_taken_for_a_phone() -> None:
    costs = CommandCosts()
    assert costs.fit() == (0.0, 1.0)
    timed(costs, "findElements", 0.150)
    assert costs.fit() == (0.0, 1.0)
    assert not costs.source_is_cheaper(finds=3, reads=3)


def test_a_session_that_started_as_slowly_as_a_phone_reads_a_profile_by_finds_whatever_its_first_two_commands_say(
) -> None:
    # A phone's first find and tap, a tenth of a second of work apart, drawn close together (seed 1 of the phone
    # model): their slope alone says a flat round trip, and one page source would be read where finds cost half.
    costs = CommandCosts()
    costs.record("findElements", None, 0.112)
    costs.record("clickElement", None, 0.095)
    assert costs.source_is_cheaper(finds=3, reads=3)
    costs.launched(3.1)  # the app and UiAutomator2's instrumentation launched
    assert not costs.source_is_cheaper(finds=3, reads=3)
    assert costs.source_is_cheaper(finds=17, reads=17)


def test_a_phone_that_started_quickly_still_reads_a_details_screen_by_finds() -> None:
    # Seed 3 of the phone model: the start drawn at 1.78 s (a phone's median is 2.5 s), then the profile's finds and
    # taps (the finds by UiSelector and what they found are left out: see the module). Counted as 0.7 of a phone's
    # speed, the start made one page source (1.1 s there) look cheaper than the details' 4 finds and 4 reads (0.6 s).
    costs = CommandCosts()
    costs.launched(1.78)
    for find, tap in ((0.095, 0.069), (0.175, 0.070), (0.129, 0.092), (0.100, 0.093)):
        costs.record("findElements", None, find)
        costs.record("clickElement", None, tap)
    assert not costs.source_is_cheaper(finds=4, reads=4)
    assert costs.source_estimate() > 0.9  # a phone's page source of a TikTok screen: about a second


def test_a_session_that_started_in_one_round_trip_reads_a_screen_by_one_page_source_from_its_first_look() -> None:
    costs = CommandCosts()
    costs.record("findElements", None, 0.250)  # a flat 150 ms round trip, drawn high for the find, low for the tap
    costs.record("clickElement", None, 0.080)
    assert not costs.source_is_cheaper(finds=2, reads=2)  # the slope alone takes it for a phone
    costs.launched(0.150)
    assert costs.source_is_cheaper(finds=2, reads=2)


def test_a_cloud_phone_s_slow_start_is_taken_for_no_slower_than_a_phone_its_round_trip_still_counts() -> None:
    costs = CommandCosts()
    costs.launched(20.0)  # a device allocated, then launched: the wait is the cloud's, not each command's
    costs.record("findElements", None, 0.410)  # a phone's work behind a 0.3 s round trip
    costs.record("getElementText", None, 0.345)
    costs.record("clickElement", None, 0.360)
    network, speed = costs.fit()
    assert speed == pytest.approx(1.0, abs=0.05) and network == pytest.approx(0.3, abs=0.02)
    assert costs.source_is_cheaper(finds=3, reads=3)
    assert not costs.source_is_cheaper(finds=1, reads=1)


def test_the_session_start_is_timed_for_the_cost_model(make_session) -> None:
    finder = make_session("default", faults=FLAT).start()  # every command, the start too, about 40 ms
    assert finder.costs.hinted_speed is not None and finder.costs.hinted_speed < 0.1


def test_a_screen_is_never_taken_for_smaller_than_a_tiktok_screen() -> None:
    costs = CommandCosts()
    costs.saw(28)  # the virtual device draws its feed with 28 views; the phone's has about 200
    assert costs.nodes == 200
    costs.saw(450)
    assert costs.estimate(Kind.SOURCE) == pytest.approx(0.150 + 0.004 * 450)


def by_name(command: str, params: dict) -> str:
    return command if command != "w3cExecuteScript" else str(params.get("script"))


def commands_of(session, shown: Callable[[str, dict], object] = by_name) -> list:
    """Every command the session's driver sends from now on, as `shown` puts it (by default its name),
    chained onto the cost model's timer."""
    seen: list = []
    driver = session.driver
    record = driver.timer

    def timer(command: str, params: dict | None, seconds: float) -> None:
        seen.append(shown(command, params or {}))
        if record is not None:
            record(command, params, seconds)

    driver.timer = timer
    return seen


def timed_as_a_phone(costs: CommandCosts) -> None:
    """A phone's finds, taps and reads as a session would have timed them (the phone model's medians), filling
    every kept time: what a loaded machine added to the first commands no longer counts."""
    for command, seconds in (("findElements", 0.110), ("clickElement", 0.360), ("getElementText", 0.045)):
        timed(costs, command, seconds, times=KEPT)


def on_profile(make_session, faults: dict) -> tuple[object, ProfilePage, list[str]]:
    session = make_session("default", faults=faults)
    finder = session.start()
    finder.tap(PROFILE_TAB)
    finder._source_at_rest()  # the profile has come in (read until at rest): what the tests count is reading it
    return session, ProfilePage(finder), commands_of(session)


@pytest.mark.slow
def test_on_a_phone_the_profile_is_read_by_finds_and_the_menu_tapped_as_found(make_session) -> None:
    session, profile, sent = on_profile(make_session, PHONE)
    # A phone's costs as the session has timed them (finds, taps, reads), not what a loaded machine added to its
    # first commands: at load 10 the extra time looked like a network's round trip, and one page source was chosen.
    # How the choice follows the timings is checked on the cost model itself (the tests above).
    timed_as_a_phone(session.finder.costs)
    assert profile.account() == "mia.creates"
    assert sent == ["findElements", "findElements", "getElementText"]  # the @username, the menu, the @username's text
    profile.open_menu()
    # The menu button the look found, clicked with no second find, then confirmed by the sheet it opens (a find).
    assert sent[3] == "clickElement" and set(sent[4:]) <= {"findElements", "mobile: deviceInfo"}
    assert "getPageSource" not in sent


def test_through_a_flat_round_trip_the_profile_is_one_page_source(make_session) -> None:
    _, profile, sent = on_profile(make_session, FLAT)
    assert profile.account() == "mia.creates"
    assert sent == ["getPageSource"]
    profile.open_menu()
    # Tapped where that page source shows it, then confirmed by the sheet it opens (its looks until it shows, the
    # device's locale asked once the sheet's word missed).
    looks = {"findElements", "getPageSource", "mobile: deviceInfo"}
    assert sent[1] == "mobile: clickGesture" and set(sent[2:]) <= looks


@pytest.mark.slow
def test_a_live_look_refuses_to_answer_for_a_screen_the_app_may_have_left(make_session) -> None:
    session, profile, _ = on_profile(make_session, PHONE)
    # A phone's costs as this session knows them, whatever a loaded machine made its first commands take: three
    # targets then go by finds (the choice itself is checked above, on the same timings).
    timed_as_a_phone(session.finder.costs)
    screen = session.finder.view(MENU_BUTTON, targets=3)
    assert isinstance(screen, LiveScreen) and not screen.at_once
    profile.open_menu()
    with pytest.raises(ScreenChanged, match='"profile @username" was asked of a screen the app may have left'):
        screen.text(USERNAME)


@pytest.mark.slow
def test_on_a_phone_a_cancel_reads_no_page_source_and_watches_the_status_it_found(make_session) -> None:
    session = make_session("default", faults=PHONE)
    flow = CancelFlow(TikTokApp.on(session), "mia.creates", status_timeout=2.0)
    sent = commands_of(session)
    result = flow.cancel("Summer haul try-on")
    assert result.cancelled and result.promotion_id == "P-1001" and str(result.spent_at_cancel) == "21.40"
    assert "getPageSource" not in sent
    # After the confirm: the status and the ID read again from the views found before it (one command
    # each, no find), then the spend at cancel, found and read. The device's locale is asked once in the session:
    # at the first find that misses (on a phone's timing, one made while a screen still comes in), or else when
    # that amount is read as a number (the words needed no more than the language they showed).
    confirm = len(sent) - 1 - sent[::-1].index("clickElement")
    assert [c for c in sent[confirm + 1:] if c != "mobile: deviceInfo"] == [
        "getElementText", "getElementText", "findElements", "getElementText"]
    assert sent.count("mobile: deviceInfo") == 1


class _Page:
    """A details page whose finds in a row met a pop-up: the look misses the title; one page source shows it."""

    def __init__(self, finder) -> None:
        self.finder = finder
        self.reads = 0

    def look(self, reuse: bool = True) -> PromotionDetails:
        return PromotionDetails(_Missing(self.finder.view(VIDEO, targets=4)))

    def read(self, reuse: bool = True) -> PromotionDetails:
        self.reads += 1
        return PromotionDetails(self.finder.snapshot(reuse=False)).settled()


class _Missing:
    """A live look on which the title's find came back empty (a pop-up came up between two finds)."""

    at_once = False

    def __init__(self, screen) -> None:
        self.screen = screen
        self.locale = screen.locale

    def __getattr__(self, name: str) -> Callable:
        return getattr(self.screen, name)

    def text(self, target) -> str | None:
        return None if target is VIDEO else self.screen.text(target)


@pytest.mark.slow
def test_a_refusal_is_decided_on_one_page_source_never_on_finds_a_popup_could_split(make_session) -> None:
    session = make_session("default", faults=PHONE)
    flow = CancelFlow(TikTokApp.on(session), "mia.creates")
    listing = flow.open_promotions()
    flow.choose(listing, "Summer haul try-on")
    page = _Page(session.finder)
    details = flow.check_promotion(page)  # type: ignore[arg-type]
    assert page.reads == 1 and isinstance(details.screen, Snapshot)
    assert details.title == "Summer haul try-on"  # the page source shows what the look missed: no refusal
    with pytest.raises(WrongPromotion, match='the details show "Summer haul try-on", not "Latte art'):
        flow.check_promotion(page, title="Latte art in 30 seconds")  # type: ignore[arg-type]
    assert page.reads == 2


def test_the_rows_of_a_list_just_read_open_at_their_place_without_a_find(make_session) -> None:
    session = make_session("default", faults=FLAT)
    flow = CancelFlow(TikTokApp.on(session), "mia.creates")
    listing = flow.open_promotions()
    sent = commands_of(session)
    row, handle = next(listing.each_row())
    assert handle is not None
    page = handle.open()
    # No find of the rows (XPath on a phone); the rows' amounts asked the device's locale, once. The list is read
    # until it has come in to rest (a page source or a few), and the row tapped at its place at rest.
    *reads, tap = [c for c in sent if c != "mobile: deviceInfo"]
    assert reads and set(reads) == {"getPageSource"} and tap == "mobile: clickGesture"
    assert page.look().title == row.title


@pytest.mark.slow
def test_on_a_phone_a_cancel_that_cannot_be_used_is_refused_on_one_page_source(make_session) -> None:
    # TikTok Studio shows a promotion in review with a disabled "Stop promotion" (simulator/ui/studio.py):
    # the finds say so, and the refusal rests on a page source, not on them.
    session = make_session("studio", faults=PHONE)
    flow = CancelFlow(TikTokApp.on(session), "mia.creates", status_timeout=2.0)
    flow.open_promotions()
    sent = commands_of(session)
    with pytest.raises(NotCancellable, match='"Studio tour" is In review'):
        flow.cancel("Studio tour")
    assert sent[-1] == "getPageSource"  # decided on it; nothing tapped after it


@pytest.mark.slow
def test_on_a_phone_a_uiselector_asks_for_one_view_and_menu_rows_go_by_their_content_desc(make_session) -> None:
    # A UiSelector find_elements searches once per instance until one is missing (appium-uiautomator2-server,
    # utils/ByUiAutomatorFinder.java): a look that reads the first view asks for instance(0), one search.
    session, profile, _ = on_profile(make_session, PHONE)
    sent = commands_of(session, lambda command, params: (command, params.get("using"), params.get("value")))
    profile.account()
    profile.open_creator_tools()
    finds = [(using, value) for command, using, value in sent if command == "findElements"]
    assert ("-android uiautomator", 'new UiSelector().textStartsWith("@").instance(0)') in finds
    assert ("accessibility id", "Creator tools") in finds  # a menu row's content-desc is its label (seen)


class _View:
    """A found view that counts its reads."""

    def __init__(self) -> None:
        self.reads = 0

    @property
    def text(self) -> str:
        self.reads += 1
        return "Profile menu"


def test_a_view_an_earlier_look_missed_is_found_and_not_read_when_only_its_presence_is_asked() -> None:
    view, finds = _View(), []
    shown: dict[str, list] = {MENU_BUTTON.name: []}  # the profile still sliding in: the first look misses the menu

    def find(target):
        finds.append(target.name)
        return shown[target.name]

    def live(earlier=None) -> LiveScreen:
        return LiveScreen(find, lambda: 1, lambda: None, lambda: None, lambda limit: "", earlier=earlier)

    first = live()
    assert not first.has(MENU_BUTTON)
    shown[MENU_BUTTON.name] = [view]
    assert live(first).has(MENU_BUTTON)
    assert finds == [MENU_BUTTON.name, MENU_BUTTON.name] and view.reads == 0
