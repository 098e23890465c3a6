"""The repo's pytest wiring is the app's plugin, steps/pytest_plugin.py: this file only loads it.

Installed (make setup), pytest already loaded it through the package's `pytest11` entry point, registered
under the module's own name, so naming it here again loads nothing twice; in a checkout that is not
installed (or with PYTEST_DISABLE_PLUGIN_AUTOLOAD) this line is what loads it.
"""

pytest_plugins = ["tiktok_promo.steps.pytest_plugin"]
