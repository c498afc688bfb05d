"""Benchmarks that print figures against their references: `make bench` (see docs/performance.md)."""
