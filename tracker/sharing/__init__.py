"""Peer reading: with a programme's setting on, its cities read the other pairs' plans, visit
reports and self-assessment results, never editing them."""
