"""What a person reads for the action workflow's codes (Swedish, through Flask-Babel)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.actions.workflow import MOVES, ActionMoveRefused, ActionStatus, FollowUpResult

STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planerad"),
    ActionStatus.IN_PROGRESS: _l("Pågår"),
    ActionStatus.DONE: _l("Genomförd"),
    ActionStatus.CANCELLED: _l("Avbruten"),
}
# On the status form: what choosing the status means.
STATUS_CHOICE_LABELS = {
    ActionStatus.IN_PROGRESS: _l("Pågår – arbetet med åtgärden har börjat"),
    ActionStatus.DONE: _l("Genomförd"),
    ActionStatus.CANCELLED: _l("Avbryt åtgärden (ange skäl)"),
}
RESULT_LABELS = {
    FollowUpResult.YES: _l("Ja"),
    FollowUpResult.PARTLY: _l("Delvis"),
    FollowUpResult.NO: _l("Nej"),
}
RESULT_LONG_LABELS = {
    FollowUpResult.YES: _l("Ja, åtgärden fick avsedd effekt"),
    FollowUpResult.PARTLY: _l("Delvis"),
    FollowUpResult.NO: _l("Nej, åtgärden fick inte avsedd effekt"),
}
# Journal events this package writes on the case (for the case page's timeline).
ORIGIN_LABELS = {
    "case": _l("Tillagd i ärendet"),
    "ivo_decision": _l("Krav på åtgärder i IVO:s beslut"),
}


def refusal_words(refusal: ActionMoveRefused) -> tuple[str, str | None]:
    """A move the action's machine refused, in the person's words, and the form field it belongs
    at (None: the whole form). The status moves say from which status to which."""
    if refusal.move == "edit":
        return _("En åtgärd som är genomförd eller avbruten kan inte ändras."), None
    if refusal.move == "follow_up":
        if "not_followed_up" in refusal.unmet:
            return _("Uppföljningen av åtgärden är redan registrerad."), None
        return _("Bara en genomförd åtgärd kan följas upp."), None
    move = MOVES.get(refusal.move)
    current = STATUS_LABELS.get(refusal.status, refusal.status)
    if move is None or move.target is None:  # pragma: no cover - the services ask only the table's moves
        return str(refusal), "status"
    return _("Åtgärden kan inte gå från ”%(current)s” till ”%(target)s”.",
             current=current, target=STATUS_LABELS[move.target]), "status"
