"""The TikTok screens as Android view trees, built from the app model and the app's release.

Each builder returns one window (a root Node). The device stacks windows: the app's activity, then
dialogs and sheets above it; UiAutomator2 reports only the top (active) window, the screenshot shows
them all. Views are laid out on a 1080x2400 portrait screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tiktok_promo.simulator import recycler
from tiktok_promo.simulator.model import ACTIVE, CANCELED, COMPLETED, IN_REVIEW, AppModel, Promotion
from tiktok_promo.simulator.ui.app_releases import Release
from tiktok_promo.simulator.ui.localise import Localiser
from tiktok_promo.simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Node

W, H = SCREEN_WIDTH, SCREEN_HEIGHT
STATUS_BAR = 80
TOP_BAR = 230
BOTTOM_BAR = 2210
ROW_HEIGHT = 260
LIST_TOP = TOP_BAR + 100  # under the filter strip
TV = "android.widget.TextView"
BUTTON = "android.widget.Button"
IMAGE = "android.widget.ImageView"
FRAME = "android.widget.FrameLayout"
LINEAR = "android.widget.LinearLayout"
GROUP = "android.view.ViewGroup"
RECYCLER = "androidx.recyclerview.widget.RecyclerView"
HSCROLL = "android.widget.HorizontalScrollView"
PERMISSION_PACKAGE = "com.android.permissioncontroller"
LAUNCHER_PACKAGE = "com.google.android.apps.nexuslauncher"


@dataclass
class ScreenContext:
    """What a builder needs: the app's data, its wording, and this screen's own view state."""

    model: AppModel
    release: Release
    package: str
    param: str | None = None
    scroll: int = 0
    loading: bool = False
    feed_index: int = 0
    words: Localiser | None = None  # the phone's locale, for releases whose wordings are data
    order: tuple[str, ...] | None = None  # the promotion IDs in the order the list shows them (None: the app's)

    def rid(self, name: str) -> str:
        return self.release.rid(self.package, name)

    @property
    def locale(self) -> Localiser:
        return self.words or Localiser(self.release.name)

    def listed(self) -> list[Promotion]:
        """The logged-in account's promotions in the order the list shows them now."""
        return recycler.in_list_order(self.model.promotions_of(self.model.logged_in), self.order)


def _t(ctx: ScreenContext, key: str, plural: int | None = None, **fields: object) -> str:
    """A wording of these screens in the phone's language: a key of the release file ("stop_button"), or an
    English text of these screens (written in English; a language file of the release, e.g.
    lang/current-fr.yaml, maps the English words to its own)."""
    return ctx.locale.label(key, plural, **fields)


def status_word(promo: Promotion, ctx: ScreenContext) -> str:
    return ctx.locale.status(promo.status)


def budget_text(promo: Promotion, ctx: ScreenContext) -> str:
    amount = ctx.locale.money(promo.budget_cents)
    return _t(ctx, "{amount}/day" if promo.budget_kind == "daily" else "{amount} total", amount=amount)


def duration_text(promo: Promotion, ctx: ScreenContext) -> str:
    n = promo.duration_days
    days = _t(ctx, "{count} day" if n == 1 else "{count} days", plural=n, count=ctx.locale.number(n))
    return _t(ctx, "{days} · {start} - {end}", days=days, start=ctx.locale.day_month(promo.start),
              end=ctx.locale.date(promo.end))


def _badge_style(promo: Promotion) -> str:
    return {ACTIVE: "badge-active", IN_REVIEW: "badge-review", COMPLETED: "badge-done"}.get(
        promo.status, "badge-stopped"
    )


def _window(ctx: ScreenContext, key: str, style: str = "screen-light", package: str | None = None) -> Node:
    root = Node(FRAME, key=key, package=package or ctx.package, style=style)
    root.add(Node(FRAME, key=f"{key}/statusbar", bounds=(0, 0, W, STATUS_BAR), style="status-bar"))
    return root


