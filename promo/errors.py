"""What `promo` tells a person when something goes wrong: its own usage error, its exit codes, and the one
line on stderr that any failure of the harness's error tree (harness.errors) becomes.

Exit codes, for schedulers: 0 all done, 1 some failed (or not confirmed), 2 bad usage or input, 3 nothing
matched, 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

from enum import IntEnum

from harness.errors import CONFIGURATION, ConfigError, HarnessError
from harness.redact import Redactor


class ExitCode(IntEnum):
    """How a `promo` run ended, as its exit status."""

    OK = 0
    FAILED = 1  # some failed, or the cancel was not confirmed
    USAGE = 2  # bad usage or input (a flag, a profile, every device refused)
    NOTHING = 3  # nothing matched the selection
    INTERRUPTED = 130  # Ctrl+C, as a shell reports SIGINT


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
