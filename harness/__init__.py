"""The engine the Gherkin steps and the `promo` command share.

Session start and stop, target profiles, waits, the locator model with its memory and drift record,
the pop-up guard, Allure evidence, and the safe cancel flow. Nothing above this package knows which
target (the virtual device or a real Appium server) it talks to.
"""
