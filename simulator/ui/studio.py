"""The studio release's screens (TikTok 46-47): TikTok Studio on the profile, Promote as a web page.

What differs from the older releases is structure, not only words:
- the profile shows a "TikTok Studio" entry under the bio (a clickable TextView, no content-desc),
  and the ☰ sheet lists it too; TikTok Studio is a native page of tools;
- Promote is a hybrid page: the activity is the app's web container (Spark), the content an
  `android.webkit.WebView` whose nodes are what Chrome's accessibility exposes of the HTML:
  `android.view.View` for text and boxes, `android.widget.Button` for buttons,
  `android.widget.TabWidget` for a tab list, `android.widget.ListView` for a list,
  `android.app.Dialog` for a dialog (Chromium's AXRoleToAndroidClassName), no resource-ids;
- the stop confirmation is a web dialog inside the same WebView (the page under it stays in the
  accessibility tree, as an aria-modal overlay leaves it), with "Stop" and "Cancel";
- a running promotion can be paused (not stopped) and resumed; one in review shows a disabled
  "Stop promotion" button, as Chrome shows a `<button disabled>` (clickable, not enabled).

Every label comes from the release's wording file in the phone's language (`ctx.words`), numbers,
money and dates from CLDR through Babel. Structure is written down in docs/simulator.md.
"""

from __future__ import annotations

from tiktok_promo.simulator.model import ACTIVE, CANCELED, COMPLETED, IN_REVIEW, PAUSED, Promotion
from tiktok_promo.simulator.ui import screens
from tiktok_promo.simulator.ui.localise import Localiser
from tiktok_promo.simulator.ui.node import Node
from tiktok_promo.simulator.ui.screens import (
    BOTTOM_BAR,
    BUTTON,
    FRAME,
    IMAGE,
    LINEAR,
    STATUS_BAR,
    TOP_BAR,
    TV,
    H,
    ScreenContext,
    W,
)

WEBVIEW = "android.webkit.WebView"
VIEW = "android.view.View"
WEB_IMAGE = "android.widget.Image"
TAB_LIST = "android.widget.TabWidget"
LIST_VIEW = "android.widget.ListView"
WEB_DIALOG = "android.app.Dialog"

MAIN_ACTIVITY = "com.ss.android.ugc.aweme.main.MainActivity"
STUDIO_ACTIVITY = "com.ss.android.ugc.aweme.creatortools.studio.TikTokStudioActivity"
WEB_ACTIVITY = "com.bytedance.hybrid.spark.page.SparkActivity"
ACTIVITIES = {
    "feed": MAIN_ACTIVITY,
    "profile": MAIN_ACTIVITY,
    "menu": MAIN_ACTIVITY,
    "creator_tools": STUDIO_ACTIVITY,
    "promotions": WEB_ACTIVITY,
    "details": WEB_ACTIVITY,
    "confirm": WEB_ACTIVITY,
    "create_promotion": WEB_ACTIVITY,
    "logged_out": "com.ss.android.ugc.aweme.account.login.LoginActivity",
}
WEB_SCREENS = frozenset(name for name, activity in ACTIVITIES.items() if activity == WEB_ACTIVITY)

# The campaign list's tabs: which statuses each shows (the page's own filter words are labels).
TABS = {
    "all": (ACTIVE, IN_REVIEW, PAUSED, COMPLETED, CANCELED),
    "active": (ACTIVE, IN_REVIEW, PAUSED),
    "completed": (COMPLETED, CANCELED),
}
LIST_TOP = 360
WEB_ROW = 300


def _words(ctx: ScreenContext) -> Localiser:
    assert ctx.words is not None, "the studio release needs the phone's locale"
    return ctx.words


def status_word(promo: Promotion, words: Localiser) -> str:
    return words.status(promo.status)


