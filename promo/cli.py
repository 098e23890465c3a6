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

import os
import signal
import sys
import traceback
from collections.abc import Sequence

from tiktok_promo.harness.errors import HarnessError
from tiktok_promo.pages.wordings import languages
from tiktok_promo.promo.commands import debug_enabled, devices_command, doctor_command, run_on_devices
from tiktok_promo.promo.errors import ExitCode, error_line, exit_code_of
from tiktok_promo.promo.fit import say
from tiktok_promo.promo.parser import build_parser, check_options
from tiktok_promo.promo.signals import RunSignals, interrupted


def _command(argv: list[str], signals: RunSignals) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return ExitCode.USAGE
        if args.command == "devices":
            return devices_command(args)
        if args.command != "check-locators":
            check_options(args)
        if args.command == "doctor":
            return doctor_command(args)
        if args.command == "capture":
            from tiktok_promo.promo import capture

            return capture.run(args)
        if args.command == "check-locators":
            from tiktok_promo.harness.run.config import check_language, option_value
            from tiktok_promo.promo import check_locators

            args.language = check_language(option_value(args.language, "--language", "PROMO_LANGUAGE"), languages())
            return check_locators.run(args)
        return run_on_devices(args, argv, signals)
    except HarnessError as error:
        from tiktok_promo.harness.redact import Redactor

        say(error_line(error, Redactor.from_sources(os.environ)))
        return exit_code_of(error)
    except Exception as error:  # the last guard: one sentence, never a traceback (unless asked)
        if debug_enabled():
            traceback.print_exc()
        say(f"promo: unexpected {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''} "
            "(set PROMO_DEBUG=1 for the traceback).")
        return ExitCode.FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """The `promo` console script; returns the exit code."""
    as_process = argv is None  # the console script: promo is the whole process, its handlers stay to the end
    signals = RunSignals().install()
    try:
        try:
            code = _command(list(sys.argv[1:] if argv is None else argv), signals)
        finally:
            signals.armed = False  # from here on a signal is only counted: nothing is cut short
    except KeyboardInterrupt as stop:
        code = interrupted(stop)
    else:
        if signals.received:  # it came after the run had done its work: still a stopped run's exit code
            first = signals.received[0]
            say("promo: interrupted after the run had ended; what it printed above is complete.")
            code = ExitCode.INTERRUPTED if first == signal.SIGINT else 128 + first
    finally:
        from tiktok_promo.harness.run.adb import stop_started_server

        stop_started_server()  # an adb server promo started to look for phones does not outlive it
        if as_process:
            signals.ignore_from_now()
        else:
            signals.restore()
    return code


if __name__ == "__main__":
    sys.exit(main())
