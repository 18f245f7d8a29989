"""What each role's start page shows: the next things that person should do."""

from sqlalchemy import func, select

from app.actions import queries as action_queries
from app.auth.models import User
from app.auth.permissions import Action, can
from app.cases.queue.services import start_counts
from app.clock import today_local
from app.extensions import db
from app.org.models import Unit
from app.supervision import queries as supervision_queries


def start_page(user: User) -> dict:
    page: dict = {"tasks": []}
    if can(user, Action.VIEW_QUEUE):
        page["queue_counts"] = start_counts(user)
        page["supervision_deadlines"] = supervision_queries.deadlines_for(user)
    if can(user, Action.VIEW_OWN_ACTIONS):
        page["action_counts"] = action_queries.counts(user)
        today = today_local()
        # (action, overdue) of the person's own open actions, soonest due first.
        page["my_open_actions"] = [(action, action.due_on < today) for action in action_queries.my_open_actions(user)]
    if can(user, Action.MANAGE_USERS):
        page["user_count"] = db.session.scalar(select(func.count()).select_from(User).where(User.active))
        page["unit_count"] = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.active))
    return page
