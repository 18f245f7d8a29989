"""What the case services announce to other features (connected in create_app(), never at import).

`reporter_given_feedback` is sent when a handler gives the reporter feedback, in the same
transaction (sender: the case; keyword arguments `actor` and `on`, the local date): on a lex
Sarah report it fills the informing item "the reporter" (app/lexsarah/informing.py).
"""

from blinker import Namespace

_signals = Namespace()
reporter_given_feedback = _signals.signal("cases.reporter-given-feedback")
