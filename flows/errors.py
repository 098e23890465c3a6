"""The product rules' refusals and failures: what flows.cancel_flow and flows.selection raise.

A `FlowRefused` is raised before anything that could change a promotion was tapped; `NotCancelled` after
a confirm the app does not show landed. Both are in the product-rule category (harness.errors).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tiktok_promo.harness.errors import PRODUCT, HarnessError

if TYPE_CHECKING:
    from tiktok_promo.flows.inventory import PromotionInfo

_LISTED = 10  # active titles named in an "unknown title" sentence
_SAID = 120  # characters of an unknown title repeated in its sentence


class FlowRefused(HarnessError):
    """The app's state makes the cancel unsafe or impossible; nothing was cancelled."""

    category = PRODUCT


class LoggedOut(FlowRefused):
    """Nobody is logged in to the app."""


class WrongAccount(FlowRefused):
    """The app is logged in to a different account than the one that started the promotion."""

    def __init__(self, expected: str, shown: str) -> None:
        super().__init__(
            f"Refused to cancel: the app is logged in as @{shown}, not @{expected}; nothing was changed."
        )
        self.expected = expected
        self.shown = shown


class NothingToCancel(FlowRefused):
    """The account has no active promotion at all."""


class UnknownPromotion(FlowRefused):
    """No promotion has the asked-for title or id; the message lists the active ones."""

    def __init__(self, wanted: str, active_titles: list[str]) -> None:
        listed = ", ".join(f'"{t}"' for t in active_titles) or "none"
        super().__init__(f'No promotion is called "{wanted}"; the active promotions are: {listed}.')
        self.wanted = wanted
        self.active_titles = list(active_titles)


class AmbiguousPromotion(FlowRefused):
    """More than one promotion has the asked-for title; cancelling either could be the wrong one."""

    def __init__(self, title: str, count: int) -> None:
        super().__init__(
            f'Refused as ambiguous: {count} promotions are called "{title}"; '
            "choose one by its promotion ID. Nothing was changed."
        )
        self.title = title
        self.count = count


class WrongPromotion(FlowRefused):
    """The details screen shows a different promotion than the one chosen."""


class NotCancellable(FlowRefused):
    """The promotion exists but has ended or is not running, so there is nothing to cancel."""


class UncheckedCancel(FlowRefused):
    """A Cancel was asked for before the account or the promotion on screen was checked."""


class NotCancelled(HarnessError):
    """After confirming, the app does not show the promotion cancelled.

    `shown` is what the details screen showed at the end (None when the status could not be read at all:
    then the outcome is unknown and a re-read from the start may still settle it).
    """

    category = PRODUCT

    def __init__(self, message: str, shown: Any = None) -> None:
        super().__init__(message)
        self.shown = shown


class UnknownPromotionId(FlowRefused):
    """No promotion shows the asked-for ID; the message lists the active ones."""

    def __init__(self, wanted: str, active: Sequence[PromotionInfo]) -> None:
        listed = ", ".join(p.label() for p in active) or "none"
        super().__init__(f"No promotion has the ID {shown_text(wanted)}; the active promotions are: {listed}.")
        self.wanted = wanted


def shown_text(text: str) -> str:
    """A name a person typed, fit for one line: control characters escaped, a very long one cut."""
    line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:_SAID])
    return line if len(text) <= _SAID else f"{line}... ({len(text):,} characters)"


class UnknownTitle(UnknownPromotion):
    """No promotion has the asked-for title; the message lists the active ones (the first few of a long
    list) and the nearest titles, since the usual cause is a typo."""

    def __init__(self, wanted: str, promotions: Sequence[PromotionInfo]) -> None:
        active = list(dict.fromkeys(p.title for p in promotions if p.is_active))
        super().__init__(wanted, active)
        titles = list(dict.fromkeys(p.title for p in promotions))
        # A typo is near its title; a pasted page is near nothing (and comparing it costs its length squared).
        near = difflib.get_close_matches(wanted, titles, n=1, cutoff=0.6) if len(wanted) <= 4 * _SAID else []
        hint = f' Did you mean "{near[0]}"?' if near else ""
        shown = ", ".join(f'"{t}"' for t in active[:_LISTED]) or "none"
        more = f" and {len(active) - _LISTED} more (promo list shows them all)" if len(active) > _LISTED else ""
        said = shown_text(wanted)
        self.args = (f'No promotion is called "{said}"; the active promotions are: {shown}{more}.{hint}',)


class AmbiguousTitle(AmbiguousPromotion):
    """Several running promotions share the asked-for title; the message lists their IDs to choose by."""

    def __init__(self, running: Sequence[PromotionInfo]) -> None:
        super().__init__(running[0].title, len(running))
        ids = ", ".join(p.promotion_id or "?" for p in running)
        self.args = (f'Refused as ambiguous: {len(running)} running promotions are called "{running[0].title}" '
                     f"(IDs {ids}); choose one with --id. Nothing was changed.",)
