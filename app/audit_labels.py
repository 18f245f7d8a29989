"""What each audit event means, in words the person answerable for the data can read.

Every action name that `audit.record` writes anywhere in the code has a label here;
tests/test_audit_labels.py reads the source and fails for one that has none. An unknown
name (e.g. from an older version) is shown as it is stored.
"""

from flask_babel import lazy_gettext as _l

LABELS = {
    # logging in and out, accounts
    "login.success": _l("Inloggning"),
    "login.failure": _l("Misslyckad inloggning"),
    "login.locked": _l("Inloggning spärrad efter för många försök"),
    "session.logout": _l("Utloggning"),
    "user.created": _l("Konto skapat"),
    "user.updated": _l("Konto ändrat"),
    "user.password_changed": _l("Eget lösenord bytt"),
    "user.password_set": _l("Lösenord satt av administratör"),
    "user.listed": _l("Kontolistan visad"),
    "user.viewed": _l("Konto visat"),
    "permission.denied": _l("Nekad åtkomst"),
    "login.throttled": _l("Inloggning nekad: för många misslyckade försök från adressen"),
    "login.unlocked": _l("Spärrat konto upplåst via e-postlänk"),
    "user.password_change_failed": _l("Fel nuvarande lösenord vid lösenordsbyte"),
    "user.password_change_refused": _l("Lösenordsbyte spärrat efter för många försök"),
    # two-factor login
    "two_factor.enrolment_started": _l("Tvåstegsverifiering: aktivering påbörjad"),
    "two_factor.enrolled": _l("Tvåstegsverifiering aktiverad"),
    "two_factor.success": _l("Tvåstegsverifiering: rätt kod"),
    "two_factor.failure": _l("Tvåstegsverifiering: fel kod"),
    "two_factor.locked": _l("Tvåstegsverifiering spärrad efter för många försök"),
    "two_factor.recovery_code_used": _l("Reservkod använd"),
    "two_factor.recovery_codes_regenerated": _l("Nya reservkoder skapade"),
    "two_factor.reset": _l("Tvåstegsverifiering återställd av administratör"),
    # cases
    "case.filed": _l("Ärende registrerat"),
    "case.listed": _l("Ärendekön visad"),
    "case.listed_own": _l("Egna rapporter visade"),
    "case.receipt_viewed": _l("Kvitto på rapport visat"),
    "case.reporter_added_information": _l("Rapportören lade till information i sin rapport"),
    "report_draft.cleaned": _l("Gamla utkast till rapporter togs bort"),
    "case.viewed": _l("Ärende läst"),
    "case.view_denied": _l("Nekad läsning av ärende"),
    "case.assigned": _l("Handläggare tilldelad"),
    "case.disqualification_declared": _l("Jäv anmält"),
    "case.triaged": _l("Ärende bedömt (triage)"),
    "case.acknowledged": _l("Mottagningsbekräftelse registrerad"),
    "case.answered": _l("Svar registrerat"),
    "case.feedback_given": _l("Återkoppling till rapportören"),
    "case.closed": _l("Ärende avslutat"),
    "case.closed_with_open_actions": _l("Ärende avslutat med öppna åtgärder"),
    "case.reopened": _l("Ärende återöppnat"),
    "case.handed_over": _l("Ärende överlämnat som avvikelse"),
    "case.escalated": _l("Ärende överlämnat till lex Sarah"),
    "case.entry_added": _l("Anteckning i utredningen"),
    "case.causes_recorded": _l("Orsaker registrerade"),
    "case.risk_recorded": _l("Riskbedömning registrerad"),
    "case.linked": _l("Ärenden länkade"),
    "case.unlinked": _l("Länk mellan ärenden borttagen"),
    "case.investigation_finished": _l("Utredning färdig"),
    "case.actions_viewed": _l("Ärendets åtgärder visade"),
    "cases.deadline_reminder_queued": _l("Påminnelse om tidsfrister köad"),
    "cases.imported": _l("Tidigare års ärenden importerade"),
    "deadlines.updated": _l("Tidsfrister ändrade"),
    "attachment.added": _l("Bilaga bifogad"),
    "attachment.downloaded": _l("Bilaga hämtad"),
    # complaints
    "complaint.followup_viewed": _l("Klagomålets status visad för den som lämnade det"),
    "complaint.followup_refused": _l("Fel uppföljningskod för klagomål"),
    # lex Sarah
    "lexsarah.viewed": _l("Lex Sarah-sida läst"),
    "lexsarah.desk_viewed": _l("Lex Sarah-översikten visad"),
    "lexsarah.judgment_proposed": _l("Förslag till bedömning (lex Sarah)"),
    "lexsarah.judgment_recorded": _l("Bedömning registrerad (lex Sarah)"),
    "lexsarah.position_recorded": _l("Avslutad med ställningstagande (lex Sarah)"),
    "lexsarah.position_proposed": _l("Förslag till ställningstagande (lex Sarah)"),
    "lexsarah.position_proposal_declined": _l("Förslag till ställningstagande avböjt (lex Sarah)"),
    "lexsarah.protection_recorded": _l("Omedelbart skydd registrerat (lex Sarah)"),
    "case.section_nothing_to_record": _l("Inget att anteckna under en punkt i utredningen"),
    "lexsarah.ivo_draft_saved": _l("Utkast till anmälan till IVO sparat"),
    "lexsarah.document_viewed": _l("Anmälan till IVO visad"),
    "lexsarah.document_checksum_failed": _l("Anmälan till IVO stämmer inte med sin kontrollsumma"),
    "lexsarah.ivo_notified": _l("Anmälan till IVO registrerad"),
    "lexsarah.ivo_notification_finalised": _l("Anmälan till IVO slutförd och signerad"),
    "lexsarah.ivo_reference_recorded": _l("IVO:s diarienummer registrerat"),
    "lexsarah.ivo_supplement_requested": _l("IVO:s begäran om komplettering registrerad"),
    "lexsarah.ivo_supplement_sent": _l("Komplettering till IVO registrerad som skickad"),
    "lexsarah.ivo_not_notified": _l("Beslut att inte anmäla till IVO"),
    "lexsarah.ivo_investigation_sent": _l("Utredning skickad till IVO"),
    "lexsarah.ivo_decision_recorded": _l("IVO:s beslut registrerat"),
    "lexsarah.informing_recorded": _l("Information till den enskilde registrerad"),
    "lexsarah.reminder_queued": _l("Påminnelse om IVO köad"),
    "lexsarah.duties_reminder_queued": _l("Påminnelse om skydd och komplettering köad"),
    "settings.provider_viewed": _l("Uppgifter om vårdgivaren visade"),
    "settings.provider_updated": _l("Uppgifter om vårdgivaren ändrade"),
    # actions (åtgärder)
    "action.listed": _l("Åtgärdslista visad"),
    "action.viewed": _l("Åtgärd läst"),
    "action.added": _l("Åtgärd tillagd"),
    "action.updated": _l("Åtgärd ändrad"),
    "action.start": _l("Åtgärd påbörjad"),
    "action.complete": _l("Åtgärd genomförd"),
    "action.cancel": _l("Åtgärd avbruten"),
    "action.followed_up": _l("Åtgärd följd upp"),
    "action_type.created": _l("Åtgärdstyp skapad"),
    "action_type.updated": _l("Åtgärdstyp ändrad"),
    # organisation and lists
    "unit.created": _l("Enhet skapad"),
    "unit.updated": _l("Enhet ändrad"),
    "unit.activated": _l("Enhet aktiverad"),
    "unit.deactivated": _l("Enhet inaktiverad"),
    "public_text.updated": _l("Text på en allmän sida ändrad"),
    "public_text.reset": _l("Text på en allmän sida återställd till standardtexten"),
    "category.created": _l("Kategori skapad"),
    "category.updated": _l("Kategori ändrad"),
    # statistics, API
    "statistics.viewed": _l("Statistik visad"),
    "statistics.exported": _l("Statistik exporterad"),
    "statistics.text_saved": _l("Analys eller förbättringsarbete i kvalitetsberättelsen sparat"),
    "statistics.adoption_saved": _l("Kvalitetsberättelsens fastställande sparat"),
    "statistics.data_from_set": _l("Första år med uppgifter ändrat"),
    "api_token.created": _l("API-nyckel skapad"),
    "api_token.revoked": _l("API-nyckel återkallad"),
    # the administration itself
    "audit.viewed": _l("Loggen läst"),
    "audit.verified": _l("Loggens kedja kontrollerad"),
    "outbox.viewed": _l("Utkorgen visad"),
    # supervision cases (app/supervision)
    "supervision.registered": _l("Tillsynsärende registrerat"),
    "supervision.listed": _l("Tillsynsärenden listade"),
    "supervision.request_recorded": _l("Begäran från tillsynsmyndigheten registrerad"),
    "supervision.deadline_extended": _l("Förlängd svarstid till tillsynsmyndigheten registrerad"),
    "supervision.reply_recorded": _l("Svar till tillsynsmyndigheten registrerat"),
    "supervision.decision_recorded": _l("Tillsynsmyndighetens beslut registrerat"),
    "supervision.report_back_recorded": _l("Redovisning av åtgärder till tillsynsmyndigheten registrerad"),
    "supervision.reminder_queued": _l("Påminnelse om svar till tillsynsmyndigheten köad"),
}

PROBLEM_LABELS = {
    "missing": _l("saknas (raderad)"),
    "changed": _l("har ändrats efter att den skrevs"),
    "inserted": _l("har lagts till utanför Värna"),
}


def label(action: str) -> str:
    found = LABELS.get(action)
    return str(found) if found is not None else action
