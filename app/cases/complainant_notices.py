"""E-mail to a person who complained through the public form and gave an e-mail address.

Two messages: the receipt when the complaint arrives, and a notice when an answer can be
read on the follow-up page. Like every mail from Värna they carry the reference and a
link, never what the person wrote, never the answer and never the follow-up code: an
e-mail may be read by others, and the code is what protects the follow-up page. The link
fills in the reference only; the person types the code themselves.

Both are queued in the caller's transaction (app.mailer) and delivered after its commit.
"""

from datetime import date, datetime

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from app import mailer
from app.cases.deadlines.services import due_on, rules
from app.clock import to_local
from app.mailer import OutgoingMail
from app.urls import external_url
from app.workflow import Kind


def status_link(reference: str) -> str:
    """The follow-up page with the reference filled in (never the code: it is not to be in a URL)."""
    return external_url("public.status", referens=reference)


def answer_due(received_at: datetime) -> date:
    """The last day of the answer step for a complaint received then (the admin's deadline setting)."""
    return due_on(to_local(received_at).date(), rules()[(Kind.COMPLAINT, "answer")])


def long_date(day: date) -> str:
    """"7 april 2026" in Swedish, "April 7, 2026" in English."""
    return format_date(day, format="long")


def queue_receipt(email: str, reference: str, due: date, answer_wanted: bool) -> OutgoingMail | None:
    if not email:
        return None
    with force_locale("sv"):
        if answer_wanted:
            when = _("Du kan räkna med ett svar senast %(date)s.", date=long_date(due))
        else:
            when = _("Klagomålet ska vara hanterat senast %(date)s.", date=long_date(due))
        body = _("Tack för ditt klagomål. Vi har tagit emot det och gett det diarienumret %(ref)s.\n\n"
                 "%(when)s\n\n"
                 "Du kan följa ditt klagomål och läsa vårt svar här: %(link)s\n"
                 "Du behöver diarienumret och den personliga kod som du fick när du skickade klagomålet. "
                 "Koden skickas inte med e-post.\n\n"
                 "Det här meddelandet kan inte besvaras.\n",
                 ref=reference, when=when, link=status_link(reference))
        return mailer.queue_email([email], _("Vi har tagit emot ditt klagomål %(ref)s", ref=reference), body)


def queue_answer_published(case) -> OutgoingMail | None:
    """When an answer to a web complaint is recorded: tell the complainant, if they gave an
    e-mail address, that it can be read on the follow-up page. Only web complaints have that
    page (a follow-up code); an anonymous one has no address."""
    details = case.complaint
    if details is None or not details.followup_code_hash or details.anonymous or not details.complainant_email:
        return None
    with force_locale("sv"):
        body = _("Vi har svarat på ditt klagomål %(ref)s.\n\n"
                 "Du kan läsa svaret här: %(link)s\n"
                 "Du behöver diarienumret och den personliga kod som du fick när du skickade klagomålet.\n\n"
                 "Det här meddelandet kan inte besvaras.\n",
                 ref=case.reference, link=status_link(case.reference))
        return mailer.queue_email([details.complainant_email],
                                  _("Svar på ditt klagomål %(ref)s", ref=case.reference), body)
