"""The programme report for the funder: per theme and pair, what was done, as a page, an
Excel workbook and a PDF."""
