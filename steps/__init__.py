"""Step definitions: one Gherkin sentence, one page-object or harness call.

The modules are registered by the app's pytest plugin (steps/pytest_plugin.py, pytest_plugins), so a new
feature that recombines these sentences needs no new Python.
"""
