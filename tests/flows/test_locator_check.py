"""check-locators on hand-made screens: each trap of the real app (facts file, "Traps in real screens")."""

from __future__ import annotations

from tiktok_promo.flows.locator_check import AMBIGUOUS, FALLBACK, MISSING, OK, check_screen
from tiktok_promo.harness.ui.locators import LocatorMemory

APP = "com.zhiliaoapp.musically"


def node(cls: str, text: str = "", desc: str = "", rid: str = "", bounds: str = "[0,0][10,10]", package: str = APP,
         clickable: bool = False, children: str = "", **extra: str) -> str:
    attrs = {"class": cls, "text": text, "content-desc": desc, "resource-id": rid, "package": package,
             "clickable": str(clickable).lower(), "enabled": "true", "scrollable": "false", "bounds": bounds, **extra}
    shown = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    return f"<{cls} {shown}>{children}</{cls}>"


def hierarchy(*windows: str) -> str:
    return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">" + "".join(windows) + \
        "</hierarchy>"


def tab(label: str, x: int) -> str:
    return node("android.widget.FrameLayout", desc=label, clickable=True, bounds=f"[{x},2210][{x + 216},2400]",
                children=node("android.widget.TextView", text=label))


def feed(avatar: str, tabs: tuple[str, ...] = ("Home", "Friends", "Inbox", "Profile"), *system: str) -> str:
    app = node("android.widget.FrameLayout", bounds="[0,0][1080,2400]", children="".join([
        node("android.widget.FrameLayout", desc="Video", scrollable="true", bounds="[0,200][1080,2210]"),
        node("android.widget.ImageView", desc=avatar, rid="com.zhiliaoapp.musically:id/user_avatar", clickable=True),
        *(tab(label, 216 * i) for i, label in enumerate(tabs)),
    ]))
    return hierarchy(app, *system)


def by_name(result, name: str):
    return next(t for t in result.targets if t.target == name)


def test_the_avatar_whose_content_desc_says_profile_is_named_and_does_not_catch_the_tab() -> None:
    result = check_screen(feed("dance.daily profile"), "feed", LocatorMemory(locale="en_US"))
    assert result.page == "feed"
    tab_check = by_name(result, "profile tab (Me)")
    assert (tab_check.verdict, tab_check.elements, tab_check.candidate) == (FALLBACK, 1, 'accessibility id "Profile"')
    assert any('"dance.daily profile"' in trap and "content-desc contains Profile" in trap for trap in result.traps)
    assert not result.failures


def test_the_french_avatar_trap_is_named_in_french() -> None:
    result = check_screen(feed("Profil de dance.daily", ("Accueil", "Ami(e)s", "Messages", "Profil")), "feed",
                          LocatorMemory(locale="fr_FR"))
    assert by_name(result, "profile tab (Me)").candidate == 'accessibility id "Profil"'
    assert any('"Profil de dance.daily"' in trap for trap in result.traps)


def test_androids_home_button_in_the_system_bar_is_named_as_a_trap() -> None:
    system_bar = node("android.widget.FrameLayout", package="com.android.systemui", bounds="[0,2400][1080,2520]",
                      children=node("android.widget.ImageView", desc="Home", package="com.android.systemui",
                                    clickable=True))
    result = check_screen(feed("dance.daily profile", ("Home", "Friends", "Inbox", "Profile"), system_bar), "feed",
                          LocatorMemory(locale="en_US"))
    assert any("com.android.systemui" in trap and 'button "Home"' in trap for trap in result.traps)
    assert by_name(result, "profile tab (Me)").verdict == FALLBACK  # the tab itself is still found, once


def details(*extra: str, stop: int = 1) -> str:
    web = node("android.webkit.WebView", text="Promotion details", bounds="[0,80][1080,2400]", children="".join([
        node("android.widget.Button", desc="Back", clickable=True, bounds="[0,80][150,230]"),
        node("android.view.View", text="Summer haul try-on"),
        node("android.view.View", text="Active"),
        node("android.view.View", text="ID P-1001"),
        *(node("android.widget.Button", text="Stop promotion", clickable=True) for _ in range(stop)),
    ]))
    return hierarchy(node("android.widget.FrameLayout", bounds="[0,0][1080,2400]", children=web), *extra)


def test_a_clean_web_details_screen_passes() -> None:
    result = check_screen(details(), "details", LocatorMemory(locale="en_US"))
    assert result.page == "promotion details"
    assert {t.target: t.verdict for t in result.targets if t.needed} == {
        "status": FALLBACK, "promoted video": FALLBACK, "promotion ID": FALLBACK, "back arrow": OK,
        "Cancel button": FALLBACK}
    assert not result.failures


def test_the_system_bars_back_button_makes_the_back_arrow_ambiguous() -> None:
    # Android's navigation bar says "Back" too: a bare accessibility id "Back" may leave the screen the wrong way.
    bar = node("android.widget.FrameLayout", package="com.android.systemui", children=node(
        "android.widget.ImageView", desc="Back", package="com.android.systemui", clickable=True))
    result = check_screen(details(bar), "details", LocatorMemory(locale="en_US"))
    back = by_name(result, "back arrow")
    assert back.verdict == AMBIGUOUS and back.elements == 2 and "com.android.systemui" in back.packages
    assert [t.target for t in result.failures] == ["back arrow"]
    assert any('button "Back"' in trap for trap in result.traps)


def test_two_views_with_one_label_make_the_stop_button_ambiguous() -> None:
    result = check_screen(details(stop=2), "details", LocatorMemory(locale="en_US"))
    stop = by_name(result, "Cancel button")
    assert stop.verdict == AMBIGUOUS and stop.elements == 2 and "first, silently" in stop.note
    assert [t.target for t in result.failures] == ["Cancel button"]


def test_a_stop_button_gone_from_an_active_promotion_is_missing() -> None:
    result = check_screen(details(stop=0), "details", LocatorMemory(locale="en_US"))
    assert by_name(result, "Cancel button").verdict == MISSING
    assert [t.target for t in result.failures] == ["Cancel button"]


def test_a_screen_no_page_knows_is_said_and_checks_nothing() -> None:
    result = check_screen(hierarchy(node("android.widget.FrameLayout", children=node(
        "android.view.ViewGroup"))), "update prompt", LocatorMemory(locale="en_US"))
    assert result.page is None and result.targets == [] and not result.failures


def test_a_known_pop_up_is_named_as_the_pop_up_the_finder_closes() -> None:
    result = check_screen(hierarchy(node("android.widget.FrameLayout", desc="Swipe up for more", clickable=True,
                                         children=node("android.widget.TextView", text="Swipe up for more"))),
                          "000-screen", LocatorMemory(locale="en_US"))
    assert (result.page, result.popup) == (None, "swipe-up hint")
