"""The `promo` command for operators: argument parsing, the hands-free run, one job per device, tables,
progress and exit codes. Beside `steps/`, above `flows/`."""
