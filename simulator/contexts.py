"""Appium's contexts on the virtual device: NATIVE_APP, and WEBVIEW_<package> while a web page is open.

What Appium 3 with the UiAutomator2 driver does (appium/appium-android-driver,
lib/commands/context/exports.ts and helpers.ts):
- `GET /contexts` is NATIVE_APP followed by one WEBVIEW_<package> per WebView that has a devtools
  socket and at least one page (`ensureWebviewsHavePages` is on by default);
- `POST /context` with no name goes back to NATIVE_APP, 'WEBVIEW' means WEBVIEW_<appPackage>, the
  current context is a no-op, and a name that is not listed is `no such context`;
- switching to a WEBVIEW starts a Chromedriver for the WebView's Chrome version and proxies every
  later command to it. The virtual device models an Appium without a matching Chromedriver and
  without the `chromedriver_autodownload` feature (Appium 3's default): Chromedriver cannot start,
  appium-chromedriver (lib/commands/binary.ts) throws "No Chromedriver found that can automate
  Chrome '<version>'", the switch answers 500 `unknown error`, and the session stays in NATIVE_APP
  (setContext sets the current context only after the switch succeeded). So the web page is only
  reachable the native way: UiAutomator2's view of the WebView's accessibility nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from tiktok_promo.simulator.errors import InvalidArgument, NoSuchContext, UnknownError

if TYPE_CHECKING:
    from tiktok_promo.simulator.device import Device

NATIVE_APP = "NATIVE_APP"
WEBVIEW_PREFIX = "WEBVIEW_"
# The Android System WebView the virtual phone has (Chrome's version numbering).
WEBVIEW_CHROME_VERSION = "131.0.6778.200"
WEBVIEW_PID = 12034  # the app's process, whose devtools socket the WebView opens


class ContextsSession(Protocol):
    """What the contexts read of their session (simulator.session.Session is one): its device."""

    device: Device


class Contexts:
    """One session's contexts: what is listed now, and which one commands go to (always native here)."""

    def __init__(self, session: ContextsSession) -> None:
        self.session = session
        self.current = NATIVE_APP

    def names(self) -> list[str]:
        device = self.session.device
        webviews = [f"{WEBVIEW_PREFIX}{device.package}"] if getattr(device, "web_page_open", False) else []
        return [NATIVE_APP, *webviews]

    def mapping(self) -> list[dict[str, Any]]:
        """`mobile: getContexts`: each listed WebView as appium-android-driver's WebviewsMapping has it
        (lib/commands/types.ts): its devtools socket, CDP `/json/version` info and `/json/list` pages."""
        device = self.session.device
        if not getattr(device, "web_page_open", False):
            return []
        titles = [n.text for w in device.windows() for n in w.walk() if n.cls == "android.webkit.WebView"]
        return [{
            "proc": f"@webview_devtools_remote_{WEBVIEW_PID}",
            "webview": f"{WEBVIEW_PREFIX}{WEBVIEW_PID}",
            "info": {"Android-Package": device.package, "Browser": f"Chrome/{WEBVIEW_CHROME_VERSION}",
                     "Protocol-Version": "1.3"},
            "pages": [{"description": "", "id": "1", "title": titles[-1] if titles else "", "type": "page",
                       "url": "https://www.tiktok.com/web-inapp/promote"}],
            "webviewName": f"{WEBVIEW_PREFIX}{device.package}",
        }]

    def switch(self, body: Any) -> None:
        if not isinstance(body, dict):
            raise InvalidArgument("The request body must be an object with 'name'")
        name = body.get("name")
        if name is not None and not isinstance(name, str):
            raise InvalidArgument("'name' must be a context name (a string) or null")
        if not name:
            name = NATIVE_APP
        elif name == "WEBVIEW":
            name = f"{WEBVIEW_PREFIX}{self.session.device.package}"
        if name == self.current:
            return
        if name not in self.names():
            raise NoSuchContext("No such context found.")
        if name == NATIVE_APP:
            self.current = NATIVE_APP
            return
        raise UnknownError(
            "An unknown server-side error occurred while processing the command. Original error: "
            f"No Chromedriver found that can automate Chrome '{WEBVIEW_CHROME_VERSION}'. "
            "You could also try to enable automated chromedrivers download as a possible workaround."
        )
