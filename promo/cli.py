"""`promo`: cancel TikTok promotions hands-free, on the virtual device or on real phones through Appium.

    promo devices                      the devices it can drive
    promo list [--json]                the account on screen and every promotion with its numbers
    promo cancel --title T --reason R  cancel, after showing what and asking (unless --yes)
    promo doctor [--json]              every link from this machine to TikTok on the device, and its fix

Every option has an environment fallback (shown in --help). Exit codes: 0 all done, 1 some failed,
2 bad usage or input, 3 nothing matched, 4 not confirmed (answered no), 130 interrupted (Ctrl+C), 143 and 129 stopped by
SIGTERM and SIGHUP (handled as Ctrl+C is). Every error a person can cause ends in
one sentence on stderr, never a traceback (PROMO_DEBUG=1 adds tracebacks for unexpected errors).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shlex
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from flows.selection import REASONS, Selection, amount, percent, views
from harness.errors import ConfigError, HarnessError
from pages.wordings import languages
from promo.chart import chart_path
from promo.errors import EXIT_CODES, ExitCode, Stopped, UsageError, error_line, exit_code_of
from promo.fit import say
from promo.help_format import WordWrapHelp
from promo.suggest import hint

if TYPE_CHECKING:
    from harness.redact import Redactor
    from harness.run.appium_server import AppiumServer
    from harness.run.config import RunConfig
    from harness.run.grid import SeleniumGrid
    from harness.run.simhost import SimulatorHost

EPILOG = f"{EXIT_CODES}\nDocs: docs/hands-free.md"


class _Parser(argparse.ArgumentParser):
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


def _env_devices() -> list[str]:
    """PROMO_DEVICES as a list; unset or blank is none, but a list with an empty name in it is refused (',,,'
    would otherwise quietly mean the default device)."""
    from harness.run.config import check_text

    raw = os.environ.get("PROMO_DEVICES", "")
    if not raw.strip():
        return []
    names = [part.strip() for part in check_text(raw, "PROMO_DEVICES").split(",")]
    if not all(names):
        raise ConfigError(f"PROMO_DEVICES {raw!r} has an empty device name between its commas; give ids like "
                          "sim-1,sim-2 (or unset it).")
    return names


def _check_options(args: argparse.Namespace) -> None:
    """Every option and environment variable of a command, checked before anything starts.

    Empty values and control characters are refused (an empty environment variable counts as unset), and
    options that contradict each other too; what only the run's profile can tell (the target, the world, the
    language) is checked by harness.run.config.load_run_config, also before anything starts.
    """
    from harness.run.config import check_text, option_value

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
        if _env_devices() and env_udid is not None:
            raise ConfigError("PROMO_DEVICES and PROMO_UDID both name the devices to drive; unset one.")
    if getattr(args, "reports", None) is not None:
        args.reports = option_value(args.reports, "--reports")
    if getattr(args, "sim_ledger", None) is not None:
        from promo.sim_ledger import check_ledger_file

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
                            "lambdatest). env PROMO_CAPS")
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
                       help="the language the app shows its words in (en, fr, fr_FR: one the wordings in "
                            "pages/wordings/ have); default: the phone's own locale, read through Appium. env "
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
    parser = _Parser(prog="promo", description="Cancel TikTok promotions hands-free, on the virtual TikTok "
                     "device or on real phones through Appium.", epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    commands = parser.add_subparsers(dest="command", metavar="{devices,list,cancel,doctor,capture,check-locators}",
                                     parser_class=_Parser)

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
    chosen.add_argument("--spent-over", type=amount, metavar="AMOUNT",
                        help="active promotions that spent more than AMOUNT dollars")
    chosen.add_argument("--spent-over-pct", type=percent, metavar="PCT",
                        help="active promotions that spent more than PCT %% of their whole budget")
    chosen.add_argument("--cost-per-1k-views-over", type=amount, metavar="AMOUNT",
                        help="active promotions whose cost per 1,000 views is over AMOUNT dollars")
    chosen.add_argument("--views-under", type=views, metavar="N",
                        help="active promotions with fewer than N views")
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
                    "python -m simulator --replay FOLDER.")
    _target_options(capture)
    capture.add_argument("folder", metavar="FOLDER", help="a new (or empty) folder to write")
    capture.add_argument("--walk", action="store_true", help="walk read-only to every promotion's details")

    check = commands.add_parser(
        "check-locators", help="offline: which locators still find their targets on recorded screens",
        allow_abbrev=False, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="No device needed. For every screen a `promo capture` folder holds: which page it is (by the "
                    "page's anchors) and, for every target of that page, the candidate that matched, how many "
                    "elements it matched, and whether it is a fallback (drift), ambiguous (several elements, or one "
                    "in another package such as Android's system bar) or missing; and the known traps it shows. "
                    "Exit 0 only when every target the cancel flow needs resolves to exactly one element on its "
                    "screen, 1 otherwise.")
    check.add_argument("folder", metavar="FOLDER", help="a folder written by promo capture")
    check.add_argument("--json", action="store_true", help="print JSON instead of a table")
    check.add_argument("--verbose", "-v", action="store_true",
                       help="the candidate and element count of every target, not only of those that are not ok")
    check.add_argument("--language", metavar="LANG", default=None,
                       help="read the screens' words in this language (default: the locale the capture recorded). "
                            "env PROMO_LANGUAGE")
    return parser


# --- commands --------------------------------------------------------------------------------------
def _devices(args: argparse.Namespace) -> int:
    from harness.run.adb import discover
    from promo.render import devices_table, stdout_console

    found, problem = discover()
    if args.json:
        import json

        print(json.dumps({"devices": [d.to_json() for d in found], "adb": problem or "ok"}, indent=2))
    else:
        stdout_console().print(devices_table(found, adb_answered=problem is None))
    if problem:
        say(f"promo: {problem}")
    return ExitCode.OK


def _doctor(args: argparse.Namespace) -> int:
    from harness.run.config import load_run_config
    from promo.doctor import exit_code, run_checkup, verdict
    from promo.render import doctor_table, stdout_console

    config = load_run_config(target=args.target, world=args.world, appium_url=args.appium_url, caps=args.caps,
                             udid=args.udid or (args.device[0] if args.device else None), account=args.account,
                             language=args.language, known_languages=languages())
    host = None
    url = config.appium_url
    if config.is_sim:
        from harness.run.simhost import SimulatorHost

        host = SimulatorHost()
        url = host.start()
    try:
        checkup = run_checkup(config, url if not config.local_appium else None)
    finally:
        if host is not None:
            _stop_soon(host)
    if args.json:
        import json

        print(json.dumps(checkup.to_json(), indent=2))
    else:
        console = stdout_console()
        console.print(doctor_table(checkup))
        console.print(verdict(checkup))
    return exit_code(checkup)


def _selection(args: argparse.Namespace) -> Selection:
    selection = Selection(
        titles=tuple(t for t in args.title if t.strip()), ids=tuple(i.strip() for i in args.ids if i.strip()),
        all_active=args.all_active, spent_over=args.spent_over, spent_over_pct=args.spent_over_pct,
        cost_per_1k_views_over=args.cost_per_1k_views_over, views_under=args.views_under,
    )
    if any(not t.strip() for t in args.title) or any(not i.strip() for i in args.ids):
        raise UsageError("promo cancel", "--title and --id need a non-empty value.")
    if args.all_active and (selection.titles or selection.ids):
        raise UsageError("promo cancel", "--all-active cannot be combined with --title or --id: it would cancel "
                         "every active promotion, not only the ones named; give one or the other.")
    if selection.is_empty():
        raise UsageError("promo cancel", "say what to cancel with --title, --id, --all-active or a rule such as "
                         "--spent-over 20 (see promo cancel --help).")
    return selection


def _reason(args: argparse.Namespace) -> str | None:
    reason = args.reason or os.environ.get("PROMO_REASON", "").strip() or None
    if reason is not None and reason not in REASONS:
        raise UsageError("promo cancel", f"PROMO_REASON must be one of {', '.join(REASONS)}, not {reason!r}.")
    if reason is None and not args.dry_run:
        raise UsageError("promo cancel", f"say why with --reason ({', '.join(REASONS)}); it is recorded with each "
                         "cancel.")
    return reason


def _run_on_devices(args: argparse.Namespace, argv: Sequence[str], signals: _Signals | None = None) -> int:
    from rich.console import Console

    from harness.redact import Redactor
    from harness.run.config import check_reachable, load_run_config, option_value, world_folders
    from harness.run.fleet import parse_sim_faults, plan_devices
    from promo.hands_free import CancelRequest, HandsFreeRun
    from promo.render import stdout_console

    selection = _selection(args) if args.command == "cancel" else None
    reason = _reason(args) if args.command == "cancel" else None
    config = load_run_config(target=args.target, world=args.world, appium_url=args.appium_url, caps=args.caps,
                             udid=args.udid, account=args.account, language=args.language,
                             known_languages=languages(), video=getattr(args, "video", None))
    if args.command == "cancel" and not config.account:
        raise ConfigError("promo cancel needs the account that started the promotions, to check it before "
                          "anything is tapped: give --account (or PROMO_ACCOUNT, or account: in the profile).")
    faults = parse_sim_faults(args.sim_faults)
    # --device, else --udid (one device), else PROMO_DEVICES, else PROMO_UDID; --all-devices takes none of them.
    if args.all_devices:
        wanted = []
    elif args.device is not None:
        wanted = args.device
    elif args.udid is not None:
        wanted = [args.udid] if config.virtual_device else []  # a real run's udid is config.udid already
    else:
        wanted = _env_devices() or ([config.udid] if config.udid and config.virtual_device else [])
    # Devices first: adb answers locally at once, and "no device" is the more useful sentence.
    all_devices = args.all_devices
    if all_devices and not wanted and (config.local_grid or config.appium_url):
        from harness.run.grid import grid_devices, local_grid_devices

        # Through a Selenium Grid, the devices are the ones its nodes offer (their stereotypes' appium:udid).
        offered = local_grid_devices(config) if config.local_grid else grid_devices(config.appium_url or "")
        wanted, all_devices = (offered, False) if offered else (wanted, all_devices)
    specs = plan_devices(config, wanted, all_devices, faults)
    if config.appium_url:
        check_reachable(config.appium_url)
    redactor = Redactor.from_sources(os.environ, config.profile.capabilities)
    reports = Path(getattr(args, "reports", None) or option_value(None, "--reports", "PROMO_REPORTS") or "reports")
    host = None
    folders = world_folders(config.world, *(spec.world for spec in specs))  # the files named are the person's
    appium = _start_local_appium(reports, redactor, folders) if config.local_appium else None
    url = appium.url if appium is not None else config.appium_url or ""
    grid = _start_local_grid(config, len(specs), reports, redactor) if config.local_grid else None
    if grid is not None:
        from harness.run.grid import with_grid

        url, state = grid.url, grid.state()
        specs = [dataclasses.replace(spec, config=with_grid(spec.config, state)) for spec in specs]
    if config.is_sim:
        from harness.run.simhost import SimulatorHost

        host = SimulatorHost()
        url = host.start(folders)
    try:
        run = HandsFreeRun(specs, url, out=stdout_console(), err=Console(stderr=True), reports_dir=reports,
                           command_line=redactor.clean(shlex.join(["promo", *argv])), redactor=redactor,
                           debug=_debug(), ledger_file=args.sim_ledger)
        if signals is not None:
            signals.doing = run.stopping_sentence
        try:
            if args.command == "list":
                return run.list(args.json, config.account, args.chart)
            assert selection is not None and config.account is not None
            return run.cancel(CancelRequest(selection, config.account, reason, args.dry_run, args.yes, args.json))
        finally:
            run.close()  # every session ends here, so nothing is left on the virtual device
    finally:
        if host is not None:
            _stop_soon(host)
        if grid is not None:
            grid.stop()
        if appium is not None:
            died = appium.death_sentence()
            if died:  # the devices' errors said "lost contact"; this says why
                say(f"promo: {died}")
            appium.stop()  # after the sessions: Appium ends what is left and the driver stops its devices


def _start_local_appium(reports: Path, redactor: Redactor, worlds_dirs: Sequence[str] = ()) -> AppiumServer:
    """The Appium 3 server of a profile with `appium_url: local`: started for this run on a free port.

    Its log goes to <reports>/appium/, with the run's secrets filtered out by Appium itself; the virtual
    device its driver starts may read world files from `worlds_dirs`.
    """
    from harness.run.appium_server import AppiumServer
    from harness.run.simhost import worlds_env

    server = AppiumServer(log_path=reports / "appium" / "appium-promo.log", secrets=redactor.secrets,
                          env=worlds_env(worlds_dirs))
    server.check_installed()  # AppiumNotInstalled: the person can fix it (npm ci / make node), exit 2
    return server.start()  # AppiumServerError: the device side failed, exit 1


def _start_local_grid(config: RunConfig, devices: int, reports: Path, redactor: Redactor) -> SeleniumGrid:
    """The Selenium Grid 4 of a profile with `appium_url: local-grid`: a node (and Appium) per device."""
    from harness.run.grid import run_grid

    grid = run_grid(config, devices, reports, redactor.secrets)
    grid.check_installed()  # GridNotInstalled, AppiumNotInstalled: the person can fix it (make java, npm ci), exit 2
    return grid.start()  # GridError: the device side failed, exit 1


def _stop_soon(host: SimulatorHost) -> None:
    """Stop the virtual device without waiting on it.

    Its HTTP server notices a shutdown only at its next poll (socketserver's 0.5 s), which would add
    half a second to every run; the sessions are already closed, and the process is about to end.
    """
    threading.Thread(target=host.stop, name="simulator-stop", daemon=True).start()


def _debug() -> bool:
    return os.environ.get("PROMO_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


class _Signals:
    """Ctrl+C, SIGTERM and SIGHUP for one `promo` run: the first stops it, the ones after only say what it
    still does; once the run is over, none interrupts anything (the output and the audit are complete).

    The first raises `Stopped` (a KeyboardInterrupt) in the main thread while the run is armed. A second must
    not cut a cancel short between the confirm and its audit line, nor kill the process while it prints what
    was done: it never raises, and once the run is over the signals are ignored until the process ends (when
    promo is the process). A signal the process was started with ignored (nohup, a background job) stays ignored.
    """

    def __init__(self) -> None:
        self.received: list[int] = []
        self.armed = True  # the first signal raises Stopped; after the run, signals are only counted
        self.doing: Callable[[], str] = lambda: "stopping; nothing more is attempted."
        self._before: dict[int, Any] = {}

    def install(self) -> _Signals:
        if threading.current_thread() is not threading.main_thread():
            return self  # signals reach the main thread only (and only it may install handlers)
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
                self._before[number] = signal.signal(number, self._handle)
        return self

    def _handle(self, signum: int, _frame: object) -> None:
        self.received.append(signum)
        if len(self.received) == 1 and self.armed:
            raise Stopped(signum)
        if len(self.received) == 2 and self.armed:
            say(f"promo: {self.doing()}")

    def restore(self) -> None:
        """The handlers from before (for a caller that runs promo inside its own process, such as a test)."""
        for number, handler in self._before.items():
            signal.signal(number, handler)

    def ignore_from_now(self) -> None:
        """The run is over and its exit code chosen: the signals it handled are ignored until the process ends.

        Python puts back the default action of every signal that has a Python handler while it shuts down
        (a few hundred milliseconds after the last line): a signal then would kill the process by the signal,
        not with the exit code. An ignored signal keeps being ignored.
        """
        for number in self._before:
            signal.signal(number, signal.SIG_IGN)


def _interrupted(stop: KeyboardInterrupt) -> int:
    """The last line of a stopped run and its exit code: 130 for Ctrl+C, 128 + the signal for the others."""
    signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
    how = "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
    done = getattr(stop, "done", None) or "promotions not yet confirmed were left as they were"
    say(f"promo: {how}; {done}.")
    return ExitCode.INTERRUPTED if signum == signal.SIGINT else 128 + signum


def _command(argv: list[str], signals: _Signals) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return ExitCode.USAGE
        if args.command == "devices":
            return _devices(args)
        if args.command != "check-locators":
            _check_options(args)
        if args.command == "doctor":
            return _doctor(args)
        if args.command == "capture":
            from promo import capture

            return capture.run(args)
        if args.command == "check-locators":
            from harness.run.config import check_language, option_value
            from promo import check_locators

            args.language = check_language(option_value(args.language, "--language", "PROMO_LANGUAGE"), languages())
            return check_locators.run(args)
        return _run_on_devices(args, argv, signals)
    except HarnessError as error:
        from harness.redact import Redactor

        say(error_line(error, Redactor.from_sources(os.environ)))
        return exit_code_of(error)
    except Exception as error:  # the last guard: one sentence, never a traceback (unless asked)
        if _debug():
            traceback.print_exc()
        say(f"promo: unexpected {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''} "
            "(set PROMO_DEBUG=1 for the traceback).")
        return ExitCode.FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """The `promo` console script; returns the exit code."""
    as_process = argv is None  # the console script: promo is the whole process, its handlers stay to the end
    signals = _Signals().install()
    try:
        try:
            code = _command(list(sys.argv[1:] if argv is None else argv), signals)
        finally:
            signals.armed = False  # from here on a signal is only counted: nothing is cut short
    except KeyboardInterrupt as stop:
        code = _interrupted(stop)
    else:
        if signals.received:  # it came after the run had done its work: still a stopped run's exit code
            first = signals.received[0]
            say("promo: interrupted after the run had ended; what it printed above is complete.")
            code = ExitCode.INTERRUPTED if first == signal.SIGINT else 128 + first
    finally:
        from harness.run.adb import stop_started_server

        stop_started_server()  # an adb server promo started to look for phones does not outlive it
        if as_process:
            signals.ignore_from_now()
        else:
            signals.restore()
    return code


if __name__ == "__main__":
    sys.exit(main())
