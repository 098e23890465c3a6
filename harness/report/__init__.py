"""What a run leaves behind: evidence (screenshots, page sources), Allure results and the HTML report,
and the audit log of cancels (all of it through harness.redact, which keeps secrets out)."""
