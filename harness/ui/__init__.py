"""Finding things on a screen: locators as data, the finder with its memory and drift record, snapshots of
one page source, condition waits, the pop-up guard and the command-counting driver."""
