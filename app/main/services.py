"""What each role's start page shows: the next things that person should do.

Every number on the page is one scalar subquery (each answered from its own index), and they
are selected together in one statement, built once per kind of person and kept in the process
(app.kept_statements): the page's counts are one round trip and no statement building."""

from sqlalchemy import func, select

from app.actions import queries as action_queries
from app.auth.models import User
from app.auth.permissions import INVESTIGATOR, OFFICER, Action, can
from app.cases.queue.services import scope_for, start_count_columns
from app.clock import today_local
from app.extensions import db
from app.kept_statements import KeptStatements
from app.org.models import Unit
from app.supervision import queries as supervision_queries

_KEPT = KeptStatements()


def _admin_columns() -> list:
    return [select(func.count()).select_from(User).where(User.active).scalar_subquery().label("user_count"),
            select(func.count()).select_from(Unit).where(Unit.active).scalar_subquery().label("unit_count")]


def start_page(user: User) -> dict:
    page: dict = {"tasks": []}
    # The queue's tiles are on the investigator's and the officer's page (main/start.html); the
    # admin's page shows only the supervision deadlines of those who may view the queue.
    queue = can(user, Action.VIEW_QUEUE) and user.role in (INVESTIGATOR, OFFICER)
    actions = can(user, Action.VIEW_OWN_ACTIONS)
    admin = can(user, Action.MANAGE_USERS)
    today = today_local()
    scope = scope_for(user) if queue else None
    key = (db.engine.dialect.name, scope, action_queries.counts_key(user) if actions else None, admin)

    def build():
        columns = []
        if queue:
            columns += start_count_columns(user, action_queries.ME, scope)
        if actions:
            # Only the tiles' numbers: the open actions of the person's units (read on the tabs) cost
            # a case row per open action of the administration.
            columns += action_queries.count_columns(user, action_queries.START_PAGE_COUNTS)
        if admin:
            columns += _admin_columns()
        return select(*columns)

    if queue or actions or admin:
        statement = _KEPT.get(key, build, action_queries.COUNT_PARAMETERS)
        parameters = action_queries.count_parameters(user, today)
        counts = db.session.connection().execute(statement, parameters).one()._mapping
        counts = {name: value or 0 for name, value in counts.items()}
    if queue:
        page["queue_counts"] = {"assigned_to_me": counts["assigned_to_me"], "unassigned": counts["unassigned"]}
    if can(user, Action.VIEW_QUEUE):
        page["supervision_deadlines"] = supervision_queries.deadlines_for(user)
    if actions:
        page["action_counts"] = {name: counts[name] for name in action_queries.START_PAGE_COUNTS}
        # (action, overdue) of the person's own open actions, soonest due first.
        page["my_open_actions"] = [(action, action.due_on < today) for action in action_queries.my_open_actions(user)]
    if admin:
        page["user_count"], page["unit_count"] = counts["user_count"], counts["unit_count"]
    return page
