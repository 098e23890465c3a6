"""What the Gherkin steps and the `promo` command both do with pages: the checked cancel, recovery from
a device's hiccups, choosing promotions, and reading them. Above `pages/`, below `steps/` and `promo/`."""
