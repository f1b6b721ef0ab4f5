"""Changing the catalogue from the app: loading a catalogue file, audited. A benchmark the
file changes becomes a draft of its theme, published only when someone confirms it."""

from __future__ import annotations

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.benchmarks.service import take_loaded_benchmarks
from tracker.catalogue.loader import CatalogueError, LoadReport, load_document, parse
from tracker.exceptions import RuleViolation
from tracker.messages import N_


def load_catalogue_file(actor: User, data: bytes, filename: str) -> LoadReport:
    """Load an uploaded catalogue file; refuse it whole, with the reason, if it is not valid."""
    try:
        report = load_document(parse(data, filename))
    except CatalogueError as error:
        raise RuleViolation(str(error), "file") from error
    take_loaded_benchmarks(actor, report, filename, first=False)
    record(
        actor,
        "catalogue.loaded",
        "Catalogue",
        N_(
            "Loaded catalogue file %(filename)s: %(changes)s",
            filename=filename,
            changes=report.describe(),
        ),
        programmes=report.programmes,
    )
    return report