def _badge(promo: Promotion) -> str:
    return {ACTIVE: "badge-active", IN_REVIEW: "badge-review", PAUSED: "badge-review",
            COMPLETED: "badge-done"}.get(promo.status, "badge-stopped")


def budget_text(promo: Promotion, words: Localiser) -> str:
    kind = "budget_daily" if promo.budget_kind == "daily" else "budget_total"
    return words.label(kind, amount=words.money(promo.budget_cents))


# --- native screens --------------------------------------------------------------------------------
def _bottom_bar(ctx: ScreenContext, key: str, selected: str) -> Node:
    """Five tabs (seen): FrameLayouts with the label as content-desc, a TextView and an icon; Create
    is a Button; the selected tab is selected, stays clickable, and a tap on it changes nothing."""
    words = _words(ctx)
    names = ("home", "friends", "create", "inbox", "profile")
    bar = Node(LINEAR, key=f"{key}/bottombar", bounds=(0, BOTTOM_BAR, W, H), style="bottom-bar")
    width = W // len(names)
    for i, name in enumerate(names):
        label = words.label("profile_tab" if name == "profile" else f"tab_{name}")  # the pages look for its word
        box = (i * width, BOTTOM_BAR, (i + 1) * width, H)
        chosen = name == selected
        style = "create-button" if name == "create" else ("tab-selected" if chosen else "tab")
        tab = Node(BUTTON if name == "create" else FRAME, key=f"{key}/tab-{name}", bounds=box, desc=label,
                   rid=ctx.rid(f"tab_{name}"), clickable=True, focusable=True, selected=chosen,
                   action=None if chosen else f"tab:{name}", style=style)
        if name != "create":
            tab.add(
                Node(IMAGE, key=f"{key}/tab-{name}/icon", bounds=(box[0] + 70, BOTTOM_BAR + 30, box[2] - 70,
                                                                  BOTTOM_BAR + 100)),
                Node(TV, key=f"{key}/tab-{name}/label", bounds=(box[0], H - 90, box[2], H - 30), text=label,
                     style=style),
            )
        bar.add(tab)
    return bar


def feed(ctx: ScreenContext) -> Node:
    """The For You feed (the skeleton adds the creator's avatar, '<name> profile', a real trap)."""
    words = _words(ctx)
    root = screens._window(ctx, "feed", style="screen-dark")
    videos = [("dance.daily", "New choreo drop #fyp"), ("chef.tom", "3-minute pasta"),
              ("travel.lens", "Sunrise over Lisbon")]
    handle, caption = videos[ctx.feed_index % len(videos)]
    video = f"feed/video-{ctx.feed_index}"
    root.add(
        Node(LINEAR, key="feed/tabs", bounds=(240, STATUS_BAR, 840, 200)).add(
            Node(TV, key="feed/following", bounds=(240, 100, 520, 180), text=words.label("feed_following"),
                 clickable=True, style="muted"),
            Node(TV, key="feed/foryou", bounds=(560, 100, 840, 180), text=words.label("feed_for_you"),
                 clickable=True, selected=True, style="caption"),
        ),
        Node(FRAME, key=video, bounds=(0, 200, W, BOTTOM_BAR), rid=ctx.rid("feed_video"),
             desc=words.label("feed_video"), clickable=True, scrollable=True, style="video", action="feed").add(
            Node(TV, key=f"{video}/handle", bounds=(40, 1900, 900, 1970), text=f"@{handle}", style="caption"),
            Node(TV, key=f"{video}/caption", bounds=(40, 1980, 1000, 2060), text=caption,
                 rid=ctx.rid("feed_caption"), style="caption"),
        ),
        _bottom_bar(ctx, "feed", "home"),
    )
    return root


