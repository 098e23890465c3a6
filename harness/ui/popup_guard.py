"""The pop-up guard: recognise a known pop-up over the screen, so the finder can close it and go on.

Pop-ups (an update prompt, Android's notification permission, a "Swipe up" hint, contacts sync)
cover the screen at any moment on a real phone. When a target does not show, the finder looks at
the screen once; if a known pop-up is on top, it taps that pop-up's dismiss button and tries again.
Only dismiss buttons are ever tapped (never "Update", which would leave the app).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tiktok_promo.harness.ui.locators import IOS, Target
from tiktok_promo.harness.ui.snapshot import Snapshot


@dataclass(frozen=True)
class KnownPopup:
    """A pop-up: its name in reports, how to recognise it (by its words or its shape), and the button that
    closes it harmlessly, or none when it has no readable button (then BACK closes it, or the run stops)."""

    name: str
    identify: Target
    dismiss: Target | None  # None: nothing on it is safe to tap; Android's BACK closes it (as it closes a dialog)


@dataclass
class PopupGuard:
    """Recognises known pop-ups in a snapshot and remembers which were dismissed, in order."""

    popups: Sequence[KnownPopup]
    limit_per_wait: int = 20  # a pop-up that comes back more often than this in one wait is not going away
    dismissed: list[str] = field(default_factory=list)

    def recognise(self, snapshot: Snapshot) -> KnownPopup | None:
        """The known pop-up on top of this screen, if any.

        UiAutomator2's page source holds the top window, so the first known pop-up in it is the one on top. WDA's
        holds the whole app, what is covered too: there the pop-up drawn last (latest in the page source) is on
        top, and only its buttons can be touched (a tap on another's lands on it)."""
        if snapshot.platform != IOS:
            return next((popup for popup in self.popups if snapshot.has(popup.identify)), None)
        shown = [(snapshot.position(node), popup) for popup in self.popups
                 for node in [snapshot.node(popup.identify)] if node is not None]
        return max(shown, key=lambda found: found[0])[1] if shown else None

    def record(self, popup: KnownPopup) -> None:
        self.dismissed.append(popup.name)
