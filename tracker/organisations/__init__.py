"""Organisations: cities, expert partners and the coordinating network."""