def profile(ctx: ScreenContext) -> Node:
    """The profile: the ☰ Button 'Profile menu' without a resource-id, '@username' as a Button, and
    the 'TikTok Studio' entry under the bio (text only, clickable)."""
    words = _words(ctx)
    account = ctx.model.account
    assert account is not None
    root = screens._window(ctx, "profile")
    counts = Node(LINEAR, key="profile/counts", bounds=(90, 680, 990, 840))
    for i, (value, label) in enumerate([(words.number(182), "profile_following"),
                                        (words.compact(account.followers), "profile_followers"),
                                        (words.compact(98100), "profile_likes")]):
        x = 90 + i * 300
        counts.add(
            Node(LINEAR, key=f"profile/count-{i}", bounds=(x, 680, x + 300, 840), style="metric").add(
                Node(TV, key=f"profile/count-{i}/value", bounds=(x, 680, x + 300, 760), text=value, style="title"),
                Node(TV, key=f"profile/count-{i}/label", bounds=(x, 770, x + 300, 830), text=words.label(label),
                     style="muted"),
            )
        )
    root.add(
        Node(LINEAR, key="profile/topbar", bounds=(0, STATUS_BAR, W, TOP_BAR), style="top-bar").add(
            Node(IMAGE, key="profile/find", bounds=(0, STATUS_BAR, 150, TOP_BAR),
                 desc=words.label("profile_add_friends"), clickable=True, action="noop", style="icon"),
            Node(TV, key="profile/name", bounds=(240, STATUS_BAR + 30, 780, TOP_BAR - 30),
                 text=account.display_name, rid=ctx.rid("profile_name"), style="title"),
            Node(IMAGE, key="profile/share", bounds=(800, STATUS_BAR, 930, TOP_BAR),
                 desc=words.label("profile_share"), clickable=True, action="noop", style="icon"),
            Node(BUTTON, key="profile/menu", bounds=(930, STATUS_BAR, W, TOP_BAR), desc=words.label("profile_menu"),
                 clickable=True, focusable=True, action="open:menu", style="icon-menu"),
        ),
        Node(IMAGE, key="profile/avatar", bounds=(390, 250, 690, 550), desc=words.label("profile_photo"),
             rid=f"{ctx.package}:id/user_avatar", style="avatar"),
        Node(BUTTON, key="profile/username", bounds=(240, 570, 840, 650), text=f"@{account.username}",
             rid=ctx.rid("profile_username"), clickable=True, action="noop", style="text"),
        counts,
        Node(BUTTON, key="profile/edit", bounds=(290, 860, 790, 970), text=words.label("profile_edit"),
             clickable=True, action="noop", style="button-secondary"),
        Node(TV, key="profile/bio", bounds=(90, 1000, 990, 1070), text=words.label("profile_bio"),
             rid=f"{ctx.package}:id/desc", style="muted"),
        Node(TV, key="profile/studio", bounds=(90, 1090, 560, 1170), text=words.label("studio_entry"),
             clickable=True, focusable=True, action="open:creator_tools", style="text"),
        _bottom_bar(ctx, "profile", "profile"),
    )
    return root


def menu_sheet(ctx: ScreenContext) -> Node:
    """The ☰ sheet (content-desc 'Bottom sheet'): rows whose content-desc is their label, one shared id."""
    words = _words(ctx)
    rows = [("studio_entry", "open:creator_tools"), ("menu_settings", "noop"), ("menu_qr", "noop"),
            ("menu_balance", "noop"), ("menu_activity", "noop")]
    top = H - 140 * len(rows) - 120
    root = Node(FRAME, key="menu", package=ctx.package, style="scrim", action="close_sheet")
    sheet = Node(LINEAR, key="menu/sheet", bounds=(0, top, W, H), desc=words.label("bottom_sheet"),
                 rid=ctx.rid("sheet"), style="sheet")
    for i, (name, action) in enumerate(rows):
        y = top + 60 + i * 140
        label = words.label(name)
        sheet.add(
            Node(LINEAR, key=f"menu/item-{i}", bounds=(0, y, W, y + 140), desc=label, rid=ctx.rid("sheet_item"),
                 clickable=True, focusable=True, action=action, style="row").add(
                Node(IMAGE, key=f"menu/item-{i}/icon", bounds=(60, y + 35, 130, y + 105), style="icon"),
                Node(TV, key=f"menu/item-{i}/label", bounds=(170, y + 35, 1000, y + 105), text=label, style="text"),
            )
        )
    root.add(sheet)
    return root


