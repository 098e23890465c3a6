"""Step definitions: one Gherkin sentence, one page-object or harness call.

The modules are registered by the top-level conftest (pytest_plugins), so a new feature that
recombines these sentences needs no new Python.
"""
