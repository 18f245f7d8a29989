"""The lex Sarah facts the workflow needs (app.workflow takes facts, it never reads the database)."""

from app.cases.models import Case
from app.lexsarah import models  # noqa: F401 - defines case.lex_sarah_judgment and case.lex_sarah_ivo


def lex_sarah_facts(case: Case) -> dict[str, bool]:
    """`judged_none`, `notified`, `not_yet_notified` and `ivo_question_settled` for one case.

    The IVO question is settled once the judgment is recorded and, when it is serious,
    once the notification or a reason for not notifying is recorded. A notification
    made before the judgment settles it too. Other kinds get all False (they have no
    such requirements), so a mistaken call refuses rather than allows.
    """
    if case.kind != "lex_sarah":
        return {"judged_none": False, "notified": False, "not_yet_notified": False,
                "ivo_question_settled": False}
    judgment = case.lex_sarah_judgment
    ivo = case.lex_sarah_ivo
    judged = judgment is not None and judgment.judged
    decided = ivo is not None and ivo.decision is not None
    notified = ivo is not None and ivo.notified
    return {
        "judged_none": judged and judgment.outcome == "none",
        "notified": notified,
        "not_yet_notified": not notified,
        "ivo_question_settled": judged and (not judgment.serious or decided),
    }