def tiktok_studio(ctx: ScreenContext) -> Node:
    """TikTok Studio: a native page, a summary of the last days and the tools (text only, no desc)."""
    words = _words(ctx)
    root = screens._window(ctx, "studio")
    bar = Node(LINEAR, key="studio/topbar", bounds=(0, STATUS_BAR, W, TOP_BAR), style="top-bar").add(
        Node(IMAGE, key="studio/back", bounds=(0, STATUS_BAR, 150, TOP_BAR), desc=words.label("back"),
             rid=ctx.rid("back"), clickable=True, focusable=True, action="back", style="icon-back"),
        Node(TV, key="studio/title", bounds=(180, STATUS_BAR + 30, 900, TOP_BAR - 30),
             text=words.label("creator_tools"), rid=ctx.rid("page_title"), style="title"),
    )
    views = sum(p.views for p in ctx.model.promotions_of(ctx.model.logged_in))
    summary = Node(LINEAR, key="studio/summary", bounds=(60, 270, 1020, 520), style="metric").add(
        Node(TV, key="studio/summary/period", bounds=(90, 290, 990, 350), text=words.label("studio_last_days"),
             style="muted"),
        Node(TV, key="studio/summary/value", bounds=(90, 360, 990, 440), text=words.compact(views), style="title"),
        Node(TV, key="studio/summary/label", bounds=(90, 450, 990, 500), text=words.label("studio_views"),
             style="muted"),
    )
    root.add(bar, summary,
             Node(TV, key="studio/tools", bounds=(60, 560, 1020, 630), text=words.label("studio_tools"),
                  style="title"))
    tools = [("studio_analytics", "noop"), ("promotions", "open:promotions"), ("studio_academy", "noop"),
             ("studio_live", "noop"), ("studio_monetization", "noop")]
    for i, (name, action) in enumerate(tools):
        y = 660 + i * 170
        root.add(
            Node(LINEAR, key=f"studio/tool-{i}", bounds=(0, y, W, y + 170), rid=ctx.rid("tool_item"),
                 clickable=True, focusable=True, action=action, style="row").add(
                Node(IMAGE, key=f"studio/tool-{i}/icon", bounds=(50, y + 45, 130, y + 125), style="icon"),
                Node(TV, key=f"studio/tool-{i}/label", bounds=(170, y + 50, 1000, y + 120), text=words.label(name),
                     rid=f"{ctx.package}:id/title", style="text"),
            )
        )
    return root


# --- the hybrid (web) pages -------------------------------------------------------------------------
def _web_page(ctx: ScreenContext, key: str, title: str, scrollable: bool = False) -> tuple[Node, Node]:
    """The Spark container's window and the box of the page's content. As Chrome's accessibility shows a
    page, the WebView (whose text is the document's title) holds the root web area and the body's
    wrapper divs, with the content a few levels down."""
    words = _words(ctx)
    root = screens._window(ctx, key)
    container = Node(FRAME, key=f"{key}/spark", bounds=(0, STATUS_BAR, W, H))
    web = Node(WEBVIEW, key=f"{key}/web", bounds=(0, STATUS_BAR, W, H), text=title, focusable=True,
               scrollable=scrollable)
    main = Node(VIEW, key=f"{key}/main", bounds=(0, TOP_BAR, W, H))
    web.add(
        Node(VIEW, key=f"{key}/area", bounds=(0, STATUS_BAR, W, H)).add(
            Node(VIEW, key=f"{key}/body", bounds=(0, STATUS_BAR, W, H)).add(
                Node(VIEW, key=f"{key}/header", bounds=(0, STATUS_BAR, W, TOP_BAR), style="top-bar").add(
                    Node(BUTTON, key=f"{key}/back", bounds=(0, STATUS_BAR, 150, TOP_BAR), desc=words.label("back"),
                         clickable=True, focusable=True, action="back", style="icon-back"),
                    Node(VIEW, key=f"{key}/title", bounds=(180, STATUS_BAR + 30, 900, TOP_BAR - 30), text=title,
                         style="title"),
                ),
                main,
            )
        )
    )
    root.add(container.add(web))
    return root, main


