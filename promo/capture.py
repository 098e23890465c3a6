"""`promo capture [--walk] DIR`: record what the phone shows, on any target, for an offline check or a replay.

Without --walk: the screen the app opens on (page source, screenshot, activity, package, app version,
locale, time). With --walk: from there, read-only, to every promotion's details on the list and back,
each screen recorded with the tap that led to it (flows.capture). Nothing is ever stopped: the walk
never taps a promotion's Stop/Cancel button nor a confirmation.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tiktok_promo.flows.capture import Recorder, Walk, screen_label
from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.run.config import check_reachable, load_run_config, world_folders
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.run.targets import Targets, reports_folder
from tiktok_promo.pages.app import TIKTOK
from tiktok_promo.pages.wordings import languages
from tiktok_promo.promo.fit import say


def run(args: argparse.Namespace) -> int:
    """The capture command; returns the exit code (0: recorded)."""
    devices = args.device or []
    if len(devices) > 1 or args.all_devices:
        raise ConfigError("promo capture records one phone: give one --device (or --udid), not several.")
    config = load_run_config(target=args.target, world=args.world, appium_url=args.appium_url, caps=args.caps,
                             udid=args.udid or (devices[0] if devices and args.target == "appium" else None),
                             account=args.account, language=args.language, known_languages=languages())
    if config.appium_url:
        check_reachable(config.appium_url)
    # The same targets as list and cancel: the virtual device, a local Appium or a local Grid of one node.
    redactor = Redactor.from_sources(os.environ, config.profile.capabilities)
    targets = Targets(config, reports_folder(getattr(args, "reports", None)), redactor,
                      worlds=world_folders(config.world))
    url = targets.start()
    config = targets.configured(config)
    folder = Path(args.folder)
    try:
        with AppiumSession(config, url, TIKTOK) as session:
            recorder = Recorder(folder, session, "sim" if config.virtual_device else "appium")
            session.start()
            recorder.open()
            if args.walk:
                # Progress, not an error: without the `promo:` an error line starts with.
                walk = Walk(recorder, note=lambda line: say(line, sys.stderr))
                opened = walk.run()
                screens = len(recorder.screens)
                say(f"Recorded {screens} screen{'s' if screens != 1 else ''} ({opened} promotion"
                    f"{'s' if opened != 1 else ''}' details) in {folder}", sys.stdout)
            else:
                recorder.take(screen_label(session), None)
                say(f"Recorded the screen in {folder}", sys.stdout)
            say(f"Check {'them' if args.walk else 'it'} offline: promo check-locators {folder}", sys.stdout)
    finally:
        died = targets.stop()
        if died:  # the session's error said "lost contact"; this says why
            say(f"promo: {died}")
    return 0
