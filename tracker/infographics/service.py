"""Attaching a generated infographic to the pair's infographic deliverable."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.auth.models import User
from tracker.deliverables.models import (
    Deliverable,
    DeliverableFile,
    DeliverableKind,
    DeliverableStatus,
)
from tracker.deliverables.service import add_file
from tracker.exceptions import RuleViolation

# Generated files are named so; a file someone uploaded by hand is never replaced by one.
GENERATED_PREFIX = "generated-infographic"
PDF = "application/pdf"


def earlier_generated_file(deliverable: Deliverable) -> DeliverableFile | None:
    """The deliverable's current file that an earlier 'attach' generated, if any."""
    return next(
        (
            stored
            for stored in deliverable.files
            if stored.is_current
            and stored.content_type == PDF
            and stored.original_name.startswith(GENERATED_PREFIX)
        ),
        None,
    )


def attach_infographic(
    actor: User, deliverable: Deliverable, filename: str, pdf: bytes
) -> DeliverableFile:
    """Add the generated PDF to the infographic deliverable; an earlier generated one is
    replaced and kept as an older version. The file's addition is audited by add_file."""
    if deliverable.kind is not DeliverableKind.INFOGRAPHIC:
        raise RuleViolation(_("Only an infographic deliverable takes a generated infographic."))
    if deliverable.status is DeliverableStatus.APPROVED:
        # What the coordinators approved stays as it was; a new edition is a new deliverable.
        raise RuleViolation(
            _("The infographic deliverable is already approved, so its files no longer change.")
        )
    earlier = earlier_generated_file(deliverable)
    return add_file(
        actor, deliverable, filename, pdf, replaces_id=earlier.id if earlier is not None else None
    )