def _top_bar(ctx: ScreenContext, key: str, title: str, back: bool = True) -> Node:
    bar = Node(LINEAR, key=f"{key}/topbar", bounds=(0, STATUS_BAR, W, TOP_BAR), style="top-bar")
    if back:
        bar.add(
            Node(IMAGE, key=f"{key}/back", bounds=(0, STATUS_BAR, 150, TOP_BAR), desc=_t(ctx, "back"),
                 rid=ctx.rid("back"), clickable=True, focusable=True, action="back", style="icon-back")
        )
    bar.add(Node(TV, key=f"{key}/title", bounds=(180, STATUS_BAR + 30, 900, TOP_BAR - 30), text=title,
                 rid=ctx.rid("page_title"), style="title"))
    return bar


def _bottom_bar(ctx: ScreenContext, key: str, selected: str) -> Node:
    tabs = [(name, _t(ctx, label)) for name, label in (("home", "Home"), ("friends", "Friends"), ("create", "Create"),
                                                       ("inbox", "Inbox"), ("profile", "profile_tab"))]
    bar = Node(LINEAR, key=f"{key}/bottombar", bounds=(0, BOTTOM_BAR, W, H), style="bottom-bar")
    width = W // len(tabs)
    for i, (name, label) in enumerate(tabs):
        box = (i * width, BOTTOM_BAR, (i + 1) * width, H)
        is_selected = name == selected
        tab = Node(FRAME, key=f"{key}/tab-{name}", bounds=box, desc=label, rid=ctx.rid(f"tab_{name}"),
                   clickable=True, focusable=True, selected=is_selected, action=f"tab:{name}",
                   style="create-button" if name == "create" else ("tab-selected" if is_selected else "tab"))
        if name != "create":
            tab.add(Node(TV, key=f"{key}/tab-{name}/label", bounds=(box[0], H - 90, box[2], H - 30),
                         text=label, style="tab-selected" if is_selected else "tab"))
        bar.add(tab)
    return bar


def feed(ctx: ScreenContext) -> Node:
    """The For You feed: a full-screen video, its caption, and the bottom bar."""
    root = _window(ctx, "feed", style="screen-dark")
    videos = [("@dance.daily", "New choreo drop #fyp"), ("@chef.tom", "3-minute pasta"),
              ("@travel.lens", "Sunrise over Lisbon")]
    handle, caption = videos[ctx.feed_index % len(videos)]
    root.add(
        Node(LINEAR, key="feed/tabs", bounds=(240, STATUS_BAR, 840, 200)).add(
            Node(TV, key="feed/following", bounds=(240, 100, 520, 180), text=_t(ctx, "Following"), clickable=True,
                 style="muted"),
            Node(TV, key="feed/foryou", bounds=(560, 100, 840, 180), text=_t(ctx, "For You"), clickable=True,
                 selected=True, style="caption"),
        ),
        Node(FRAME, key=f"feed/video-{ctx.feed_index}", bounds=(0, 200, W, BOTTOM_BAR), rid=ctx.rid("feed_video"),
             desc=_t(ctx, "Video"), clickable=True, scrollable=True, style="video", action="feed").add(
            Node(TV, key=f"feed/video-{ctx.feed_index}/handle", bounds=(40, 1900, 900, 1970), text=handle,
                 style="caption"),
            Node(TV, key=f"feed/video-{ctx.feed_index}/caption", bounds=(40, 1980, 1000, 2060), text=caption,
                 rid=ctx.rid("feed_caption"), style="caption"),
        ),
        _bottom_bar(ctx, "feed", "home"),
    )
    return root


def profile(ctx: ScreenContext) -> Node:
    """The logged-in account's profile: @username, counts, the three-line menu at the top right."""
    account = ctx.model.account
    assert account is not None
    root = _window(ctx, "profile")
    root.add(
        Node(LINEAR, key="profile/topbar", bounds=(0, STATUS_BAR, W, TOP_BAR), style="top-bar").add(
            Node(TV, key="profile/name", bounds=(240, STATUS_BAR + 30, 840, TOP_BAR - 30),
                 text=account.display_name, rid=ctx.rid("profile_name"), style="title"),
            # Seen on every real build: a Button with no resource-id, whatever a guide says.
            Node(BUTTON, key="profile/menu", bounds=(930, STATUS_BAR, W, TOP_BAR), desc=_t(ctx, "profile_menu"),
                 clickable=True, focusable=True, action="open:menu", style="icon-menu"),
        ),
        Node(IMAGE, key="profile/avatar", bounds=(390, 280, 690, 580), desc=_t(ctx, "Profile photo"),
             style="avatar"),
        Node(BUTTON, key="profile/username", bounds=(140, 610, 940, 690), text=f"@{account.username}",
             rid=ctx.rid("profile_username"), clickable=True, action="noop", style="text"),  # a Button (seen)
        _counts([(ctx.locale.number(182), _t(ctx, "Following")),
                 (ctx.locale.number(account.followers), _t(ctx, "Followers")),
                 (ctx.locale.compact(98100), _t(ctx, "Likes"))]),
        Node(BUTTON, key="profile/edit", bounds=(290, 920, 790, 1040), text=_t(ctx, "Edit profile"), clickable=True,
             style="button-secondary"),
        _bottom_bar(ctx, "profile", "profile"),
    )
    return root


