"""Where a run goes: target profiles (`profiles/*.yaml`, package data) and the run's config, the Appium
session, a local Appium 3 server, adb devices, the fleet of devices with their ports, and the host of
the virtual device (the only module of the engine that starts it), and the reader of recordings the
virtual device replays (harness.run.recording)."""
