"""A plan's figures over its actions, kept by the database itself.

Every dashboard row shows a plan's mean progress and the recommendations it takes up; read from
the actions, that is every action of every plan of the programme on every visit. So the plan's
row holds three figures over its actions that are not dropped — how many there are, their
progress added up, and how many distinct recommendations they take up — and triggers on
`action` count them again in the same transaction as any change to an action's plan, status,
progress or recommendation, whatever makes it: the services through the ORM, the bin and a
restore through Core statements, a recommendation deleted under an action. Nothing is kept
for a time; the figures are as current as the actions.

The triggers are created by migration 0022 and, for `create_all`, by the DDL listeners in
plans/models.py. Changing them takes a new migration that drops and creates them again.
"""

from __future__ import annotations

import sqlalchemy as sa

TRIGGER_COLUMNS = "plan_id, status, progress, recommendation_id"
COUNTED = "status <> 'dropped'"

# The figures of the plan `{plan}` (an SQL expression), counted from its actions.
FIGURES = f"""actions_counted = (SELECT count(*) FROM action WHERE plan_id = {{plan}} AND {COUNTED}),
    progress_total = (
        SELECT coalesce(sum(progress), 0) FROM action WHERE plan_id = {{plan}} AND {COUNTED}
    ),
    recommendations_taken_up = (
        SELECT count(DISTINCT recommendation_id) FROM action
        WHERE plan_id = {{plan}} AND {COUNTED}
    )"""  # noqa: S608 - SQL of our own: no value from outside ever reaches it


def _recount(plan: str) -> str:
    return f"UPDATE action_plan SET {FIGURES.format(plan=plan)} WHERE id = {plan}"  # noqa: S608


SQLITE_TRIGGERS = {
    "action_figures_inserted": f"AFTER INSERT ON action BEGIN {_recount('NEW.plan_id')}; END",
    "action_figures_updated": (
        f"AFTER UPDATE OF {TRIGGER_COLUMNS} ON action BEGIN {_recount('OLD.plan_id')}; "
        f"{_recount('NEW.plan_id')} AND NEW.plan_id <> OLD.plan_id; END"
    ),
    "action_figures_deleted": f"AFTER DELETE ON action BEGIN {_recount('OLD.plan_id')}; END",
}

# On PostgreSQL the plan's row is locked before its actions are counted: the count then sees
# whatever another transaction committed to the plan's actions while this one waited for the
# row (an UPDATE that waits for a row reads the row again, not the subqueries that set it).
POSTGRESQL_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION action_plan_recount(plan integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM action_plan WHERE id = plan FOR NO KEY UPDATE;
    {_recount("plan")};
END $$""",
    """CREATE OR REPLACE FUNCTION action_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM action_plan_recount(OLD.plan_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.plan_id <> OLD.plan_id) THEN
        PERFORM action_plan_recount(NEW.plan_id);
    END IF;
    RETURN NULL;
END $$""",
]
POSTGRESQL_TRIGGER = (
    f"CREATE TRIGGER action_figures AFTER INSERT OR DELETE OR UPDATE OF {TRIGGER_COLUMNS} "
    "ON action FOR EACH ROW EXECUTE FUNCTION action_figures()"
)


def create_triggers(connection: sa.Connection) -> None:
    """The triggers that keep every plan's figures, on the connection's database."""
    if connection.dialect.name == "postgresql":
        statements = [*POSTGRESQL_FUNCTIONS, POSTGRESQL_TRIGGER]
    else:
        statements = [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_triggers(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        statements = [
            "DROP TRIGGER action_figures ON action",
            "DROP FUNCTION action_figures()",
            "DROP FUNCTION action_plan_recount(integer)",
        ]
    else:
        statements = [f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS]
    for statement in statements:
        connection.exec_driver_sql(statement)


def recount_every_plan(connection: sa.Connection) -> None:
    """Count every plan's figures afresh (once, when the columns are added)."""
    every_plan = FIGURES.format(plan="action_plan.id")
    connection.exec_driver_sql(f"UPDATE action_plan SET {every_plan}")  # noqa: S608
