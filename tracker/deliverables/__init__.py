"""Deliverables the programme owes its funder, with their files and links."""
