"""Visits of a pair, and the outcome the expert logs after one is held."""
