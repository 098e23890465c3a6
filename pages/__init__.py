"""Page objects: one module per TikTok screen, each with its locators (as data) and its actions.

Every action returns the page that comes next. Pages report what the screen shows; they never
decide whether it is right (steps and flows.cancel_flow.CancelFlow do).
"""