def _counts(items: list[tuple[str, str]]) -> Node:
    row = Node(LINEAR, key="profile/counts", bounds=(90, 720, 990, 880))
    for i, (value, label) in enumerate(items):
        x = 90 + i * 300
        row.add(
            Node(LINEAR, key=f"profile/count-{i}", bounds=(x, 720, x + 300, 880), desc=label, style="metric").add(
                Node(TV, key=f"profile/count-{i}/value", bounds=(x, 720, x + 300, 800), text=value, style="title"),
                Node(TV, key=f"profile/count-{i}/label", bounds=(x, 810, x + 300, 870), text=label, style="muted"),
            )
        )
    return row


def menu_sheet(ctx: ScreenContext) -> Node:
    """The bottom sheet that the three-line menu opens."""
    tools = _t(ctx, "creator_tools")
    items = [tools, *(_t(ctx, w) for w in ("Settings and privacy", "Your QR code", "Balance", "Activity center"))]
    top = H - 140 * len(items) - 120
    root = Node(FRAME, key="menu", package=ctx.package, style="scrim", action="close_sheet")
    sheet = Node(LINEAR, key="menu/sheet", bounds=(0, top, W, H), rid=ctx.rid("sheet"), style="sheet")
    for i, label in enumerate(items):
        y = top + 60 + i * 140
        action = "open:creator_tools" if label == tools else "noop"
        # Each row is clickable and its content-desc is its label; all rows share one resource-id (seen).
        sheet.add(
            Node(LINEAR, key=f"menu/item-{i}", bounds=(0, y, W, y + 140), rid=ctx.rid("sheet_item"), desc=label,
                 clickable=True, focusable=True, action=action, style="row").add(
                Node(TV, key=f"menu/item-{i}/label", bounds=(60, y + 35, 1000, y + 105), text=label, style="text")
            )
        )
    root.add(sheet)
    return root


def creator_tools(ctx: ScreenContext) -> Node:
    """Creator tools (Business Suite on business accounts): Analytics, Promotions and other tools."""
    root = _window(ctx, "tools")
    root.add(_top_bar(ctx, "tools", _t(ctx, "creator_tools")))
    entry = _t(ctx, "promotions")
    items = [_t(ctx, w) for w in ("Analytics", "promotions", "Creator Academy", "LIVE Center", "Q&A")]
    for i, label in enumerate(items):
        y = TOP_BAR + 40 + i * 170
        action = "open:promotions" if label == entry else "noop"
        root.add(
            Node(LINEAR, key=f"tools/item-{i}", bounds=(0, y, W, y + 170), rid=ctx.rid("tool_item"),
                 desc=label, clickable=True, focusable=True, action=action, style="row").add(
                Node(IMAGE, key=f"tools/item-{i}/icon", bounds=(50, y + 45, 130, y + 125), style="icon"),
                Node(TV, key=f"tools/item-{i}/label", bounds=(170, y + 50, 1000, y + 120), text=label, style="text"),
            )
        )
    return root


