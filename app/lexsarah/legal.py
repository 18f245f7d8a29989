"""The legal basis printed on a lex Sarah notification: data chosen by the date of the event.

Events before 1 July 2025 fall under socialtjänstlagen (2001:453), whose lex Sarah provisions
are 14 kap. 3–7 §§, with LSS 24 a–g §§ and SOSFS 2011:5. Events from that day fall under the
new socialtjänstlag (2025:400). Its paragraph numbers for lex Sarah are printed only once an
admin has confirmed them in the provider settings; until then the document names the act
without paragraphs, so that a wrong paragraph is never printed.
"""

from dataclasses import dataclass
from datetime import date

NEW_ACT_FROM = date(2025, 7, 1)


@dataclass(frozen=True)
class LegalBasis:
    act: str          # the act and its number
    paragraphs: str   # "" when not (yet) confirmed
    also: str         # LSS and the regulations that apply beside it

    @property
    def line(self) -> str:
        main = f"{self.act} {self.paragraphs}".strip()
        return f"{main}; {self.also}" if self.also else main


OLD = LegalBasis("Socialtjänstlagen (2001:453)", "14 kap. 3–7 §§",
                 "lagen (1993:387) om stöd och service till vissa funktionshindrade (LSS) 24 a–g §§; SOSFS 2011:5")


def legal_basis(event_day: date, confirmed_new_paragraphs: str | None) -> LegalBasis:
    """The legal basis for an event on `event_day` (the names of Swedish acts: never translated)."""
    if event_day < NEW_ACT_FROM:
        return OLD
    return LegalBasis("Socialtjänstlagen (2025:400)", (confirmed_new_paragraphs or "").strip(),
                      "lagen (1993:387) om stöd och service till vissa funktionshindrade (LSS) 24 a–g §§")
