"""Calendar files and private calendar feeds of visits and follow-ups."""
