"""Pairs: mentoring schemes of a mentor and an implementing city on a theme."""
