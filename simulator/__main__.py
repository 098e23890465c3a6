"""`python -m tiktok_promo.simulator`: serve the virtual TikTok device until SIGINT or SIGTERM.

A mistake in an option is one line naming the option on stderr and exit 2, as argparse does it.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import NoReturn

from tiktok_promo.simulator.errors import ReplayError
from tiktok_promo.simulator.replay import ReplayServer
from tiktok_promo.simulator.security import FeatureNameError, InsecureFeatures, parse_feature_names
from tiktok_promo.simulator.server import SimulatorServer
from tiktok_promo.simulator.world import WorldError, shipped_worlds

WORLDS_DIRS_ENV = "TIKTOK_SIM_WORLDS_DIRS"  # what the Appium driver's environment passes on: the operator's
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the usage too; one line is what a script, the Appium driver or a person reads.
        self.exit(2, f"simulator: {message} (see python -m tiktok_promo.simulator --help)\n")


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a port number (0 to 65535; 0 picks a free one)")
    return int(text)


def _log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a log level (choose from {', '.join(LOG_LEVELS)})")
    return level


def _folders(text: str) -> list[str]:
    folders = [part for part in text.split(os.pathsep) if part]
    for folder in folders:
        try:
            is_folder = Path(folder).expanduser().is_dir()
        except (OSError, ValueError):
            is_folder = False
        if not is_folder:
            raise argparse.ArgumentTypeError(f"{folder[:120]!r} is not a folder")
    return folders


def _features(text: str) -> frozenset[tuple[str, str]]:
    try:
        return parse_feature_names(text)
    except FeatureNameError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m tiktok_promo.simulator",
        description="Serve the virtual TikTok device: point any Appium client at the URL it prints.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=4724,
                        help="port to listen on (default 4724, beside Appium's 4723; 0 picks a free one)")
    parser.add_argument(
        "--world",
        default=None,
        help=f"default world for sessions without sim:world: a shipped name ({', '.join(shipped_worlds())}) "
        "or a YAML/JSON file",
    )
    parser.add_argument(
        "--worlds-dir", type=_folders, action="append", default=None, metavar="DIR",
        help="a folder whose world files sessions may name in sim:world (repeat it, or join folders with "
        f"'{os.pathsep}'); default: env {WORLDS_DIRS_ENV}, else none: only the shipped worlds and --world",
    )
    parser.add_argument(
        "--replay", metavar="DIR", default=None,
        help="serve a recording made by `promo capture --walk` (its folder) instead of a world",
    )
    parser.add_argument(
        "--transitions", dest="transitions", action="store_true", default=True,
        help="screens come in over a few hundred ms after a tap, as a phone's do (the default)",
    )
    parser.add_argument(
        "--no-transitions", dest="transitions", action="store_false",
        help="screens rest at once: a benchmark's baseline (a session may ask the same with "
        "sim:transitions=false)",
    )
    parser.add_argument("--allow-insecure", type=_features, action="append", default=[], metavar="FEATURES",
                        help="insecure features to allow, as Appium takes them: <automation>:<feature> joined by "
                        "commas, e.g. uiautomator2:adb_shell,*:session_discovery")
    parser.add_argument("--deny-insecure", type=_features, action="append", default=[], metavar="FEATURES",
                        help="insecure features to refuse even with --relaxed-security (same form)")
    parser.add_argument("--relaxed-security", action="store_true",
                        help="allow every insecure feature not denied (as Appium's --relaxed-security)")
    parser.add_argument("--allow-cors", action="store_true",
                        help="answer browsers' CORS preflights and let any origin read answers (Appium Inspector's "
                        "browser build), as Appium's --allow-cors")
    parser.add_argument("--log-level", type=_log_level, default="WARNING",
                        help=f"logging level: {', '.join(LOG_LEVELS)} (default WARNING)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.replay is not None and args.world is not None:
        parser.error("argument --replay: it serves a recording, so it takes no --world")
    if args.worlds_dir is None:
        env = os.environ.get(WORLDS_DIRS_ENV, "")
        try:
            worlds_dirs = _folders(env)
        except argparse.ArgumentTypeError as error:
            parser.error(f"{WORLDS_DIRS_ENV}: {error}")
    else:
        worlds_dirs = [folder for group in args.worlds_dir for folder in group]
    insecure = InsecureFeatures(frozenset().union(*args.allow_insecure), frozenset().union(*args.deny_insecure),
                                args.relaxed_security)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server: SimulatorServer
    try:
        if args.replay is not None:
            server = ReplayServer(args.replay, args.host, args.port, insecure=insecure, allow_cors=args.allow_cors,
                                  transitions=args.transitions)
        else:
            server = SimulatorServer(args.host, args.port, world=args.world, worlds_dirs=worlds_dirs,
                                     insecure=insecure, allow_cors=args.allow_cors, transitions=args.transitions)
    except WorldError as error:
        parser.error(f"argument --world: {error}")
    except ReplayError as error:  # the sentence names the recording's folder already
        parser.exit(2, f"simulator: {error}\n")
    except (OSError, UnicodeError, OverflowError) as error:  # a busy port, an unknown host, a 300-letter name
        reason = getattr(error, "strerror", None) or str(error)
        parser.exit(2, f"simulator: cannot listen on {args.host[:120]}:{args.port}: {reason} "
                       "(check --host and --port)\n")
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()
        threading.Thread(target=server.stop, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Virtual TikTok device listening on {server.url}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
