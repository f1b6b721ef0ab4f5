"""Notifications to users, produced by events and by the reminder jobs."""
