"""The virtual TikTok device: an Appium 3 / UiAutomator2-compatible server with a model of the app."""

from tiktok_promo.simulator.server import SimulatorServer

__all__ = ["SimulatorServer"]
