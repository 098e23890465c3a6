"""The one sentence a person reads for an error, wherever it is shown (console, audit log, report)."""

from __future__ import annotations

from tiktok_promo.harness.errors import HarnessError

_SELENIUM_HELP = "; For documentation on this error"


def without_help_link(text: str) -> str:
    """The text without the help link Selenium appends to every session error (it is not the sentence)."""
    return text.split(_SELENIUM_HELP)[0]


def sentence(error: BaseException) -> str:
    """The error's own sentence, without Selenium's help link; never a traceback."""
    text = str(error).strip() or type(error).__name__
    text = without_help_link(text).strip()
    if not isinstance(error, HarnessError):
        # Not an error the harness knows: still one line, named for what it is (PROMO_DEBUG=1 shows more).
        text = f"Unexpected {type(error).__name__}: {text.splitlines()[0]}"
    return text


def classified(error: BaseException) -> str:
    """The sentence after the error's class name: the report's categories (harness.report.scenario_results)
    match on it."""
    return f"{type(error).__name__}: {sentence(error)}"
