"""The authorization policy, written once and used by every view.

- `rules`: how a user relates to an object, which relations grant each need, and which need
  each status change requires;
- `scopes`: the same rules as SQL conditions, for every list, count, search and export;
- `loaders`: `get_<object>_or_404(id, need)`, loading an object and checking the need in one
  step (404 outside the user's scope, 403 within it but beyond their rights);
- `guards`: whole areas (the coordinators' administration) and the sign-in requirement.
"""
