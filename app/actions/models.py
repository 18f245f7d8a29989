"""Action types (an admin-edited list) and the actions recorded on cases."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.actions.workflow import OPEN_STATUSES, ActionStatus
from app.cases.models import Case
from app.clock import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

# The defaults the quality reports count by (docs/domain.md, "Actions"); the demo loader creates them.
DEFAULT_ACTION_TYPES = [
    "Ny rutin", "Reviderad rutin", "Samtal med berörd personal", "Utbildning",
    "Information och kommunikation", "Teknik och utrustning", "Organisation", "Övrigt",
]
ORIGINS = ("case", "ivo_decision")


class ActionType(db.Model):
    """One entry of the action type list. Deactivated, never deleted, so old actions and
    earlier years' statistics keep their words."""

    __tablename__ = "action_types"
    __table_args__ = (UniqueConstraint("name", name="uq_action_types_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<ActionType {self.id} {self.name!r}>"


class CaseAction(db.Model):
    """An action (åtgärd) on a case: what, who answers for it, by when, its status and follow-up.

    Named CaseAction because `Action` is the permission vocabulary (app.auth.permissions.Action).
    `version` is SQLAlchemy's version counter: a change based on an older version fails
    instead of silently overwriting a colleague's.

    `origin` says where the action came from: "case" (added by hand) or "ivo_decision"
    (IVO's decision demanded measures; the decision is the case's one IVO record).
    """

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done', 'cancelled')", name="status"),
        CheckConstraint("follow_up_result IS NULL OR follow_up_result IN ('yes', 'partly', 'no')",
                        name="follow_up_result"),
        CheckConstraint("origin IN ('case', 'ivo_decision')", name="origin"),
        # "My actions by due date", "overdue" and "waiting for follow-up" are index range scans.
        Index("ix_actions_responsible_status_due", "responsible_id", "status", "due_on"),
        # Waiting for follow-up (done, no result, completed before the cutoff) is one range, in
        # completion order; with the result after the status, the done actions followed up long
        # ago are never read. The person responsible and the case at the end: the counts (start
        # page, tabs) read them from the index, not from the rows.
        Index("ix_actions_status_due_cover", "status", "due_on", "responsible_id", "case_id"),
        Index("ix_actions_follow_up", "status", "follow_up_result", "completed_on", "responsible_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("action_types.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.PLANNED.value)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column(Date)
    follow_up_result: Mapped[str | None] = mapped_column(String(10))
    follow_up_text: Mapped[str] = mapped_column(Text, default="")
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    followed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    origin: Mapped[str] = mapped_column(String(20), default="case")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    type: Mapped[ActionType] = relationship()
    responsible: Mapped["User"] = relationship(foreign_keys=[responsible_id])
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])
    followed_up_by: Mapped["User | None"] = relationship(foreign_keys=[followed_up_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def followed_up(self) -> bool:
        return self.follow_up_result is not None

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today

    def __repr__(self) -> str:
        return f"<CaseAction {self.id} {self.status} case={self.case_id}>"


# The case's actions as one collection, for the case page: it reads them once, with the case's other
# rows, and both the workflow's fact (no open actions, app/facts.py) and the actions panel are
# answered from that read (app.cases.casework.services.view_case). Read only: an action is added and
# changed through app/actions/services.py, whose commit expires the collection with the rest.
Case.actions = relationship(CaseAction, viewonly=True, order_by=CaseAction.id)
