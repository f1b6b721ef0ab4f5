"""What the programme learns across its pairs: the benchmark across cities, pairing suggestions."""
