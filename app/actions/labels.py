"""What a person reads for the action workflow's codes (Swedish, through Flask-Babel)."""

from flask_babel import lazy_gettext as _l

from app.actions.workflow import ActionStatus, FollowUpResult

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
