"""What a run leaves behind: evidence (screenshots, page sources), Allure results and the HTML report,
the audit log of cancels, and the redaction that keeps secrets out of all of them."""
