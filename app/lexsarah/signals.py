"""Hooks other features can connect to.

`ivo_demanded_measures` is sent when IVO's decision demands measures, inside the
transaction that records the decision and before it commits: a receiver may add rows
(e.g. the actions feature creating actions) and they are committed together with the
decision, or not at all. Receivers get the case as sender and the keyword arguments
`actor`, `text` (IVO's decision) and `decided_on`.

    ivo_demanded_measures.connect(create_actions)  # in create_app()
    def create_actions(case, *, actor, text, decided_on): ...

(The feedback given to a reporter is announced by app/cases/signals.py.)
"""

from blinker import Namespace

_signals = Namespace()
ivo_demanded_measures = _signals.signal("lexsarah.ivo-demanded-measures")
