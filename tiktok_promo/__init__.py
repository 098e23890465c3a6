"""The one import package of the TikTok promotion harness: `tiktok_promo.<layer>`.

The layers live at the top of the repo, where QA expect them (features/, steps/, pages/, flows/, promo/,
harness/, simulator/, releases/), and are linked here (relative symlinks), so that the installed wheel puts one
name, `tiktok_promo`, into site-packages instead of seven generic ones (a QA suite's own `pages/` would shadow
ours, or ours it). Import them as `from tiktok_promo.pages.feed import FeedPage`, never bare.
"""
