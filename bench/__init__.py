"""Benchmarks: the production server on loopback, driven by wrk, compared with the ceiling view.

Run with `make bench` (full) or `uv run python -m bench --quick` (a few seconds per scenario).
"""
