"""What each `promo` command does once its options are read: devices, doctor, and list and cancel on every
device asked for (the targets they run against come from harness.run.targets)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tiktok_promo.flows.selection import REASONS, RULE_KINDS, Selection
from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.run.targets import Targets, reports_folder
from tiktok_promo.pages.wordings import languages
from tiktok_promo.promo.errors import ExitCode, UsageError
from tiktok_promo.promo.fit import say
from tiktok_promo.promo.parser import env_devices

if TYPE_CHECKING:
    from tiktok_promo.promo.signals import RunSignals


def debug_enabled() -> bool:
    return os.environ.get("PROMO_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def devices_command(args: argparse.Namespace) -> int:
    from tiktok_promo.harness.run.adb import discover
    from tiktok_promo.harness.run.ios import listed_devices
    from tiktok_promo.promo.render import devices_table, stdout_console

    found, problem = discover()
    found += listed_devices()  # iPhones and simulators, where Xcode's tools (xcrun) are on PATH
    if args.json:
        import json

        print(json.dumps({"devices": [d.to_json() for d in found], "adb": problem or "ok"}, indent=2))
    else:
        stdout_console().print(devices_table(found, adb_answered=problem is None))
    if problem:
        say(f"promo: {problem}")
    return ExitCode.OK


def doctor_command(args: argparse.Namespace) -> int:
    from tiktok_promo.harness.run.config import load_run_config
    from tiktok_promo.promo.doctor import exit_code, run_checkup, verdict
    from tiktok_promo.promo.render import doctor_table, stdout_console

    config = load_run_config(target=args.target, world=args.world, appium_url=args.appium_url, caps=args.caps,
                             udid=args.udid or (args.device[0] if args.device else None), account=args.account,
                             language=args.language, known_languages=languages())
    # The doctor starts the virtual device only: it checks whether a local Appium could start, it starts none.
    targets = Targets(config, Path("reports"), Redactor.from_sources(os.environ), local_servers=False)
    url = targets.start() or None
    try:
        checkup = run_checkup(config, url if not config.local_appium else None)
    finally:
        targets.stop()
    if args.json:
        import json

        print(json.dumps(checkup.to_json(), indent=2))
    else:
        console = stdout_console()
        console.print(doctor_table(checkup))
        console.print(verdict(checkup))
    return exit_code(checkup)


def selection_of(args: argparse.Namespace) -> Selection:
    selection = Selection(
        titles=tuple(t for t in args.title if t.strip()), ids=tuple(i.strip() for i in args.ids if i.strip()),
        all_active=args.all_active, **{kind.field: getattr(args, kind.field) for kind in RULE_KINDS},
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


def reason_of(args: argparse.Namespace) -> str | None:
    reason = args.reason or os.environ.get("PROMO_REASON", "").strip() or None
    if reason is not None and reason not in REASONS:
        raise UsageError("promo cancel", f"PROMO_REASON must be one of {', '.join(REASONS)}, not {reason!r}.")
    if reason is None and not args.dry_run:
        raise UsageError("promo cancel", f"say why with --reason ({', '.join(REASONS)}); it is recorded with each "
                         "cancel.")
    return reason


def run_on_devices(args: argparse.Namespace, argv: Sequence[str], signals: RunSignals | None = None) -> int:
    from rich.console import Console

    from tiktok_promo.harness.run.config import check_reachable, load_run_config, world_folders
    from tiktok_promo.harness.run.fleet import parse_sim_faults, plan_devices
    from tiktok_promo.promo.hands_free import CancelRequest, HandsFreeRun
    from tiktok_promo.promo.render import stdout_console

    selection = selection_of(args) if args.command == "cancel" else None
    reason = reason_of(args) if args.command == "cancel" else None
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
        wanted = env_devices() or ([config.udid] if config.udid and config.virtual_device else [])
    # Devices first: adb answers locally at once, and "no device" is the more useful sentence.
    all_devices = args.all_devices
    if all_devices and not wanted and (config.local_grid or config.appium_url):
        from tiktok_promo.harness.run.grid import grid_devices, local_grid_devices

        # Through a Selenium Grid, the devices are the ones its nodes offer (their stereotypes' appium:udid).
        offered = local_grid_devices(config) if config.local_grid else grid_devices(config.appium_url or "")
        wanted, all_devices = (offered, False) if offered else (wanted, all_devices)
    specs = plan_devices(config, wanted, all_devices, faults)
    if config.appium_url:
        check_reachable(config.appium_url)
    redactor = Redactor.from_sources(os.environ, config.profile.capabilities)
    reports = reports_folder(getattr(args, "reports", None))
    folders = world_folders(config.world, *(spec.world for spec in specs))  # the files named are the person's
    targets = Targets(config, reports, redactor, worlds=folders, devices=len(specs))
    url = targets.start()
    specs = [dataclasses.replace(spec, config=targets.configured(spec.config)) for spec in specs]
    try:
        run = HandsFreeRun(specs, url, out=stdout_console(), err=Console(stderr=True), reports_dir=reports,
                           command_line=redactor.clean(shlex.join(["promo", *argv])), redactor=redactor,
                           debug=debug_enabled(), ledger_file=args.sim_ledger)
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
        died = targets.stop()
        if died:  # the devices' errors said "lost contact"; this says why
            say(f"promo: {died}")
