"""Finding cities, pairs, actions, visits and deliverables the user may see."""
