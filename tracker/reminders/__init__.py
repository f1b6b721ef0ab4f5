"""Reminder rules and the jobs that run them: who is told what, when, exactly once."""
