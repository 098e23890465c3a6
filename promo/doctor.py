"""`promo doctor`: the chain from this machine to TikTok on the device, one row per link, and the fix.

The links up to the app come from `harness.run.doctor` (the same checks a pytest run on a real target
makes before its first scenario); this adds the last link, the logged-in account, which needs a session
and the app's pages, once every link before it holds. On the virtual device it says that no phone, adb
or SDK is involved, and checks what is: the device starts, a session opens, someone is logged in.
"""

from __future__ import annotations

from tiktok_promo.flows.cancel_flow import CancelFlow
from tiktok_promo.harness.errors import HarnessError
from tiktok_promo.harness.messages import sentence
from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.run.doctor import Chain, Checkup, DeviceFacts, Health, check_chain
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.pages.app import TIKTOK, TikTokApp
from tiktok_promo.promo.errors import ExitCode


def _account(checkup: Checkup, config: RunConfig, url: str) -> None:
    """The last link: a session opens and the profile shows who is logged in."""
    try:
        with AppiumSession(config, url, TIKTOK) as session:
            flow = CancelFlow(TikTokApp.on(session), config.account)
            shown = flow.check_account(flow.app.home().open_profile())
            info = session.device_info() if config.virtual_device else {}
    except HarnessError as error:
        checkup.add("account", Health.BROKEN, sentence(error),
                    "log in to TikTok on the device as the account that started the promotions")
        return
    except Exception as error:  # a session that cannot start is a broken link, said in one line
        checkup.add("account", Health.BROKEN, f"no session: {sentence(error)}", "see the rows above; then retry")
        return
    expected = f" (expected @{config.account.lstrip('@')})" if config.account else ""
    checkup.add("account", Health.OK, f"@{shown} is logged in{expected}")
    if info and checkup.facts is None:
        checkup.facts = DeviceFacts(serial=str(info.get("udid") or "sim-1"), android=info.get("platformVersion"),
                                    model=info.get("model"), locale=info.get("locale"),
                                    app_version=info.get("appVersion") or info.get("sim:appVersion"))


def run_checkup(config: RunConfig, url: str | None) -> Checkup:
    """Every link for the run's target; `url` is where sessions go (the started virtual device or Appium)."""
    if config.is_sim:
        checkup = Checkup(target="sim")
        checkup.add("target", Health.OK, "the virtual TikTok device (no phone, adb, Java or Android SDK needed)")
        checkup.add("virtual device", Health.OK, f"started for this check at {url}")
    else:
        chain = Chain.from_capabilities(None if config.local_appium else config.appium_url,
                                        config.profile.capabilities, config.udid, config.virtual_device)
        checkup = check_chain(chain, config.safe_url)
    if checkup.ok and url:
        _account(checkup, config, url)
    else:
        checkup.add("account", Health.NOT_CHECKED, "needs every link above")
    return checkup


def verdict(checkup: Checkup) -> str:
    """The line under the table: can the chain run, and if not, where to start."""
    broken = checkup.first_broken()
    if broken is None:
        return "The chain can run."
    return f"Broken at {broken.name}: fix the first broken row, then run promo doctor again."


def exit_code(checkup: Checkup) -> ExitCode:
    return ExitCode.OK if checkup.ok else ExitCode.FAILED
