"""Local action plans: the implementing city's plan for a pair, its actions and their progress."""
