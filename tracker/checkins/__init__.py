"""After the programme: the implementing city's check-ins some months after its pair completed."""