def visible_promotions(ctx: ScreenContext) -> list[Promotion]:
    statuses = TABS.get(ctx.param or "all", TABS["all"])
    return [p for p in ctx.listed() if p.status in statuses]


def promotions_layout(ctx: ScreenContext) -> tuple[int, int]:
    """(viewport height, content height) of the campaign list under its tabs."""
    return H - LIST_TOP, len(visible_promotions(ctx)) * WEB_ROW


def _web_row(ctx: ScreenContext, promo: Promotion, top: int) -> Node:
    words = _words(ctx)
    key = f"promos/row-{promo.id}"
    return Node(VIEW, key=key, bounds=(0, top, W, top + WEB_ROW), clickable=True, focusable=True,
                action=f"open:details:{promo.id}", style="row").add(
        Node(WEB_IMAGE, key=f"{key}/thumb", bounds=(40, top + 30, 220, top + 270), style="video"),
        Node(VIEW, key=f"{key}/title", bounds=(250, top + 30, 800, top + 100), text=promo.title, style="text"),
        Node(VIEW, key=f"{key}/status", bounds=(820, top + 35, 1040, top + 95), text=status_word(promo, words),
             style=_badge(promo)),
        Node(VIEW, key=f"{key}/budget", bounds=(250, top + 110, 1040, top + 165),
             text=words.label("row_budget", amount=budget_text(promo, words)), style="muted"),
        Node(VIEW, key=f"{key}/spent", bounds=(250, top + 165, 1040, top + 220),
             text=words.label("row_spent", amount=words.money(promo.spend_cents)), style="muted"),
        Node(VIEW, key=f"{key}/views", bounds=(250, top + 220, 1040, top + 275),
             text=words.label("row_views", plural=promo.views, count=words.compact(promo.views)),
             style="muted"),
    )


def promotions(ctx: ScreenContext) -> Node:
    """Promote (web): tabs All / Active / Completed over the list of campaigns; only on-screen rows exist."""
    words = _words(ctx)
    root, web = _web_page(ctx, "promos", words.label("promotions"), scrollable=True)
    chosen = ctx.param or "all"
    tabs = Node(TAB_LIST, key="promos/tabs", bounds=(0, TOP_BAR, W, LIST_TOP))
    width = W // len(TABS)
    for i, name in enumerate(TABS):
        tabs.add(Node(VIEW, key=f"promos/tab-{name}", bounds=(i * width, TOP_BAR + 20, (i + 1) * width, LIST_TOP - 20),
                      text=words.label(f"promote_tab_{name}"), clickable=True, focusable=True,
                      selected=name == chosen, action=f"filter:{name}",
                      style="tab-selected" if name == chosen else "tab"))
    web.add(tabs)
    if ctx.loading:
        web.add(Node("android.widget.ProgressBar", key="promos/spinner", bounds=(465, 1100, 615, 1250),
                     desc=words.label("loading"), style="spinner"))
        return root
    shown = visible_promotions(ctx)
    if not shown:
        web.add(Node(VIEW, key="promos/empty", bounds=(90, 1000, 990, 1100), text=words.label("no_promotions"),
                     style="muted"))
        return root
    listing = Node(LIST_VIEW, key="promos/list", bounds=(0, LIST_TOP, W, H))
    for i, promo in enumerate(shown):
        row = screens._clip(_web_row(ctx, promo, LIST_TOP + i * WEB_ROW - ctx.scroll), LIST_TOP, H)
        if row is not None:
            listing.add(row)
    web.add(listing)
    return root


