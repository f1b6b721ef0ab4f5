"""Personal data: what the tracker holds about a person, erasing it, and how long it is kept."""
