"""The home page of each role."""
