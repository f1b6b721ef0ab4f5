"""Bulk progress by spreadsheet: download the plan's progress sheet, fill it in, upload it.

An upload is checked row by row and applied as one transaction, or refused as a whole with the
list of problems. Each row carries the action's version, so a row about an action someone else
changed after the download is refused rather than silently overwriting their update.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.auth.models import User
from tracker.plans.models import Action, ActionPlan, ActionStatus
from tracker.plans.service import notify_progress, post_progress
from tracker.spreadsheets import Percentage, SpreadsheetError, Workbook, read_rows


def header() -> list[str]:
    """The columns' names, in the reader's language."""
    return [
        _("Action ID (do not change)"),
        _("Version (do not change)"),
        _("Action"),
        _("Current status"),
        _("Current %"),
        _("New status"),
        _("New %"),
        _("Note"),
    ]


WIDTHS = [12, 12, 50, 16, 10, 16, 10, 60]
NEW_STATUS_COLUMN = 5  # the sixth column, "New status"
NEW_PERCENT_COLUMN = 6  # "New %": whole numbers
MAX_ROWS = 2000
MAX_CELL_CHARS = 5000  # the longest note a progress update keeps


def status_by_text() -> dict[str, ActionStatus]:
    """A status as a sheet may give it: its value, or its label in the reader's language or in
    English (the sheet may have been downloaded in another language)."""
    texts = {status.value: status for status in ActionStatus}
    with force_locale("en"):
        texts |= {str(status.label).lower(): status for status in ActionStatus}
    return texts | {str(status.label).lower(): status for status in ActionStatus}


def progress_sheet(plan: ActionPlan) -> bytes:
    """The plan's actions, with empty 'new' columns for the officer to fill in."""
    workbook = Workbook()
    sheet = workbook.sheet(_("Progress"), header(), WIDTHS, {NEW_PERCENT_COLUMN: "0"})
    for action in plan.actions:
        sheet.append(
            [
                action.id,
                action.version_id,
                action.title,
                action.status.label,
                action.progress,
                "",
                "",
                "",
            ]
        )
    sheet.choose_from(NEW_STATUS_COLUMN, [status.label for status in ActionStatus])
    workbook.notes(_("How to fill in"), instructions())
    return workbook.to_bytes()


def instructions() -> list[str]:
    """What the sheet's second tab, and the upload page, tell the person filling it in."""
    return [
        _("How to fill in the progress sheet"),
        _(
            "On the Progress tab, fill in the new status, the new % and a note for the actions "
            "that moved. Leave the other rows empty."
        ),
        _("Do not change the first two columns (the action's ID and version)."),
        percent_rule(),
        _(
            "Then upload the sheet on the plan's page (Update progress by spreadsheet): either "
            "every change is saved, or nothing is and you see what to correct."
        ),
    ]


def percent_rule() -> str:
    """How a new % is read: the sheet's instructions and the upload page say it alike."""
    # The column's name is a variable, so the message is a real format string with %% for "%".
    return _(
        "%(column)s: a whole number from 0 to 100. A cell formatted as a percentage counts as "
        "the percentage it shows: 40%% is 40, 100%% is 100.",
        column=header()[NEW_PERCENT_COLUMN],
    )


@dataclass
class RowChange:
    action: Action
    status: ActionStatus
    progress: int
    note: str


@dataclass
class UploadResult:
    changes: list[RowChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_upload(plan: ActionPlan, data: bytes) -> UploadResult:
    """Check every row of an uploaded progress sheet against the plan; change nothing."""
    result = UploadResult()
    rows = _rows(data, result)
    actions = {action.id: action for action in plan.actions}
    for number, row in rows:
        change = _check_row(number, row, actions, result.problems)
        if change is not None:
            result.changes.append(change)
    if not result.changes and not result.problems:
        result.problems.append(_("The sheet has no new status, new percentage or note in any row."))
    return result


def apply_upload(actor: User, plan: ActionPlan, result: UploadResult) -> None:
    """Post every checked change (the caller commits them together), and tell reviewers once."""
    for change in result.changes:
        post_progress(
            actor,
            change.action,
            status=change.status,
            progress=change.progress,
            note=change.note,
            notify_reviewers=False,
        )
    notify_progress(actor, plan, [change.action for change in result.changes])


def _rows(data: bytes, result: UploadResult) -> list[tuple[int, tuple[Any, ...]]]:
    try:
        return read_rows(
            data, columns=len(WIDTHS), max_rows=MAX_ROWS, max_cell_chars=MAX_CELL_CHARS
        )
    except SpreadsheetError as error:
        result.problems.append(str(error))
        return []


def _check_row(
    number: int, row: tuple[Any, ...], actions: dict[int, Action], problems: list[str]
) -> RowChange | None:
    action_id, version, _title, _status, current, new_status, new_progress, note = row[:8]
    if new_status in (None, "") and new_progress in (None, "") and note in (None, ""):
        return None  # nothing to report for this action
    action = actions.get(_as_int(action_id))
    if action is None:
        problems.append(
            _("Row %(row)d: there is no action %(id)s in this plan.", row=number, id=action_id)
        )
        return None
    if _as_int(version) != action.version_id:
        problems.append(
            _(
                "Row %(row)d: '%(title)s' was changed by someone else after the sheet was "
                "downloaded. Download a new sheet.",
                row=number,
                title=action.title,
            )
        )
        return None
    status = (
        action.status
        if new_status in (None, "")
        else status_by_text().get(str(new_status).strip().lower())
    )
    if status is None:
        problems.append(
            _("Row %(row)d: '%(status)s' is not a status.", row=number, status=new_status)
        )
        return None
    progress = action.progress if new_progress in (None, "") else _as_percentage(new_progress)
    if progress is None:
        problems.append(
            _("Row %(row)d: the new %% must be a whole number from 0 to 100.", row=number)
        )
        return None
    if status is ActionStatus.DONE and progress != 100:
        problems.append(_("Row %(row)d: a done action is 100%% complete.", row=number))
        return None
    return RowChange(action, status, progress, "" if note is None else str(note))


def _as_int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _as_percentage(value: Any) -> int | None:
    """A whole percentage from 0 to 100, as the cell shows it: 40, "40 %", or a cell formatted
    as a percentage holding 0.4."""
    if isinstance(value, Percentage):
        number = _as_int(value)
    else:
        number = _as_int(str(value).strip().rstrip("%").strip())
    return number if number is not None and 0 <= number <= 100 else None
