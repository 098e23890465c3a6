"""pytest-bdd helpers that know nothing of TikTok: tags to markers and Allure labels, feature-file checks."""
