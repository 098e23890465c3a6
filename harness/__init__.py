"""The engine: drives an Appium session and leaves a record of it, knowing nothing of TikTok's screens.

Rooms, from the screen outwards:
- `harness.ui`: finding things on a screen (locators as data, the finder, snapshots, waits, drift,
  the pop-up guard, the counting driver).
- `harness.run`: where a run goes (target profiles, the session, the Appium server, adb, the fleet of
  devices and their ports, the virtual device's host).
- `harness.report`: what a run leaves behind (evidence, Allure results and HTML, the audit log).
- `harness.bdd`: pytest-bdd helpers (tags, feature-file checks).
- below them all: `harness.errors` (the error tree), `harness.messages` (an error's one sentence) and
  `harness.redact` (secrets out of every text), which every room uses.

Inside, too, arrows point down: report and bdd may use run, run may use ui, and all of them the three
modules at the bottom; never the other way (the `harness` layers contract in pyproject.toml).

What the engine needs of the app (its package, its known pop-ups) is handed to it by `pages/` or
`flows/`; it never imports them (the import contract in pyproject.toml says so and CI checks it).
"""
