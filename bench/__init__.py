"""Benchmarks: a synthetic data set at a scale factor, page timings, reminder runs, load."""