def _promo_row(ctx: ScreenContext, promo: Promotion, top: int, view: int) -> Node:
    # Keyed by the row view (its place in the RecyclerView's pool), not by the promotion bound to it.
    key = f"promos/row@{view}"
    bounds = (0, top, W, top + ROW_HEIGHT)
    row = Node(LINEAR, key=key, bounds=bounds, rid=ctx.rid("promo_row"), clickable=True, focusable=True,
               action=f"open:details:{promo.id}", style="row")
    row.add(
        Node(IMAGE, key=f"{key}/thumb", bounds=(40, top + 30, 200, top + 230), style="video"),
        Node(TV, key=f"{key}/title", bounds=(230, top + 30, 800, top + 100), text=promo.title,
             rid=ctx.rid("promo_title"), style="text"),
        Node(TV, key=f"{key}/status", bounds=(820, top + 35, 1040, top + 95), text=status_word(promo, ctx),
             rid=ctx.rid("promo_status"), style=_badge_style(promo)),
        Node(TV, key=f"{key}/budget", bounds=(230, top + 110, 640, top + 170),
             text=_t(ctx, "row_budget", amount=budget_text(promo, ctx)),
             rid=ctx.rid("promo_budget"), style="muted"),
        Node(TV, key=f"{key}/spend", bounds=(230, top + 170, 640, top + 230),
             text=_t(ctx, "row_spent", amount=ctx.locale.money(promo.spend_cents)), rid=ctx.rid("promo_spend"),
             style="muted"),
    )
    return row


def _clip(node: Node, top: int, bottom: int) -> Node | None:
    """The part of a view inside the list's viewport, as UiAutomator2 reports visible bounds."""
    x1, y1, x2, y2 = node.bounds
    if y2 <= top or y1 >= bottom:
        return None
    node.bounds = (x1, max(y1, top), x2, min(y2, bottom))
    kept = [c for c in (_clip(child, top, bottom) for child in node.children) if c is not None]
    node.children = []
    node.add(*kept)
    return node


def promotions_layout(ctx: ScreenContext) -> tuple[int, int]:
    """(viewport height, content height) of the promotions list: how far it can scroll."""
    count = len(ctx.model.promotions_of(ctx.model.logged_in))
    return H - LIST_TOP, count * ROW_HEIGHT


def promotions(ctx: ScreenContext) -> Node:
    """The promotions list: one row per promotion (title, status, budget, spend); only visible rows exist, each
    a view of a small pool rebound to another promotion as the list scrolls (simulator/recycler.py)."""
    root = _window(ctx, "promos")
    root.add(_top_bar(ctx, "promos", _t(ctx, "promotions")))
    if ctx.loading:
        root.add(Node("android.widget.ProgressBar", key="promos/spinner", bounds=(465, 1100, 615, 1250),
                      desc=_t(ctx, "Loading"), rid=ctx.rid("spinner"), style="spinner"))
        return root
    promos = ctx.listed()
    if not promos:
        root.add(Node(TV, key="promos/empty", bounds=(90, 1000, 990, 1100), text=_t(ctx, "no_promotions"),
                      style="muted"))
        return root
    # A filter strip that scrolls sideways above the list (a guess: what a native list page has), so the
    # first scrollable view is not the list, as on a real screen.
    strip = Node(HSCROLL, key="promos/filters", bounds=(0, TOP_BAR, W, LIST_TOP), scrollable=True).add(
        Node(LINEAR, key="promos/filters/row", bounds=(0, TOP_BAR, W, LIST_TOP)).add(
            *(Node(TV, key=f"promos/filter-{i}", bounds=(40 + i * 360, TOP_BAR + 20, 360 + i * 360, LIST_TOP - 20),
                   text=_t(ctx, word), clickable=True, action="noop", style="muted")
              for i, word in enumerate(("All videos", "Last 7 days")))))
    listing = Node(RECYCLER, key="promos/list", bounds=(0, LIST_TOP, W, H), rid=ctx.rid("promo_list"),
                   scrollable=True, focusable=True)
    pool = recycler.pool_size(H - LIST_TOP, ROW_HEIGHT)
    for i, promo in enumerate(promos):
        row = _clip(_promo_row(ctx, promo, LIST_TOP + i * ROW_HEIGHT - ctx.scroll, i % pool), LIST_TOP, H)
        if row is not None:
            listing.add(row)
    root.add(strip, listing)
    return root


def _labelled(ctx: ScreenContext, key: str, label: str, value: str, y: int, rid_name: str) -> list[Node]:
    label = _t(ctx, label)
    return [
        Node(TV, key=f"{key}-label", bounds=(60, y, 400, y + 70), text=label, style="muted"),
        Node(TV, key=key, bounds=(420, y, 1040, y + 70), text=value, desc=label, rid=ctx.rid(rid_name),
             style="text"),
    ]


