"""Uploaded files: checking and storing them, and the evidence attached to progress updates
and visit reports."""
