"""What `promo` tells a person when something goes wrong: its own usage error, its exit codes, and the one
line on stderr that any failure of the harness's error tree (harness.errors) becomes.

Exit codes, for schedulers (EXIT_CODES, which --help and docs/hands-free.md list): 0 all done, 1 some failed,
2 bad usage or input, 3 nothing matched, 4 not confirmed (the operator said no), 130 interrupted (Ctrl+C), 143
and 129 stopped by SIGTERM and SIGHUP (handled as Ctrl+C is).
"""

from __future__ import annotations

import signal
from enum import IntEnum

from tiktok_promo.harness.errors import CONFIGURATION, ConfigError, HarnessError
from tiktok_promo.harness.redact import Redactor


class ExitCode(IntEnum):
    """How a `promo` run ended, as its exit status."""

    OK = 0
    FAILED = 1  # some failed
    USAGE = 2  # bad usage or input (a flag, a profile, every device refused)
    NOTHING = 3  # nothing matched the selection
    DECLINED = 4  # the operator answered no (or nothing) at the question: a choice, not a failure
    INTERRUPTED = 130  # Ctrl+C, as a shell reports SIGINT (SIGTERM ends in 143, SIGHUP in 129: 128 + the signal)


EXIT_CODES = ("Exit codes: 0 all done, 1 some failed, 2 bad usage or input, 3 nothing matched, 4 not confirmed "
              "(answered no), 130 interrupted (Ctrl+C), 143 and 129 stopped by SIGTERM and SIGHUP.")


class UsageError(ConfigError):
    """A mistake in the command line; the message is one sentence, said by the (sub)command it is about."""

    def __init__(self, command: str, message: str) -> None:
        super().__init__(message)
        self.command = command


def error_line(error: HarnessError, redactor: Redactor) -> str:
    """The line on stderr for a failure: the command that says it, then its sentence, without secrets."""
    command = error.command if isinstance(error, UsageError) else "promo"
    return f"{command}: {redactor.clean(error.sentence)}"


def exit_code_of(error: HarnessError) -> ExitCode:
    """A person's mistake (usage, configuration) is 2; anything else that failed is 1."""
    return ExitCode.USAGE if error.category == CONFIGURATION else ExitCode.FAILED


class Stopped(KeyboardInterrupt):
    """Ctrl+C, SIGTERM or SIGHUP: what Ctrl+C raises, so a run stops the same way whichever came. The
    cancel in flight is finished and recorded, nothing more is attempted, the sessions are closed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