def details(ctx: ScreenContext) -> Node:
    """One promotion: status, budget, duration, spend, performance metrics, and Cancel while it runs."""
    promo = ctx.model.promotion(ctx.param or "")
    key = "details"
    root = _window(ctx, key)
    root.add(_top_bar(ctx, key, _t(ctx, "Promotion details")))
    root.add(
        Node(IMAGE, key=f"{key}/thumb", bounds=(60, 270, 300, 590), style="video"),
        Node(TV, key=f"{key}/video", bounds=(340, 280, 1040, 360), text=promo.title, desc=_t(ctx, "video_label"),
             rid=ctx.rid("detail_title"), style="title"),
        Node(TV, key=f"{key}/status", bounds=(340, 390, 620, 460), text=status_word(promo, ctx),
             desc=_t(ctx, "status_label"), rid=ctx.rid("detail_status"), style=_badge_style(promo)),
        Node(TV, key=f"{key}/id", bounds=(340, 490, 1040, 550), text=_t(ctx, "ID {id}", id=promo.id),
             desc=_t(ctx, "promotion_id_label"),
             style="muted"),
    )
    root.add(*_labelled(ctx, f"{key}/budget", "budget_label", budget_text(promo, ctx), 650, "detail_budget"))
    root.add(*_labelled(ctx, f"{key}/duration", "duration_label", duration_text(promo, ctx), 740, "detail_duration"))
    root.add(*_labelled(ctx, f"{key}/spend", "spent_label", ctx.locale.money(promo.spend_cents), 830, "detail_spend"))
    root.add(Node(TV, key=f"{key}/metrics-title", bounds=(60, 960, 1040, 1040), text=_t(ctx, "Performance"),
                      style="title"))
    metrics = [("views_label", promo.views), ("likes_label", promo.likes), ("comments_label", promo.comments),
               ("shares_label", promo.shares), ("followers_label", promo.followers_gained)]
    for i, (word, value) in enumerate(metrics):
        label = _t(ctx, word)
        x = 60 + (i % 3) * 330
        y = 1070 + (i // 3) * 220
        root.add(
            Node(LINEAR, key=f"{key}/metric-{i}", bounds=(x, y, x + 310, y + 200), style="metric").add(
                Node(TV, key=f"{key}/metric-{i}/value", bounds=(x, y + 10, x + 310, y + 110),
                     text=ctx.locale.number(value), desc=label, rid=ctx.rid("metric_value"), style="title"),
                Node(TV, key=f"{key}/metric-{i}/label", bounds=(x, y + 120, x + 310, y + 180), text=label,
                     rid=ctx.rid("metric_label"), style="muted"),
            )
        )
    if promo.cancellable:
        label = _t(ctx, "stop_button")
        root.add(Node(BUTTON, key=f"{key}/cancel", bounds=(60, 2140, 1020, 2280), text=label, desc=label,
                      rid=ctx.rid("cancel_button"), clickable=True, focusable=True, action=f"cancel:{promo.id}",
                      style="button-primary"))
    else:
        if promo.status == CANCELED and promo.canceled_at is not None:
            note = _t(ctx, "{status} {when}. No further charges.", status=ctx.locale.status(CANCELED),
                      when=ctx.locale.date_hm(promo.canceled_at))
        else:
            note = _t(ctx, "This promotion has ended.")
        label = _t(ctx, "create_new")
        root.add(
            Node(TV, key=f"{key}/ended", bounds=(60, 1980, 1020, 2060), text=note, style="muted"),
            Node(BUTTON, key=f"{key}/create", bounds=(60, 2140, 1020, 2280), text=label, desc=label,
                 rid=ctx.rid("create_new"), clickable=True, focusable=True, action=f"create_new:{promo.id}",
                 style="button-secondary"),
        )
    return root


def create_promotion(ctx: ScreenContext) -> Node:
    """The start of a new promotion for a video: where 'Create new promotion' leads."""
    promo = ctx.model.promotion(ctx.param or "")
    root = _window(ctx, "create")
    root.add(
        _top_bar(ctx, "create", _t(ctx, "Promote")),
        Node(TV, key="create/video", bounds=(60, 300, 1020, 380), text=promo.title, desc=_t(ctx, "Video"),
             style="title"),
        Node(TV, key="create/goal", bounds=(60, 420, 1020, 490), text=_t(ctx, "goal_question"),
             style="text"),
        Node(TV, key="create/note", bounds=(60, 510, 1020, 580),
             text=_t(ctx, "A new promotion starts from zero spend."), style="muted"),
    )
    return root


def confirm_dialog(ctx: ScreenContext) -> Node:
    """The confirmation that guards a cancel: confirm or keep, and the no-refund notice."""
    top = 820
    root = Node(FRAME, key="confirm", package=ctx.package, style="scrim")
    card = Node(LINEAR, key="confirm/card", bounds=(90, top, 990, top + 760), style="dialog")
    card.add(
        Node(TV, key="confirm/title", bounds=(140, top + 60, 940, top + 150), text=_t(ctx, "confirm_title"),
             rid=ctx.rid("dialog_title"), style="title"),
        Node(TV, key="confirm/message", bounds=(140, top + 180, 940, top + 400),
             text=_t(ctx, "Your promotion stops right away and you won't be charged further. "
                     "Charges already incurred are not refunded."),
             rid=ctx.rid("dialog_message"), style="text"),
        Node(BUTTON, key="confirm/confirm", bounds=(140, top + 450, 940, top + 570),
             text=_t(ctx, "confirm_button"), desc=_t(ctx, "confirm_button"),
             rid=ctx.rid("dialog_confirm"), clickable=True, focusable=True,
             action=f"confirm:{ctx.param}", style="button-primary"),
        Node(BUTTON, key="confirm/keep", bounds=(140, top + 600, 940, top + 720), text=_t(ctx, "keep_button"),
             desc=_t(ctx, "keep_button"), rid=ctx.rid("dialog_keep"), clickable=True, focusable=True,
             action="keep", style="button-secondary"),
    )
    root.add(card)
    return root


def logged_out(ctx: ScreenContext) -> Node:
    """The sign-in screen a logged-out app opens on."""
    root = _window(ctx, "login")
    root.add(
        Node(TV, key="login/title", bounds=(90, 500, 990, 620), text=_t(ctx, "login_screen"),
             rid=ctx.rid("login_title"),
             style="title"),
        Node(TV, key="login/subtitle", bounds=(90, 640, 990, 760),
             text=_t(ctx, "Manage your account, check notifications, comment on videos, and more."), style="muted"),
        Node(BUTTON, key="login/phone", bounds=(90, 860, 990, 990), text=_t(ctx, "Use phone / email / username"),
             rid=ctx.rid("login_button"), clickable=True, action="noop", style="button-secondary"),
        Node(BUTTON, key="login/google", bounds=(90, 1020, 990, 1150),
             text=_t(ctx, "Continue with Google"), clickable=True,
             action="noop", style="button-secondary"),
        Node(TV, key="login/signup", bounds=(90, 2200, 990, 2280), text=_t(ctx, "Don't have an account? Sign up"),
             clickable=True, action="noop", style="text"),
    )
    return root


def launcher(ctx: ScreenContext) -> Node:
    """The Android home screen, shown when the app is in the background or not running."""
    root = Node(FRAME, key="launcher", package=LAUNCHER_PACKAGE, style="screen-dark")
    root.add(
        Node(FRAME, key="launcher/status", bounds=(0, 0, W, STATUS_BAR), style="status-bar"),
        Node(TV, key="launcher/tiktok", bounds=(420, 1900, 660, 2140), text="TikTok", desc="TikTok",
             clickable=True, action="launch", style="icon"),
    )
    return root


def popup(ctx: ScreenContext, kind: str) -> Node:
    """An interrupting pop-up of one of the kinds of `POPUPS`."""
    return POPUPS[kind](ctx)


def _swipe_hint(ctx: ScreenContext) -> Node:
    """The 'Swipe up for more' hint over the feed: a tap anywhere closes it."""
    root = Node(FRAME, key="popup-swipe", package=ctx.package, desc=_t(ctx, "swipe_up"), clickable=True,
                action="dismiss_popup", style="scrim")
    root.add(Node(TV, key="popup-swipe/text", bounds=(140, 1300, 940, 1400), text=_t(ctx, "swipe_up"),
                  rid=ctx.rid("popup_title"), style="caption"))
    return root


def _notification_prompt(ctx: ScreenContext) -> Node:
    """Android's own notification permission dialog (the system's package, not the app's)."""
    pkg = PERMISSION_PACKAGE
    root = Node(FRAME, key="popup-perm", package=pkg, style="scrim")
    card = Node(LINEAR, key="popup-perm/card", bounds=(90, 900, 990, 1500), style="dialog",
                rid=f"{pkg}:id/grant_dialog")
    card.add(
        Node(TV, key="popup-perm/message", bounds=(140, 960, 940, 1120),
             text=_t(ctx, "Allow TikTok to send you notifications?"), rid=f"{pkg}:id/permission_message",
             style="title"),
        Node(BUTTON, key="popup-perm/allow", bounds=(140, 1180, 940, 1300), text=_t(ctx, "Allow"),
             rid=f"{pkg}:id/permission_allow_button", clickable=True, action="dismiss_popup",
             style="button-secondary"),
        Node(BUTTON, key="popup-perm/deny", bounds=(140, 1330, 940, 1450), text=_t(ctx, "notification_deny"),
             rid=f"{pkg}:id/permission_deny_button", clickable=True, action="dismiss_popup",
             style="button-secondary"),
    )
    root.add(card)
    return root


def _contacts_prompt(ctx: ScreenContext) -> Node:
    """The app's own card asking to sync the contacts."""
    kind = "contacts"
    title, message, primary, dismiss = (_t(ctx, words) for words in (
        "contacts_title", "Sync your contacts to find friends on TikTok.", "Sync contacts", "contacts_deny"))
    root = Node(FRAME, key=f"popup-{kind}", package=ctx.package, style="scrim")
    card = Node(LINEAR, key=f"popup-{kind}/card", bounds=(90, 850, 990, 1550), style="dialog")
    card.add(
        Node(TV, key=f"popup-{kind}/title", bounds=(140, 900, 940, 990), text=title, rid=ctx.rid("popup_title"),
             style="title"),
        Node(TV, key=f"popup-{kind}/message", bounds=(140, 1010, 940, 1180), text=message,
             rid=ctx.rid("popup_message"), style="text"),
        Node(BUTTON, key=f"popup-{kind}/primary", bounds=(140, 1230, 940, 1350), text=primary, desc=primary,
             rid=ctx.rid("popup_primary"), clickable=True, action=f"popup_primary:{kind}", style="button-primary"),
        Node(BUTTON, key=f"popup-{kind}/dismiss", bounds=(140, 1380, 940, 1500), text=dismiss, desc=dismiss,
             rid=ctx.rid("popup_dismiss"), clickable=True, action="dismiss_popup", style="button-secondary"),
    )
    root.add(card)
    return root


def _update_prompt(ctx: ScreenContext) -> Node:
    """The app-update prompt as a real dump shows it: ten text-less ViewGroups, no text, no content-desc, no
    id, its frame about [152,562][928,1658] (seen). Which of its two buttons updates is a guess (the upper
    one, as its words are drawn, not written); BACK closes it, as it closes a dialog."""
    group = "android.view.ViewGroup"
    root = Node(FRAME, key="popup-update", package=ctx.package, style="scrim")
    frame = Node(group, key="popup-update/frame", bounds=(152, 562, 928, 1658), style="dialog")
    frame.add(
        Node(group, key="popup-update/art", bounds=(152, 562, 928, 1000), style="video"),
        Node(group, key="popup-update/body", bounds=(200, 1040, 880, 1300)).add(
            Node(group, key="popup-update/line-1", bounds=(200, 1040, 880, 1120)),
            Node(group, key="popup-update/line-2", bounds=(200, 1140, 880, 1280)),
        ),
        Node(group, key="popup-update/buttons", bounds=(200, 1330, 880, 1620)).add(
            Node(group, key="popup-update/primary", bounds=(200, 1330, 880, 1460), clickable=True, focusable=True,
                 action="popup_primary:update", style="button-primary"),
            Node(group, key="popup-update/later", bounds=(200, 1490, 880, 1620), clickable=True, focusable=True,
                 action="dismiss_popup", style="button-secondary"),
        ),
    )
    root.add(Node(FRAME, key="popup-update/content", bounds=(0, 0, W, H)).add(frame))
    return root


# Every pop-up kind the device can show and how it is drawn: a world's `popups`, the fault plan's random
# pop-ups and the tests take their kinds from here, so a new kind is one builder and one line.
POPUPS: dict[str, Callable[[ScreenContext], Node]] = {
    "update": _update_prompt,
    "notifications": _notification_prompt,
    "swipe_up": _swipe_hint,
    "contacts": _contacts_prompt,
}
POPUP_KINDS = tuple(POPUPS)
# Kinds a world may ask for that only another face shows, drawn by that face itself: iOS's App Tracking
# Transparency alert (simulator.ios). The Android face never shows them, and the random pop-up fault never draws them.
IOS_ONLY_POPUPS = ("tracking",)


SYSTEM_UI_PACKAGE = "com.android.systemui"
# Android's own words for its navigation buttons (seen: the Home button says "Home" / "Accueil").
_NAV_WORDS = {"en": ("Back", "Home", "Overview"), "fr": ("Retour", "Accueil", "Aperçu")}


def system_windows(language: str) -> tuple[Node, Node]:
    """Android's status bar and navigation bar: windows of com.android.systemui, in a page source only
    with enableMultiWindows. The navigation bar's Home leaves the app, like the real one."""
    pkg = SYSTEM_UI_PACKAGE
    status = Node(FRAME, key="sys:status", package=pkg, bounds=(0, 0, W, STATUS_BAR))
    status.add(Node(FRAME, key="sys:status/bar", rid=f"{pkg}:id/status_bar", bounds=(0, 0, W, STATUS_BAR)).add(
        Node(LINEAR, key="sys:status/left", bounds=(0, 0, 540, STATUS_BAR)).add(
            Node(TV, key="sys:status/clock", rid=f"{pkg}:id/clock", bounds=(40, 10, 180, 70), text="10:00",
                 desc="10:00"),
            Node(IMAGE, key="sys:status/notification", bounds=(200, 20, 250, 60), desc="TikTok notification"),
        ),
        Node(LINEAR, key="sys:status/right", rid=f"{pkg}:id/system_icons", bounds=(700, 0, W, STATUS_BAR)).add(
            Node(IMAGE, key="sys:status/wifi", bounds=(780, 20, 830, 60), desc="Wifi signal full."),
            Node(IMAGE, key="sys:status/mobile", bounds=(850, 20, 900, 60), desc="Phone signal full."),
            Node(IMAGE, key="sys:status/battery", rid=f"{pkg}:id/battery", bounds=(920, 20, 1040, 60),
                 desc="Battery 80 percent."),
        ),
    ))
    back, home, overview = _NAV_WORDS.get(language, _NAV_WORDS["en"])
    top = H - 48
    nav = Node(FRAME, key="sys:nav", package=pkg, bounds=(0, top, W, H))
    nav.add(Node(FRAME, key="sys:nav/frame", rid=f"{pkg}:id/navigation_bar_frame", bounds=(0, top, W, H)).add(
        Node(LINEAR, key="sys:nav/buttons", rid=f"{pkg}:id/ends_group", bounds=(0, top, W, H)).add(
            Node(IMAGE, key="sys:nav/back", rid=f"{pkg}:id/back", bounds=(120, top, 300, H), desc=back,
                 clickable=True, action="back"),
            Node(IMAGE, key="sys:nav/home", rid=f"{pkg}:id/home", bounds=(450, top, 630, H), desc=home,
                 clickable=True, action="android_home"),
            Node(IMAGE, key="sys:nav/recents", rid=f"{pkg}:id/recent_apps", bounds=(780, top, 960, H),
                 desc=overview, clickable=True, action="noop"),
        ),
    ))
    return status, nav


def toast(ctx: ScreenContext, message: str) -> Node:
    """A transient message. The server knows a toast only by its text (a notification event): it reports it
    under the hierarchy root with the settings package, no id and no bounds; the bounds here are for
    the screenshot painter only."""
    message = _t(ctx, message)
    return Node("android.widget.Toast", key=f"toast/{message}", bounds=(140, 1950, 940, 2070), text=message,
                package="com.android.settings", style="toast")


BUILDERS = {
    "feed": feed,
    "profile": profile,
    "menu": menu_sheet,
    "creator_tools": creator_tools,
    "promotions": promotions,
    "details": details,
    "create_promotion": create_promotion,
    "confirm": confirm_dialog,
    "logged_out": logged_out,
    "launcher": launcher,
}
# Screens drawn as a window above the one below (the rest replace what is under them).
OVERLAYS = {"menu", "confirm"}
