"""Coordinators' operations pages: the email outbox and the scheduled jobs."""