def _field(key: str, label: str, value: str, y: int) -> Node:
    """A label and its value in a div of their own."""
    return Node(VIEW, key=f"{key}-row", bounds=(60, y, 1040, y + 70)).add(
        Node(VIEW, key=f"{key}-label", bounds=(60, y, 400, y + 70), text=label, style="muted"),
        Node(VIEW, key=key, bounds=(420, y, 1040, y + 70), text=value, style="text"),
    )


def details(ctx: ScreenContext) -> Node:
    """A campaign's details (web): status, budget, duration, spend, metrics, and what can be done now."""
    words = _words(ctx)
    promo = ctx.model.promotion(ctx.param or "")
    key = "details"
    root, web = _web_page(ctx, key, words.label("details_title"))
    days = words.label("days", plural=promo.duration_days, count=words.number(promo.duration_days))
    duration = words.label("duration", days=days, start=words.day_month(promo.start), end=words.date(promo.end))
    web.add(
        Node(WEB_IMAGE, key=f"{key}/thumb", bounds=(60, 270, 300, 590), style="video"),
        Node(VIEW, key=f"{key}/summary", bounds=(340, 280, 1040, 550)).add(
            Node(VIEW, key=f"{key}/video", bounds=(340, 280, 1040, 360), text=promo.title, style="title"),
            Node(VIEW, key=f"{key}/status", bounds=(340, 390, 700, 460), text=status_word(promo, words),
                 style=_badge(promo)),
            Node(VIEW, key=f"{key}/id", bounds=(340, 490, 1040, 550), text=words.label("details_id", id=promo.id),
                 style="muted"),
        ),
        _field(f"{key}/budget", words.label("budget_label"), budget_text(promo, words), 650),
        _field(f"{key}/duration", words.label("duration_label"), duration, 740),
        _field(f"{key}/spent", words.label("spent_label"), words.money(promo.spend_cents), 830),
        Node(VIEW, key=f"{key}/performance", bounds=(60, 960, 1040, 1040), text=words.label("details_performance"),
             style="title"),
    )
    metrics = [("views_label", promo.views), ("likes_label", promo.likes), ("comments_label", promo.comments),
               ("shares_label", promo.shares), ("followers_label", promo.followers_gained)]
    for i, (label, value) in enumerate(metrics):
        x, y = 60 + (i % 3) * 330, 1070 + (i // 3) * 220
        web.add(
            Node(VIEW, key=f"{key}/metric-{i}", bounds=(x, y, x + 310, y + 200), style="metric").add(
                Node(VIEW, key=f"{key}/metric-{i}/value", bounds=(x, y + 10, x + 310, y + 110),
                     text=words.number(value), style="title"),
                Node(VIEW, key=f"{key}/metric-{i}/label", bounds=(x, y + 120, x + 310, y + 180),
                     text=words.label(label), style="muted"),
            )
        )
    web.add(*_controls(ctx, promo, words))
    return root


def _controls(ctx: ScreenContext, promo: Promotion, words: Localiser) -> list[Node]:
    key = "details"
    note_box, upper, lower = (60, 1760, 1020, 1900), (60, 1960, 1020, 2090), (60, 2130, 1020, 2260)
    stop = words.label("stop_button")
    if promo.status in (ACTIVE, PAUSED):
        second = (("resume", "resume", f"resume:{promo.id}") if promo.status == PAUSED
                  else ("pause", "pause_button", f"pause:{promo.id}"))  # its name, its word's key, its action
        nodes = [
            Node(BUTTON, key=f"{key}/{second[0]}", bounds=upper, text=words.label(second[1]), clickable=True,
                 focusable=True, action=second[2], style="button-secondary"),
            Node(BUTTON, key=f"{key}/stop", bounds=lower, text=stop, clickable=True, focusable=True,
                 action=f"cancel:{promo.id}", style="button-primary"),
        ]
        if promo.status == PAUSED:
            nodes.insert(0, Node(VIEW, key=f"{key}/note", bounds=note_box, text=words.label("paused_note"),
                                 style="muted"))
        return nodes
    if promo.status == IN_REVIEW:
        # A <button disabled>: Chrome reports it enabled="false" but still clickable="true" (Chromium's
        # AXNodeData::IsClickable goes by the role, not the disabled state); a tap on it does nothing.
        return [
            Node(VIEW, key=f"{key}/note", bounds=note_box, text=words.label("in_review_note"), style="muted"),
            Node(BUTTON, key=f"{key}/stop", bounds=lower, text=stop, clickable=True, enabled=False, focusable=True,
                 style="button-secondary"),
        ]
    if promo.status == CANCELED and promo.canceled_at is not None:
        note = words.label("stopped_note", when=words.date_time(promo.canceled_at))
    else:
        note = words.label("ended_note")
    return [
        Node(VIEW, key=f"{key}/note", bounds=note_box, text=note, style="muted"),
        Node(BUTTON, key=f"{key}/create", bounds=lower, text=words.label("create_new"), clickable=True,
             focusable=True, action=f"create_new:{promo.id}", style="button-secondary"),
    ]


def confirm(ctx: ScreenContext) -> Node:
    """The web dialog 'Stop this promotion?' over the details, in the same WebView: 'Cancel' keeps it
    running, 'Stop' stops it. A tap outside the card lands on the backdrop and does nothing."""
    words = _words(ctx)
    root = details(ctx)
    web = next(n for n in root.walk() if n.key == "details/main")
    top = 820
    card = Node(WEB_DIALOG, key="confirm/card", bounds=(90, top, 990, top + 700), style="dialog").add(
        Node(VIEW, key="confirm/title", bounds=(140, top + 60, 940, top + 150), text=words.label("confirm_title"),
             style="title"),
        Node(VIEW, key="confirm/message", bounds=(140, top + 180, 940, top + 440),
             text=words.label("confirm_text"), style="text"),
        Node(BUTTON, key="confirm/cancel", bounds=(140, top + 520, 520, top + 640),
             text=words.label("keep_button"), clickable=True, focusable=True, action="keep",
             style="button-secondary"),
        Node(BUTTON, key="confirm/stop", bounds=(560, top + 520, 940, top + 640), text=words.label("confirm_button"),
             clickable=True, focusable=True, action=f"confirm:{ctx.param}", style="button-primary"),
    )
    web.add(Node(VIEW, key="confirm/backdrop", bounds=(0, STATUS_BAR, W, H), style="scrim").add(card))
    return root


def create_promotion(ctx: ScreenContext) -> Node:
    """The start of a new promotion (web): where 'Create new promotion' leads."""
    words = _words(ctx)
    promo = ctx.model.promotion(ctx.param or "")
    root, web = _web_page(ctx, "create", words.label("promotions"))
    web.add(
        Node(VIEW, key="create/video", bounds=(60, 300, 1020, 380), text=promo.title, style="title"),
        Node(VIEW, key="create/goal", bounds=(60, 420, 1020, 490), text=words.label("goal_question"), style="text"),
        Node(VIEW, key="create/note", bounds=(60, 510, 1020, 580), text=words.label("create_note"), style="muted"),
    )
    return root


BUILDERS = {
    "feed": feed,
    "profile": profile,
    "menu": menu_sheet,
    "creator_tools": tiktok_studio,
    "promotions": promotions,
    "details": details,
    "confirm": confirm,
    "create_promotion": create_promotion,
    "logged_out": screens.logged_out,
    "launcher": screens.launcher,
}
OVERLAYS = {"menu"}  # the web dialog is part of its page's window, not a window of its own
