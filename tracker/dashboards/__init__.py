"""What each role sees first: the health of every pair, and the work waiting for them."""
