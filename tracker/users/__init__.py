"""User administration, for coordinators."""
