"""Command-line entry points: they open the configured store, call the domain and the reports, and
say what they made. Run as ``python -m cli.<name>``."""
