"""The `promo` command line: its commands, their options with their environment fallbacks, and the checks every
option passes before anything starts (a usage mistake is one sentence and exit 2)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tiktok_promo.flows.selection import REASONS, RULE_KINDS
from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.promo.chart import chart_path
from tiktok_promo.promo.errors import EXIT_CODES, UsageError
from tiktok_promo.promo.help_format import WordWrapHelp
from tiktok_promo.promo.suggest import hint

EPILOG = f"{EXIT_CODES}\nDocs: docs/hands-free.md"


class PromoParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one sentence (and exit 2) with the nearest word it knows, not the usage
    block plus a message; and help that wraps between words (promo.suggest, promo.help_format)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["formatter_class"] = WordWrapHelp
        super().__init__(*args, **kwargs)
        self.argv: list[str] = []

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        self.argv = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        # argparse quotes what it did not understand: a control character in it would reach the terminal raw.
        shown = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda bad: repr(bad.group())[1:-1], message)
        raise UsageError(self.prog, f"{shown}{hint(self, message, self.argv)} (see {self.prog} --help).")


def _option_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A rule's value reader as an argparse type: its ValueError's sentence becomes argparse's usage error."""

    def read(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    read.__name__ = parse.__name__
    return read


def env_devices() -> list[str]:
    """PROMO_DEVICES as a list; unset or blank is none, but a list with an empty name in it is refused (',,,'
    would otherwise quietly mean the default device)."""
    from tiktok_promo.harness.run.config import check_text

    raw = os.environ.get("PROMO_DEVICES", "")
    if not raw.strip():
        return []
    names = [part.strip() for part in check_text(raw, "PROMO_DEVICES").split(",")]
    if not all(names):
        raise ConfigError(f"PROMO_DEVICES {raw!r} has an empty device name between its commas; give ids like "
                          "sim-1,sim-2 (or unset it).")
    return names


def check_options(args: argparse.Namespace) -> None:
    """Every option and environment variable of a command, checked before anything starts.

    Empty values and control characters are refused (an empty environment variable counts as unset), and
    options that contradict each other too; what only the run's profile can tell (the target, the world, the
    language) is checked by harness.run.config.load_run_config, also before anything starts.
    """
    from tiktok_promo.harness.run.config import check_text, option_value

    for option, values in (("--device", args.device or []), ("--sim-faults", args.sim_faults),
                           ("--title", getattr(args, "title", [])), ("--id", getattr(args, "ids", []))):
        for value in values:
            if not value.strip() and option in ("--device", "--sim-faults"):  # cancel says it of --title, --id
                raise UsageError(f"promo {args.command}", f"{option} needs a non-empty value.")
            check_text(value, option)
    args.udid = option_value(args.udid, "--udid")
    if args.device is not None and args.udid is not None:
        raise UsageError(f"promo {args.command}", "--device and --udid both name the device to drive; give one "
                         "(--udid X is the same as --device X).")
    if args.all_devices and (args.device is not None or args.udid is not None):
        given = "--device" if args.device is not None else "--udid"
        raise UsageError(f"promo {args.command}", f"--all-devices and {given} contradict each other: drive every "
                         f"ready device, or the ones named; give one.")
    if args.device is None and args.udid is None and not args.all_devices:
        # The environment's fallbacks: they conflict the same way when both name devices.
        env_udid = option_value(None, "--udid", "PROMO_UDID")
        if env_devices() and env_udid is not None:
            raise ConfigError("PROMO_DEVICES and PROMO_UDID both name the devices to drive; unset one.")
    if getattr(args, "reports", None) is not None:
        args.reports = option_value(args.reports, "--reports")
    if getattr(args, "sim_ledger", None) is not None:
        from tiktok_promo.promo.sim_ledger import check_ledger_file

        ledger = option_value(args.sim_ledger, "--sim-ledger")
        assert ledger is not None
        args.sim_ledger = Path(ledger)
        check_ledger_file(args.sim_ledger)


def _target_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("where to run")
    group.add_argument("--target", choices=("sim", "appium"), default=None,
                       help="sim: the virtual TikTok device, started and stopped by promo (default); appium: an "
                            "Appium server driving real phones or emulators. env PROMO_TARGET")
    group.add_argument("--caps", metavar="FILE|NAME", default=None,
                       help="target profile: a caps YAML file or a profile name in harness/run/profiles/ (sim, "
                            "android-phone, android-emulator, appium-sim, grid-sim, grid, browserstack, saucelabs, "
                            "lambdatest; iOS: ios-sim, ios-simulator, ios-phone and the clouds' -ios). env PROMO_CAPS")
    group.add_argument("--appium-url", metavar="URL", default=None,
                       help="the Appium server for --target appium (default: the profile's, "
                            "http://127.0.0.1:4723), or 'local' to start one for this run. env APPIUM_URL")
    group.add_argument("--world", metavar="NAME|FILE", default=None,
                       help="virtual device only: the world every device starts in (a shipped name like default, "
                            "business, many, or a YAML/JSON world file). env PROMO_WORLD")
    group.add_argument("--account", metavar="USERNAME", default=None,
                       help="the @username that started the promotions; cancel refuses when the app shows another "
                            "(default: the profile's account). env PROMO_ACCOUNT")
    group.add_argument("--language", metavar="LANG", default=None,
                       help="the language the app shows its words in (en, fr, fr_FR: one the release files in "
                            "releases/ have); default: the phone's own locale, read through Appium. env "
                            "PROMO_LANGUAGE")
    devices = parser.add_argument_group("devices (see promo devices)")
    devices.add_argument("--device", metavar="ID", action="append", default=None,
                         help="a device to drive, repeatable: an adb serial with --target appium; sim-1, sim-2, ... "
                              "on the virtual device, each its own session, optionally with its own world "
                              "(sim-2=business). Devices run in parallel. env PROMO_DEVICES (comma-separated)")
    devices.add_argument("--all-devices", action="store_true",
                         help="every device promo devices lists as ready for the target (not with --device or "
                              "--udid)")
    devices.add_argument("--udid", metavar="SERIAL", default=None,
                         help="the one phone to drive (same as a single --device; not with it). env PROMO_UDID")
    # Developer options for tests (not in --help): faults per virtual device, and its ledger at the end.
    devices.add_argument("--sim-faults", metavar="DEVICE=FAULTS", action="append", default=[],
                         help=argparse.SUPPRESS)
    # --sim-ledger writes only a new file or one it wrote before (promo.sim_ledger).
    devices.add_argument("--sim-ledger", metavar="FILE", default=None, help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    """The `promo` command line: devices, list and cancel, each with --help."""
    parser = PromoParser(prog="promo", description="Cancel TikTok promotions hands-free, on the virtual TikTok "
                     "device or on real phones through Appium.", epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    commands = parser.add_subparsers(dest="command", metavar="{devices,list,cancel,doctor,capture,check-locators}",
                                     parser_class=PromoParser)

    devices = commands.add_parser(
        "devices", help="the devices promo can drive", allow_abbrev=False, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The virtual TikTok device, and the Android phones and emulators adb sees (serial, model, "
                    "Android version, state). Uses the adb server at ANDROID_ADB_SERVER_HOST:ANDROID_ADB_SERVER_PORT "
                    "(default 127.0.0.1:5037), starting a local one as adb does.")
    devices.add_argument("--json", action="store_true", help="print JSON instead of a table")

    listing = commands.add_parser(
        "list", help="the account on screen and every promotion", allow_abbrev=False, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Open the app, go to Promotions (Me, menu, Creator tools), and show the account on screen "
                    "and every promotion: title, ID, status, budget, spend, remaining budget, views, likes, cost "
                    "per 1,000 views. Changes nothing.")
    _target_options(listing)
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument("--chart", metavar="FILE", type=chart_path, default=None,
                         help="also draw each promotion's spend against its budget and its cost per 1,000 views "
                              "into FILE (.png or .svg)")

    cancel = commands.add_parser(
        "cancel", help="cancel promotions: by title, ID, or a rule", allow_abbrev=False, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Cancel promotions the documented way (Me, menu, Creator tools, Promotions, the promotion, "
                    "Cancel, Confirm). Checks the logged-in account first and refuses on a mismatch; shows what it "
                    "will cancel and asks (unless --yes); after each cancel reads the promotion again and reports "
                    "it cancelled only if the app shows it. Spend so far is not refunded. Records every outcome "
                    "in reports/promo-audit.jsonl, and its pictures and Allure results in reports/promo/<run id>/.")
    _target_options(cancel)
    chosen = cancel.add_argument_group("what to cancel (names and rules combine: every rule must hold)")
    chosen.add_argument("--title", action="append", default=[], metavar="TITLE",
                        help="the promotion's video title as the app shows it, repeatable")
    chosen.add_argument("--id", action="append", default=[], metavar="ID", dest="ids",
                        help="the promotion ID its details show (e.g. P-1001), repeatable; tells apart equal titles")
    chosen.add_argument("--all-active", action="store_true", help="every active (running) promotion")
    for kind in RULE_KINDS:  # the rule options, from flows.selection's one table of rules
        chosen.add_argument(kind.option, dest=kind.field, type=_option_type(kind.parse), metavar=kind.metavar,
                            help=kind.help)
    how = cancel.add_argument_group("how")
    how.add_argument("--reason", choices=REASONS, default=None,
                     help="why (the guide's four reasons), recorded with each cancel; required unless --dry-run. "
                          "env PROMO_REASON")
    how.add_argument("--yes", "-y", action="store_true", help="do not ask before cancelling (for schedulers)")
    how.add_argument("--dry-run", action="store_true", help="only show what would be cancelled; change nothing")
    how.add_argument("--json", action="store_true", help="print the plan and outcomes as JSON")
    how.add_argument("--reports", metavar="DIR", default=None,
                     help="where the audit log and each run's evidence (promo/<run id>/) go (default: reports). "
                          "env PROMO_REPORTS")
    how.add_argument("--video", metavar="always|on-failure|off", default=None,
                     help="the screen recording of each cancel, kept with its evidence in promo/<run id>/: for every "
                          "cancel (always, the default), only for one that did not end cancelled (on-failure), or "
                          "none (off). env PROMO_VIDEO")

    doctor = commands.add_parser(
        "doctor", help="check every link from this machine to TikTok on the device", allow_abbrev=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit codes: 0 the chain can run, 1 a link is broken, 2 bad usage or input.\nDocs: README.md, "
               "\"On an emulator or a phone\"",
        description="One row per link: Node and the Appium 3 server, the Appium driver in APPIUM_HOME, Java and "
                    "the Android SDK variables, adb and its server, the device (connected, authorized, online, "
                    "Android version, screen, lock), TikTok on it (package, versionName), and the logged-in "
                    "account once a session is up; each broken link with the command that fixes it. Changes "
                    "nothing; an adb server it starts is stopped again.")
    _target_options(doctor)
    doctor.add_argument("--json", action="store_true", help="print JSON instead of a table")

    capture = commands.add_parser(
        "capture", help="record what the phone shows (page source, screenshot, ...) into a folder",
        allow_abbrev=False, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Save what the phone shows now into FOLDER: page source, screenshot, activity, package, app "
                    "version, locale and time (format: docs/capture-format.md). With --walk, go read-only from there "
                    "to every promotion's details (Profile, TikTok Studio or the menu, Promotions, each promotion and "
                    "back) and record each screen with the tap that led to it; it never taps Stop, Cancel or a "
                    "confirmation. Check the folder offline with promo check-locators FOLDER; replay it with "
                    "python -m tiktok_promo.simulator --replay FOLDER (an Android recording only: the replay rebuilds "
                    "UiAutomator2's views). On an iPhone the page sources are WDA's and the taps in points.")
    _target_options(capture)
    capture.add_argument("folder", metavar="FOLDER", help="a new (or empty) folder to write")
    capture.add_argument("--walk", action="store_true", help="walk read-only to every promotion's details")
    capture.add_argument("--reports", metavar="DIR", default=None,
                         help="where a local Appium's or Selenium Grid's log goes (default: reports). "
                              "env PROMO_REPORTS")

    check = commands.add_parser(
        "check-locators", help="offline: which locators still find their targets on recorded screens",
        allow_abbrev=False, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="No device needed. For every screen a `promo capture` folder holds: which page it is (by the "
                    "page's anchors) and, for every target of that page, the candidate that matched, how many "
                    "elements it matched, and whether it is a fallback (drift), ambiguous (several elements, or one "
                    "in another package such as Android's system bar) or missing; and the known traps it shows. "
                    "Exit 0 only when every target the cancel flow needs resolves to exactly one element on its "
                    "screen, 1 otherwise. An iPhone's recording (WDA's page sources) is checked with the "
                    "locators an iPhone answers.")
    check.add_argument("folder", metavar="FOLDER", help="a folder written by promo capture")
    check.add_argument("--json", action="store_true", help="print JSON instead of a table")
    check.add_argument("--verbose", "-v", action="store_true",
                       help="the candidate and element count of every target, not only of those that are not ok")
    check.add_argument("--language", metavar="LANG", default=None,
                       help="read the screens' words in this language (default: the locale the capture recorded). "
                            "env PROMO_LANGUAGE")
    return parser

