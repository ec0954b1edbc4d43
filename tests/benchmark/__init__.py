"""Figures for scripts/benchmark.py; skipped in ordinary test runs."""
