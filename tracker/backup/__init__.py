"""Backups: a consistent snapshot of the database and the uploaded files, and restoring one.

`flask tracker backup` writes one .tar.gz archive (manifest, every row as JSON, the uploaded
files, and on SQLite a copy made with the online backup API); `flask tracker restore` brings the
JSON and the files back into any supported database. See docs/operations.md.
"""
