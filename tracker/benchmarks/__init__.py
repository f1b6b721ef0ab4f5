"""Writing and revising benchmarks: a theme's draft, its published versions, and the
differences between them."""
