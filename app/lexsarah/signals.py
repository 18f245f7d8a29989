"""Hooks other features can connect to.

`ivo_demanded_measures` is sent when IVO's decision demands measures, inside the
transaction that records the decision and before it commits: a receiver may add rows
(e.g. the actions feature creating actions) and they are committed together with the
decision, or not at all. Receivers get the case as sender and the keyword arguments
`actor`, `text` (IVO's decision) and `decided_on`.

    from app.lexsarah.signals import ivo_demanded_measures

    @ivo_demanded_measures.connect
    def create_actions(case, *, actor, text, decided_on): ...

`reporter_given_feedback` is sent by the case services when a handler gives the reporter
feedback, in the same transaction (sender: the case; keyword: `actor`, `on`, the local date):
on a lex Sarah report it fills the informing item "the reporter" (app/lexsarah/informing.py).
"""

from blinker import Namespace

_signals = Namespace()
ivo_demanded_measures = _signals.signal("lexsarah.ivo-demanded-measures")
reporter_given_feedback = _signals.signal("lexsarah.reporter-given-feedback")
