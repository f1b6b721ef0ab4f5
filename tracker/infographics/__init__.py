"""The infographic of a mentoring scheme: one page, drawn from the pair's live data, as SVG, PNG
and PDF, that can be attached to the pair's infographic deliverable."""
