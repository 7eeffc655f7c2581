"""Benchmarks: our layer timed against the fastest possible (the limit) and what a peer would run."""
