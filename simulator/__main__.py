"""`python -m simulator`: serve the virtual TikTok device until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from simulator.errors import ReplayError
from simulator.replay import ReplayServer
from simulator.server import SimulatorServer
from simulator.world import WorldError, shipped_worlds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Serve the virtual TikTok device: point any Appium client at the URL it prints.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4724,
                        help="port to listen on (default 4724, beside Appium's 4723; 0 picks a free one)")
    parser.add_argument(
        "--world",
        default=None,
        help=f"default world for sessions without sim:world: a shipped name ({', '.join(shipped_worlds())}) "
        "or a YAML/JSON file",
    )
    parser.add_argument(
        "--replay",
        metavar="DIR",
        default=None,
        help="serve a recording made by `promo capture --walk` (its folder) instead of a world",
    )
    parser.add_argument("--log-level", default="WARNING", help="logging level (default WARNING)")
    args = parser.parse_args(argv)
    if args.replay and args.world:
        parser.error("--replay serves a recording; it takes no --world")
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server: SimulatorServer
    try:
        if args.replay:
            server = ReplayServer(args.replay, args.host, args.port)
        else:
            server = SimulatorServer(args.host, args.port, world=args.world)
    except (WorldError, ReplayError) as error:
        print(f"simulator: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"simulator: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 2
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
