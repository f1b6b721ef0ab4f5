"""Hostile-input tests: malformed, oversized and malicious values thrown at every route and form.

The routes come from the application's URL map, and the forms from the pages themselves, so a
new route or field is exercised without touching these tests (and a route whose URL cannot be
built from the test world fails loudly, asking for the world to be extended).
"""
