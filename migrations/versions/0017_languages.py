"""languages: each person's own language; audit entries and notifications as message ids

Revision ID: 0017_languages
Revises: 0016_after_programme
Create Date: 2026-12-06 19:55:00

A person may choose the language of their pages and emails (user.language; empty follows the
browser). Audit entries and notifications keep their sentence as a message id and parameters,
written in each reader's language (tracker/messages.py), beside the English words they had.

Existing rows were English sentences. Each is compared with the sentences the tracker wrote
(the message ids below, frozen as they were at this revision, each made a pattern whose
placeholders match anything); a row that matches gets the message id and the parameters read
from it: numbers as numbers, dates as dates, statuses and kinds as their codes (so they are
translated too). A row that matches none keeps its English words, and is shown as it is.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from alembic import op
import sqlalchemy as sa


revision = '0017_languages'
down_revision = '0016_after_programme'
branch_labels = None
depends_on = None

# The sentences as message ids (the same words as the calls of N_ in the code at this
# revision), with which parameter holds which kind of label.
SENTENCES: dict[str, dict[str, str]] = {
    "Confirmed at once %(count)d answers carried over from the %(source)s round into the "
    "%(round)s self-assessment of %(city)s on theme %(theme)s": {
        "source": "AssessmentRound",
        "round": "AssessmentRound",
    },
    "Confirmed at once %(count)d answers carried over into the %(round)s self-assessment of "
    "%(city)s on theme %(theme)s": {"round": "AssessmentRound"},
    "Started the %(round)s self-assessment of %(city)s on theme %(theme)s (%(date)s, "
    "%(count)d answers carried over from the %(source)s round), against version %(number)d "
    "of the benchmark": {"round": "AssessmentRound", "source": "AssessmentRound"},
    "Started the %(round)s self-assessment of %(city)s on theme %(theme)s (%(date)s), against "
    "version %(number)d of the benchmark": {"round": "AssessmentRound"},
    "Completed the %(round)s self-assessment of %(city)s on theme %(theme)s (%(rated)d of "
    "%(factors)d factors rated)": {"round": "AssessmentRound"},
    "Saved the %(round)s self-assessment of %(city)s on theme %(theme)s (%(rated)d of "
    "%(factors)d factors rated)": {"round": "AssessmentRound"},
    "Reopened the %(round)s self-assessment of %(city)s on theme %(theme)s": {
        "round": "AssessmentRound"
    },
    "Set %(count)d target levels of %(city)s on theme %(theme)s": {},
    "%(name)s changed their password": {},
    "%(name)s set their password from an emailed link": {},
    "Password reset link sent to %(email)s": {},
    "Published version %(number)d of theme %(theme)s's benchmark: %(summary)s": {},
    "Published version 1 of theme %(theme)s's benchmark from the catalogue": {},
    "Theme %(code)s's benchmark is now version %(number)d: %(summary)s": {},
    "Added factor '%(factor)s' in the draft of theme %(theme)s's benchmark": {},
    "Changed factor '%(factor)s' in the draft of theme %(theme)s's benchmark": {},
    "Moved factor '%(factor)s' up to place %(place)d in the draft of theme %(theme)s's "
    "benchmark": {},
    "Moved factor '%(factor)s' down to place %(place)d in the draft of theme %(theme)s's "
    "benchmark": {},
    "Took factor '%(factor)s' out of the draft of theme %(theme)s's benchmark": {},
    "Discarded the draft of theme %(theme)s's benchmark": {},
    "Made a draft of theme %(theme)s's benchmark from the file %(filename)s: %(summary)s": {},
    "Moved to the bin: %(title)s (with %(others)s)": {},
    "Moved to the bin: %(title)s": {},
    "Restored from the bin: %(title)s": {},
    "%(name)s reset their calendar feed address": {},
    "%(name)s created their calendar feed address": {},
    "%(name)s chose what their calendar feed shows: %(kinds)s": {},
    "Loaded catalogue file %(filename)s: %(changes)s": {},
    "Check-in %(months)d months after %(pair)s completed: %(answers)s": {},
    "Registered the deliverable '%(title)s' (due %(date)s, %(organisation)s)": {},
    "Changed the deliverable '%(title)s' (due %(date)s, %(organisation)s)": {},
    "Deliverable '%(title)s': %(previous)s → %(status)s (%(comment)s)": {
        "previous": "DeliverableStatus",
        "status": "DeliverableStatus",
    },
    "Deliverable '%(title)s': %(previous)s → %(status)s": {
        "previous": "DeliverableStatus",
        "status": "DeliverableStatus",
    },
    "'%(title)s' was submitted for approval": {},
    "'%(title)s' was approved": {},
    "'%(title)s' was sent back for more work": {},
    "Added the file %(file)s to '%(title)s' (replacing %(replaced)s)": {},
    "Added the file %(file)s to '%(title)s'": {},
    "Added the link %(url)s to '%(title)s'": {},
    "Action plan of %(pair)s: now %(status)s": {"status": "PlanStatus"},
    "%(city)s posted progress on action '%(title)s' of %(pair)s — %(progress)s, %(status)s": {
        "status": "ActionStatus"
    },
    "%(city)s posted progress on action '%(title)s' — %(progress)s, %(status)s": {
        "status": "ActionStatus"
    },
    "Attached %(files)s to the report of the visit of %(pair)s": {},
    "Removed %(file)s from the report of the visit of %(pair)s": {},
    "%(name)s unsubscribed by an email's link": {},
    "Created organisation %(name)s": {},
    "Updated organisation %(name)s": {},
    "Paired %(mentor)s (mentor) and %(implementing)s (implementing) on theme %(theme)s": {},
    "Updated the pair of %(mentor)s (mentor) and %(implementing)s (implementing) on theme "
    "%(theme)s": {},
    "Pair %(pair)s: %(previous)s → %(status)s": {
        "previous": "PairStatus",
        "status": "PairStatus",
    },
    "Withdrew the progress update of %(date)s on '%(title)s' (%(reason)s)": {},
    "Started the action plan of %(pair)s": {},
    "Updated the action plan of %(pair)s": {},
    "Action plan of %(pair)s: %(previous)s → %(status)s (%(body)s, %(date)s)": {
        "previous": "PlanStatus",
        "status": "PlanStatus",
    },
    "Action plan of %(pair)s: %(previous)s → %(status)s": {
        "previous": "PlanStatus",
        "status": "PlanStatus",
    },
    "The action plan of %(pair)s is now %(status)s": {"status": "PlanStatus"},
    "Added the action '%(title)s' of %(pair)s": {},
    "Changed the action '%(title)s' of %(pair)s": {},
    "%(pair)s: %(city)s posted progress on '%(title)s'": {},
    "%(pair)s: %(city)s posted progress on %(count)d actions": {},
    "%(name)s commented on the action '%(title)s' of %(pair)s": {},
    "%(name)s commented on the action plan of %(pair)s": {},
    "Erased the personal data of account #%(id)d": {},
    "Created the programme %(name)s (%(key)s)": {},
    "Changed the programme %(name)s (%(key)s)": {},
    "Added theme %(theme)s of %(programme)s, facilitated by %(expert)s": {},
    "Changed theme %(theme)s of %(programme)s, facilitated by %(expert)s": {},
    "Added theme %(theme)s of %(programme)s": {},
    "Changed theme %(theme)s of %(programme)s": {},
    "Added the context factor '%(title)s' of %(programme)s": {},
    "Changed the context factor '%(title)s' of %(programme)s": {},
    "Added the deliverable '%(title)s' every pair of %(programme)s owes, due %(months)d "
    "months after the pair starts": {},
    "Changed the deliverable '%(title)s' every pair of %(programme)s owes, due %(months)d "
    "months after the pair starts": {},
    "Registered the deliverable '%(title)s' (due %(date)s, %(organisation)s) by the "
    "programme's template": {},
    "Moved '%(title)s' from %(previous)s to %(date)s with the pair's start": {},
    "Weekly digest: %(risk)d pairs at risk, %(attention)d need attention": {},
    "Reminder: the check-in %(months)d months after %(pair)s completed is still to be "
    "answered": {},
    "%(months)d months after %(pair)s completed: a short check-in on your action plan": {},
    "Deliverable due on %(date)s: %(title)s": {},
    "Deliverable overdue since %(date)s: %(title)s": {},
    "Action due on %(date)s: %(title)s": {},
    "Action overdue since %(date)s: %(title)s": {},
    "No progress posted on the action plan of %(pair)s for %(days)d days": {},
    "Nobody has updated the action '%(title)s' of %(pair)s for %(days)d days": {},
    "The action plan of %(pair)s has been waiting for your review for %(days)d days": {},
    "The %(level)s endorsement of the action plan of %(pair)s is still to be recorded "
    "(%(days)d days)": {"level": "EndorsementLevel"},
    "Follow-up due on %(date)s: %(title)s": {},
    "Follow-up overdue since %(date)s: %(title)s": {},
    "The report of the visit of %(pair)s on %(date)s is still to be written": {},
    "Peer reading in %(programme)s: on": {},
    "Peer reading in %(programme)s: off": {},
    "Sent %(name)s the invitation again": {},
    "Made a new set-password link for %(name)s; earlier links no longer work": {},
    "Invited %(count)d people from a file": {},
    "Added %(count)d organisations from a file": {},
    "Created account for %(name)s (%(role)s, %(organisation)s)": {"role": "Role"},
    "Updated account for %(name)s (%(role)s, %(organisation)s)": {"role": "Role"},
    "The report of the %(kind)s of %(pair)s is available": {"kind": "VisitKind"},
    "Logged the report of the visit of %(pair)s on %(date)s (%(changes)s)": {},
    "Updated the report of the visit of %(pair)s on %(date)s (%(changes)s)": {},
    "Planned a %(kind)s for %(pair)s on %(date)s": {"kind": "VisitKind"},
    "Updated the visit of %(pair)s": {},
    "Recorded the %(kind)s of %(pair)s on %(date)s as held, afterwards": {"kind": "VisitKind"},
    "Visit of %(pair)s on %(date)s: %(previous)s → %(status)s": {
        "previous": "VisitStatus",
        "status": "VisitStatus",
    },
    "Set %(count)d factors in focus for the visit of %(pair)s": {},
    "%(kind)s %(pair)s on %(date)s": {"kind": "VisitKind"},
}

# Each kind of label as it was written (English label: code), frozen at this revision.
LABELS = {
    "PlanStatus": {
        "Draft": "draft",
        "Under review": "under_review",
        "Administratively endorsed": "admin_endorsed",
        "Politically endorsed": "politically_endorsed",
        "In implementation": "in_implementation",
        "Completed": "completed",
    },
    "PairStatus": {
        "Planned": "planned",
        "Active": "active",
        "Completed": "completed",
        "Withdrawn": "withdrawn",
    },
    "DeliverableStatus": {
        "Planned": "planned",
        "In progress": "in_progress",
        "Submitted": "submitted",
        "Approved": "approved",
    },
    "VisitStatus": {
        "Planned": "planned",
        "Confirmed": "confirmed",
        "Held": "held",
        "Reported": "reported",
        "Cancelled": "cancelled",
    },
    "VisitKind": {
        "Mentoring visit": "mentoring",
        "Study visit": "study",
        "Online meeting": "online",
        "Final review": "final_review",
    },
    "ActionStatus": {
        "Not started": "not_started",
        "On track": "on_track",
        "At risk": "at_risk",
        "Delayed": "delayed",
        "Done": "done",
        "Dropped": "dropped",
    },
    "AssessmentRound": {"Baseline": "baseline", "Mid-term": "midterm", "Final": "final"},
    "Role": {"Coordinator": "coordinator", "City member": "city", "Expert": "expert"},
}
# Words that were not labels of an enum but are messages of their own.
WORDS = {"EndorsementLevel": {"administrative": "administrative", "political": "political"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")
CHUNK = 500


def pattern(msgid: str) -> re.Pattern[str]:
    """The message id as a pattern: its words as they are, each placeholder a named group."""
    parts, end = [], 0
    for match in PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[end : match.start()]))
        name, kind = match.groups()
        parts.append(rf"(?P<{name}>-?\d+)" if kind == "d" else rf"(?P<{name}>.+?)")
        end = match.end()
    parts.append(re.escape(msgid[end:]))
    return re.compile("".join(parts), re.DOTALL)


# The most specific sentences first (the most words of their own), so that a sentence with
# an optional part is not taken for the shorter one without it.
PATTERNS = sorted(
    ((msgid, pattern(msgid)) for msgid in SENTENCES),
    key=lambda item: -len(PLACEHOLDER.sub("", item[0])),
)


def recognised(text: str) -> tuple[str, dict] | None:
    """The message id and parameters an English sentence was written from, if any."""
    for msgid, compiled in PATTERNS:
        match = compiled.fullmatch(text)
        if match:
            kinds = SENTENCES[msgid]
            numbers = {name for name, kind in PLACEHOLDER.findall(msgid) if kind == "d"}
            return msgid, {
                name: int(value) if name in numbers else parameter(value, kinds.get(name))
                for name, value in match.groupdict().items()
            }
    return None


def parameter(value: str, kind: str | None):
    """A parameter as the code keeps it: a label by its code, a number, a date, a share."""
    if kind in WORDS:
        return {"msgid": value, "params": {}, "plural": None} if value in WORDS[kind] else value
    if kind in LABELS:
        labels = LABELS[kind]
        if value in labels:
            return {"enum": kind, "value": labels[value]}
        lowered = {label.lower(): code for label, code in labels.items()}
        for known in (lowered, {code: code for code in labels.values()}):
            if value in known:
                # Written in lower case (or as its code) within the sentence: so it stays.
                return (
                    {"enum": kind, "value": known[value]}
                    if kind == "Role"
                    else {"enum": kind, "value": known[value], "in_sentence": True}
                )
        return value
    if re.fullmatch(r"\d{1,3}%", value):
        return {"percent": int(value[:-1])}
    for written in ("%d %b %Y", "%Y-%m-%d"):
        try:
            return {"date": datetime.strptime(value, written).date().isoformat()}
        except ValueError:
            continue
    return value


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('msgid', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_msgid', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('subject_params', sa.JSON(), nullable=True))
    convert('audit_entry', 'summary', 'msgid', 'params')
    convert('notification', 'subject', 'subject_msgid', 'subject_params')


def convert(table_name: str, text: str, msgid: str, params: str) -> None:
    """Give each recognised row its message id and parameters, a chunk of rows at a time."""
    table = sa.table(
        table_name,
        sa.column('id', sa.Integer),
        sa.column(text, sa.String),
        sa.column(msgid, sa.String),
        sa.column(params, sa.JSON),
    )
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c[text])
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        last_id = rows[-1][0]
        for row_id, words in rows:
            found = recognised(words or "")
            if found is not None:
                connection.execute(
                    table.update()
                    .where(table.c.id == row_id)
                    .values({msgid: found[0], params: found[1]})
                )


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('subject_params')
        batch_op.drop_column('subject_msgid')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('msgid')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('language')
