"""Everything the tracker holds about one person, as plain data for a JSON download."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from tracker.assessments.models import Assessment, FactorTarget
from tracker.audit.models import AuditEntry
from tracker.auth.models import User, UserSession
from tracker.benchmarks.models import BenchmarkDraft, BenchmarkVersion
from tracker.bin.models import BinEntry
from tracker.checkins.models import CheckIn
from tracker.deliverables.models import Deliverable, DeliverableFile, DeliverableLink
from tracker.extensions import db
from tracker.files.models import Attachment
from tracker.notifications.models import EmailOptOut, Notification, OutboxEmail
from tracker.plans.models import (
    Action,
    Endorsement,
    PlanComment,
    ProgressUpdate,
    ProgressWithdrawal,
)
from tracker.sharing.models import PeerReading
from tracker.visits.models import FollowUp, Visit, VisitParticipant, VisitReport

ACCOUNT_FIELDS = (
    "id",
    "name",
    "email",
    "role",
    "job_title",
    "timezone",
    "email_frequency",
    "active",
    "created_at",
    "updated_at",
    "last_sign_in_at",
)

# Every place a row points at a person: (section, the column naming them, what to include).
# A test checks that each foreign key to user.id in the schema is listed here.
SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("visits_attended", VisitParticipant.user_id, ("visit_id",)),
    ("visits_planned", Visit.created_by_id, ("id", "pair_id", "kind", "starts_on", "status")),
    ("visit_reports_written", VisitReport.author_id, ("visit_id", "summary", "created_at")),
    ("follow_ups_owned", FollowUp.owner_user_id, ("report_id", "text", "due_on", "done_at")),
    (
        "assessments_completed",
        Assessment.completed_by_id,
        ("id", "city_id", "round", "completed_at"),
    ),
    ("targets_set", FactorTarget.set_by_id, ("city_id", "factor_id", "level", "set_at")),
    (
        "benchmark_versions_published",
        BenchmarkVersion.published_by_id,
        ("theme_id", "number", "published_at", "note"),
    ),
    ("benchmark_drafts_changed", BenchmarkDraft.updated_by_id, ("theme_id", "updated_at")),
    ("actions_owned", Action.owner_user_id, ("id", "plan_id", "title", "status", "progress")),
    (
        "progress_updates",
        ProgressUpdate.author_id,
        ("action_id", "created_at", "status", "progress", "note", "evidence_url"),
    ),
    ("plan_comments", PlanComment.author_id, ("plan_id", "action_id", "created_at", "body")),
    (
        "progress_updates_withdrawn",
        ProgressWithdrawal.withdrawn_by_id,
        ("update_id", "withdrawn_at", "reason"),
    ),
    ("deleted_to_the_bin", BinEntry.deleted_by_id, ("kind", "title", "deleted_at")),
    (
        "files_attached",
        Attachment.uploaded_by_id,
        ("progress_update_id", "visit_report_id", "original_name", "size_bytes", "uploaded_at"),
    ),
    (
        "endorsements_recorded",
        Endorsement.recorded_by_id,
        ("plan_id", "level", "body", "recorded_at"),
    ),
    ("deliverables_approved", Deliverable.approved_by_id, ("id", "title", "approved_at")),
    (
        "files_uploaded",
        DeliverableFile.uploaded_by_id,
        ("deliverable_id", "original_name", "size_bytes", "uploaded_at"),
    ),
    ("links_added", DeliverableLink.added_by_id, ("deliverable_id", "url", "label", "added_at")),
    (
        "notifications",
        Notification.user_id,
        ("created_at", "kind", "subject", "body", "link", "read_at", "emailed_at"),
    ),
    ("emails", OutboxEmail.user_id, ("created_at", "subject", "status", "sent_at")),
    ("emails_turned_off", EmailOptOut.user_id, ("kind",)),
    (
        "signed_in_sessions",
        UserSession.user_id,
        ("created_at", "last_seen_at", "address", "browser", "remember", "ended_at"),
    ),
    (
        "changes_made",
        AuditEntry.actor_id,
        ("at", "action", "subject_type", "subject_id", "summary"),
    ),
    (
        "check_ins_answered",
        CheckIn.answered_by_id,
        ("pair_id", "months", "plan_still_endorsed", "what_changed", "answered_at"),
    ),
    ("peer_reading_turned_on", PeerReading.turned_on_by_id, ("programme_id", "turned_on_at")),
)


def personal_data(user: User, exported_at: datetime) -> dict[str, Any]:
    """The person's account and every record that names them (one query per section)."""
    data: dict[str, Any] = {
        "exported_at": exported_at.isoformat(),
        "account": {field: _plain(getattr(user, field)) for field in ACCOUNT_FIELDS},
    }
    data["account"]["organisation"] = user.organisation.name
    for section, column, fields in SECTIONS:
        model = column.class_
        rows = db.session.execute(
            sa.select(*(getattr(model, field) for field in fields))
            .where(column == user.id)
            .order_by(*model.__table__.primary_key.columns)
        )
        data[section] = [
            {field: _plain(value) for field, value in zip(fields, row, strict=True)} for row in rows
        ]
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def personal_data_file(user: User, now: datetime) -> tuple[str, str]:
    """The person's data as a JSON document, and the name to download it under."""
    body = json.dumps(personal_data(user, now), ensure_ascii=False, indent=2)
    return body, f"personal-data-{user.id}.json"
