"""Self-assessments: a city rates itself against a theme's benchmark, round by round."""
