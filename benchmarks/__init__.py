"""Speed checks, run as ``python -m benchmarks.<name>``."""
