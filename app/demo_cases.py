"""Demo cases: five years of believable history, so that every queue, desk, list and
statistics page has something to show after `make run` (`flask --app wsgi demo cases`).

Everything is made the way people make it: through the services, as the demo users, with
the clock (app.clock.frozen) set to the moment each step happens, so that references,
journals, the audit log, deadlines and e-mails are what they would have been. Nothing here
writes a case table directly.

- Earlier years, from January five years back until Värna was taken into use (the first of
  the month two years ago), are the admin's import of the old register's CSV (app.imports).
- The two years since are *stories*: one per case, a list of steps, each a plain call of a
  service on a given day. `run_stories` runs the steps of every story in time order, each
  with the clock frozen at an office-hours moment of its day. A story whose next step falls
  after now stops there: that is how recent cases are open, at every step, with their
  deadlines near or past. The *showcase* stories are fixed relative to today so that each
  queue, desk list and action list has its typical rows; the *background* stories are drawn
  from a fixed random seed.
- `STORY_BUILDERS` holds one builder per kind of case. A new kind (supervision cases, say)
  adds its builder there: its plans and its story, written like the three below.

Cases are loaded only into a database that has none, so running it twice changes nothing
(and demo history never mixes with cases someone made by hand). The nämnd's details and the
units' addresses, which the notification to IVO needs, are filled in where they are empty, and so are
the departments' names and sentences for citizens (/klagomal).
It refuses to run in production.
"""

import csv
import heapq
import io
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app import clock
from app.actions import services as actions
from app.actions.models import ActionType, CaseAction
from app.auth.models import User
from app.cases.casework import services as casework
from app.cases.deadlines import services as deadlines
from app.cases.handover import services as handover
from app.cases.investigation import services as investigation
from app.cases.models import RECORD_SECTIONS, Case, Category
from app.clock import STOCKHOLM, to_local, today_local, utcnow
from app.demo import ADMINISTRATION, DemoRefused, load_demo_data
from app.extensions import db
from app.facts import addressed_sections, facts_for
from app.imports import services as imports
from app.intake.services import file_report
from app.lexsarah import informing, judgment, notification, position, protection, provider, record, supplement
from app.org import services as org
from app.org.models import Unit
from app.public import services as public
from app.supervision import demo as supervision_demo

SEED = 20240601
DETAIL_YEARS = 2      # stories: the last two years
IMPORTED_YEARS = 3    # imported: the (about) three years before Värna was taken into use

# --- the municipality's details (fictional) ----------------------------------------------------

PROVIDER = {
    "board_name": "Socialnämnden i Exempelby kommun", "org_number": "212000-1017",
    "address": "Box 100, 123 80 Exempelby", "contact_name": "Sara Svensson",
    "contact_title": "Lex Sarah-ansvarig", "contact_phone": "0123-456 70",
    "contact_email": "lexsarah@exempelby.example", "municipality": "Exempelby",
}
# The kind of activity a notification names for each unit (app/lexsarah/labels.py: ACTIVITY_LABELS).
UNIT_ACTIVITY_KINDS = {
    "HVB Solrosen": "hvb", "Mottagning barn och familj": "ifo_children", "Utredning barn och unga": "ifo_children",
    "Vuxenstöd": "ifo_adults", "Boendestöd": "disability_sol", "Socialpsykiatri": "disability_sol",
}
UNIT_ADDRESSES = {
    ADMINISTRATION: "Stadshuset, Storgatan 1, 123 80 Exempelby",
    "Unga": "Storgatan 1, 123 80 Exempelby",
    "Mottagning barn och familj": "Kyrkogatan 4, 123 41 Exempelby",
    "Utredning barn och unga": "Kyrkogatan 4, 123 41 Exempelby",
    "HVB Solrosen": "Solrosvägen 12, 123 52 Exempelby",
    "Vuxna": "Storgatan 1, 123 80 Exempelby",
    "Vuxenstöd": "Torget 3, 123 40 Exempelby",
    "Boendestöd": "Lindvägen 7, 123 47 Exempelby",
    "Socialpsykiatri": "Parkgatan 22, 123 45 Exempelby",
    "Stab": "Storgatan 1, 123 80 Exempelby",
    "Administration": "Storgatan 1, 123 80 Exempelby",
}
# What /klagomal tells a citizen about each department (Administration → Organisation).
DEPARTMENT_WORDS = {
    "Unga": ("Barn, unga och familjer",
             "Stöd till barn, unga och föräldrar, till exempel familjebehandling, utredningar och boende för unga."),
    "Vuxna": ("Stöd till vuxna",
              "Ekonomiskt bistånd, missbruks- och beroendevård, boendestöd och stöd vid psykisk ohälsa."),
    "Stab": ("Övrigt eller vet inte",
             "Välj det här om det gäller socialtjänsten i stort, bemötande i växeln eller om du inte vet."),
}
HANDLERS = {"Vuxna": "erik", "Unga": "ulla"}  # the investigator of each department

# --- what happens: scenarios per kind and department ---------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One kind of event, with what the report, the investigation and the follow-up say about it."""

    units: tuple[str, ...]
    categories: tuple[str, ...]
    title: str            # the first line of the description becomes the case's summary
    details: str
    consequences: str
    measures: str         # what was done at once
    finding: str          # a fact the investigation established
    cause: str            # the investigator's assessment of the cause
    areas: tuple[str, ...]
    action_type: str
    action: str
    closing: str
    feedback: str
    lex_sarah_type: str = "misconduct"


DEVIATIONS = [
    Scenario(("Boendestöd", "Vuxenstöd", "Socialpsykiatri"), ("Utebliven insats",),
             "Planerat hembesök hos brukaren blev inte av",
             "Besöket på förmiddagen fanns inte med i dagens planering efter en schemaändring. Brukaren väntade "
             "och ringde till slut själv till enheten.",
             "Brukaren fick sin frukost och sina läkemedel två timmar för sent och var orolig resten av dagen.",
             "Personal åkte dit så snart brukaren ringde.",
             "Schemat ändrades i planeringssystemet dagen innan utan att ändringen stämdes av mot besökslistan.",
             "Det saknas en rutin för att stämma av ändrade scheman mot besökslistan.",
             ("processes", "technology"), "Reviderad rutin",
             "Rutinen för schemaändringar kompletteras med avstämning mot besökslistan.",
             "Händelsen är utredd och rutinen för schemaändringar är reviderad.",
             "Tack för din rapport. Vi har sett över hur schemaändringar stäms av, så att besök inte faller bort."),
    Scenario(("Boendestöd", "Socialpsykiatri"), ("Bristande informationsöverföring",),
             "Ändrad medicinering nådde inte kvällspersonalen",
             "Läkaren ändrade dosen på förmiddagen. Dagpersonalen fick beskedet men det kom inte med i "
             "överlämningen till kvällen.",
             "Brukaren fick den gamla dosen en kväll. Sjuksköterskan bedömde att det inte gav några besvär.",
             "Sjuksköterskan kontaktades och dosen rättades dagen efter.",
             "Överlämningen sker muntligt och ändringar i ordinationer skrivs inte in i överlämningslistan.",
             "Muntlig överlämning utan stöd av en lista gör att viktiga ändringar kan falla bort.",
             ("communication", "processes"), "Ny rutin",
             "Skriftlig överlämningslista vid varje passbyte, med en rad för ändrade ordinationer.",
             "Händelsen är utredd. En skriftlig överlämningslista används nu vid passbyten.",
             "Tack för att du rapporterade. Vi använder nu en skriftlig överlämningslista vid passbyten."),
    Scenario(("Vuxenstöd", "Boendestöd"), ("Dokumentation",),
             "Genomförandeplanen var inte uppdaterad efter uppföljningsmötet",
             "Vid uppföljningen bestämdes att stödet skulle läggas om. Personalen arbetade ändå vidare efter den "
             "gamla planen i tre veckor.",
             "Brukaren fick inte det stöd med ekonomin som hade bestämts.",
             "Planen uppdaterades samma dag som felet upptäcktes.",
             "Ansvaret för att uppdatera planen efter uppföljningen var inte fördelat.",
             "Otydlig ansvarsfördelning efter uppföljningsmöten.",
             ("processes", "people"), "Information och kommunikation",
             "Arbetsplatsträff om vem som uppdaterar genomförandeplanen efter uppföljning.",
             "Utredd. Ansvaret för genomförandeplanen efter uppföljning är förtydligat.",
             "Tack för din rapport. Vi har förtydligat vem som uppdaterar genomförandeplanen."),
    Scenario(("Vuxenstöd",), ("Sekretess",),
             "Brev med beslut skickades till fel adress",
             "Ett beslut om ekonomiskt bistånd skickades till brukarens tidigare adress. Den nya adressen fanns "
             "i akten men inte i utskicksregistret.",
             "Uppgifter om brukarens ekonomi kan ha lästs av någon obehörig.",
             "Brukaren informerades och ett nytt brev skickades till rätt adress.",
             "Adressändringen registrerades i akten men inte i verksamhetssystemets adressfält.",
             "Två ställen för samma uppgift gör att den ena lätt glöms bort.",
             ("technology", "processes"), "Teknik och utrustning",
             "Utskick hämtar adressen från folkbokföringen i stället för från det egna fältet.",
             "Utredd. Utskicken hämtar nu adressen från folkbokföringen.",
             "Tack för din rapport. Utskicken hämtar nu adressen automatiskt, så att detta inte ska upprepas."),
    Scenario(("Vuxenstöd", "Socialpsykiatri"), ("Brister i bemötande",),
             "Brukaren upplevde sig illa bemött i receptionen",
             "Brukaren kom utan tid och blev tillsagd inför andra besökare att komma tillbaka en annan dag.",
             "Brukaren blev ledsen och lämnade mottagningen utan att få hjälp.",
             "Enhetschefen ringde upp brukaren samma eftermiddag och bokade en tid.",
             "Receptionen var underbemannad och det fanns ingen rutin för besök utan tid.",
             "Hög arbetsbelastning i receptionen och ingen rutin för besökare utan bokad tid.",
             ("people", "environment"), "Samtal med berörd personal",
             "Samtal i arbetsgruppen om bemötande och om hur besök utan tid tas emot.",
             "Utredd. Bemötandet har tagits upp i arbetsgruppen.",
             "Tack för din rapport. Vi har pratat om bemötande i receptionen i arbetsgruppen."),
    Scenario(("Boendestöd", "Socialpsykiatri"), ("Fysisk miljö, utrustning, teknik",),
             "Trygghetslarmet i lägenheten fungerade inte under natten",
             "Brukaren försökte larma vid tretiden på natten men larmet gick inte fram. Batteriet i larmknappen "
             "var slut.",
             "Brukaren låg kvar på golvet till morgonbesöket men skadade sig inte allvarligt.",
             "Larmknappen byttes samma dag och brukaren undersöktes av sjuksköterska.",
             "Larmknapparnas batterier kontrolleras inte enligt något schema.",
             "Det saknas en rutin för regelbunden kontroll av trygghetslarmen.",
             ("technology",), "Ny rutin",
             "Månatlig provlarmning och batterikontroll för alla trygghetslarm.",
             "Utredd. Trygghetslarmen provas nu varje månad.",
             "Tack för din rapport. Alla trygghetslarm provas nu en gång i månaden."),
    Scenario(("Vuxenstöd",), ("Brister i rättssäkerhet/handläggning",),
             "Beslut om bistånd saknade information om hur man överklagar",
             "Ett avslagsbeslut skickades med en gammal mall som saknade överklagandehänvisning.",
             "Brukaren kunde inte veta hur och när beslutet kunde överklagas.",
             "Ett nytt beslut med överklagandehänvisning skickades.",
             "Den gamla beslutsmallen låg kvar i verksamhetssystemet.",
             "Gamla mallar togs inte bort när de nya infördes.",
             ("technology", "processes"), "Teknik och utrustning",
             "Gamla beslutsmallar tas bort ur verksamhetssystemet.",
             "Utredd. De gamla beslutsmallarna är borttagna.",
             "Tack för din rapport. De gamla mallarna är nu borttagna."),
    Scenario(("Mottagning barn och familj",), ("Brister i rättssäkerhet/handläggning",),
             "Skyddsbedömning efter orosanmälan dokumenterades för sent",
             "En orosanmälan kom in på fredagen. Skyddsbedömningen gjordes samma dag men dokumenterades först på "
             "tisdagen.",
             "Ingen konsekvens för barnet, men det gick inte att se i akten att bedömningen var gjord.",
             "Bedömningen dokumenterades i efterhand med uppgift om när den gjordes.",
             "Handläggaren som gjorde bedömningen gick på ledighet direkt efteråt.",
             "Rutinen säger inte att bedömningen ska dokumenteras innan arbetsdagen slutar.",
             ("processes",), "Reviderad rutin",
             "Rutinen för skyddsbedömning förtydligas: dokumentation samma dag.",
             "Utredd. Rutinen för skyddsbedömning är förtydligad.",
             "Tack för din rapport. Rutinen säger nu tydligt att bedömningen dokumenteras samma dag."),
    Scenario(("Utredning barn och unga",), ("Bristande informationsöverföring",),
             "Vårdnadshavarna fick inte veta att utredningen förlängdes",
             "Beslutet att förlänga utredningen fattades men vårdnadshavarna informerades inte.",
             "Familjen väntade på ett besked som inte kom och ringde flera gånger.",
             "Handläggaren ringde familjen och förklarade.",
             "Det finns ingen påminnelse i systemet om att informera familjen vid förlängning.",
             "Informationen till familjen är inte en del av rutinen vid förlängning.",
             ("communication", "processes"), "Reviderad rutin",
             "Rutinen för förlängning av utredning kompletteras med information till vårdnadshavare.",
             "Utredd. Rutinen vid förlängning är kompletterad.",
             "Tack för din rapport. Rutinen vid förlängning säger nu att familjen ska informeras."),
    Scenario(("Utredning barn och unga",), ("Utebliven insats",),
             "Planerat umgänge ställdes in utan att barnet förbereddes",
             "Umgängesstödjaren blev sjuk och ingen ersättare sattes in. Barnet fick veta det när det redan "
             "väntade.",
             "Barnet blev besviket och ledset.",
             "Ett nytt umgänge bokades till veckan efter.",
             "Det fanns ingen ersättare för umgängesstödjaren.",
             "Sårbar bemanning utan ersättare vid sjukdom.",
             ("people", "processes"), "Organisation",
             "En ersättarlista för umgängesstöd tas fram.",
             "Utredd. Det finns nu en ersättarlista för umgängesstöd.",
             "Tack för din rapport. Det finns nu ersättare när umgängesstödjaren är sjuk."),
    Scenario(("HVB Solrosen",), ("Fysisk miljö, utrustning, teknik",),
             "Trasigt lås på en ungdoms rum",
             "Låset på ett av rummen gick inte att låsa inifrån. Felanmälan hade gjorts men inget hade hänt på "
             "två veckor.",
             "Ungdomen kände sig otrygg och sov dåligt.",
             "Ungdomen fick byta rum tills låset var lagat.",
             "Felanmälan hade inte följts upp med fastighetsförvaltningen.",
             "Ingen bevakar att felanmälningar blir åtgärdade.",
             ("environment", "processes"), "Ny rutin",
             "Veckovis genomgång av öppna felanmälningar på personalmötet.",
             "Utredd. Öppna felanmälningar gås nu igenom varje vecka.",
             "Tack för din rapport. Vi går nu igenom felanmälningarna varje vecka."),
    Scenario(("HVB Solrosen",), ("Dokumentation",),
             "Journalanteckningar från helgen saknades",
             "Under helgen dokumenterades inget om två ungdomar trots att det hände saker som skulle ha "
             "dokumenterats.",
             "Vardagspersonalen saknade underlag och socialsekreteraren fick inte veta vad som hänt.",
             "Helgpersonalen dokumenterade i efterhand på måndagen.",
             "Helgpersonalen saknade behörighet till dokumentationssystemet.",
             "Nyanställd helgpersonal fick inte behörighet i tid.",
             ("technology", "people"), "Utbildning",
             "Introduktion i dokumentationssystemet för all helgpersonal innan första passet.",
             "Utredd. Behörigheter och introduktion för helgpersonal är ordnade.",
             "Tack för din rapport. All helgpersonal får nu behörighet och introduktion innan första passet."),
    Scenario(("Mottagning barn och familj",), ("Sekretess",),
             "Uppgifter om ett barn lämnades till fel skola",
             "En handläggare ringde till en skola med samma namn i grannkommunen och lämnade uppgifter om barnet.",
             "Uppgifter om barnet lämnades till obehöriga.",
             "Skolan ombads radera uppgifterna och vårdnadshavarna informerades.",
             "Skolans kontaktuppgifter togs från en sökning på nätet i stället för ur akten.",
             "Kontaktuppgifter kontrolleras inte mot akten.",
             ("communication", "people"), "Samtal med berörd personal",
             "Genomgång i arbetsgruppen om sekretess och om att kontrollera mottagaren.",
             "Utredd. Sekretessen har gåtts igenom i arbetsgruppen.",
             "Tack för din rapport. Vi har gått igenom hur vi kontrollerar mottagare innan uppgifter lämnas."),
    Scenario(("HVB Solrosen",), ("Brister i bemötande",),
             "Ungdom blev tillrättavisad inför de andra ungdomarna",
             "En ungdom fick en skarp tillsägelse vid middagen inför de andra ungdomarna.",
             "Ungdomen kände sig förödmjukad och vägrade äta med gruppen i flera dagar.",
             "Föreståndaren pratade med ungdomen samma kväll.",
             "Personalen var stressad eftersom en kollega saknades.",
             "Brist på gemensamt förhållningssätt vid konflikter.",
             ("people",), "Utbildning",
             "Utbildning i lågaffektivt bemötande för all personal.",
             "Utredd. Personalen går utbildning i lågaffektivt bemötande.",
             "Tack för din rapport. All personal går nu en utbildning i bemötande."),
]

LEX_SARAH = [
    Scenario(("Boendestöd",), ("Utebliven insats",),
             "Brukaren fick inte sina läkemedel under två dygn",
             "Dosetten tog slut och ingen beställde en ny. Det upptäcktes först när brukaren blev yr.",
             "Brukaren blev yr och orolig och fick kontakta vårdcentralen.",
             "Sjuksköterskan kontaktades och läkemedlen hämtades samma dag.",
             "Signeringslistan visar att två doser inte gavs och att ingen reagerade på det.",
             "Rutinen för beställning av dosetter följdes inte och signeringslistan kontrollerades inte.",
             ("processes", "people"), "Ny rutin",
             "Ny rutin för signering och kontroll av läkemedelsgivning vid varje pass.",
             "Utredd och bedömd. Rutinen för läkemedelsgivning är ny och personalen har fått utbildning.",
             "Tack för din lex Sarah-rapport. Utredningen är klar och rutinen för läkemedel är ändrad."),
    Scenario(("Socialpsykiatri", "Boendestöd"), ("Ekonomiska övergrepp",),
             "Pengar saknas i brukarens handkassa",
             "Vid kassakontrollen saknades 1 800 kronor. Kvitton saknas för flera uttag.",
             "Brukaren har förlorat pengar och litar inte på personalen.",
             "Kassan räknades av två personer och enhetschefen informerades.",
             "Kvitton saknas för fyra uttag under en månad och kassaboken är inte signerad.",
             "Hanteringen av brukarnas pengar följde inte rutinen och kontrollerades inte.",
             ("processes", "people"), "Reviderad rutin",
             "Dubbelsignering av alla uttag ur handkassan och månatlig kontroll av enhetschefen.",
             "Utredd och bedömd. Hanteringen av brukarnas pengar är ändrad.",
             "Tack för din lex Sarah-rapport. Hanteringen av brukarnas pengar har setts över."),
    Scenario(("Boendestöd", "Vuxenstöd"), ("Brister i utförande av insats",),
             "Brukare med hög fallrisk lämnades utan tillsyn",
             "Brukaren skulle ha tillsyn varje timme under natten men tillsynen gjordes inte på grund av "
             "sjukfrånvaro.",
             "Brukaren föll men skadade sig inte.",
             "Extra personal kallades in resten av natten.",
             "Ingen ersättare togs in när en nattpersonal blev sjuk.",
             "Bemanningen vid sjukfrånvaro på natten är inte planerad.",
             ("people", "processes"), "Organisation",
             "Beredskap för ersättare vid sjukfrånvaro nattetid.",
             "Utredd och bedömd. Beredskapen vid sjukfrånvaro är ordnad.",
             "Tack för din lex Sarah-rapport. Det finns nu beredskap när nattpersonal blir sjuk.",
             lex_sarah_type="risk"),
    Scenario(("Socialpsykiatri",), ("Psykiska övergrepp",),
             "Personal hotade att dra in brukarens aktiviteter",
             "En medarbetare sa till brukaren att aktiviteterna skulle dras in om brukaren inte städade sitt rum.",
             "Brukaren blev rädd och ville inte delta i någon aktivitet.",
             "Enhetschefen talade med medarbetaren och med brukaren samma dag.",
             "Flera brukare bekräftar att liknande uttalanden förekommit.",
             "Bristande kunskap om brukarnas självbestämmande och om otillåtna påtryckningar.",
             ("people",), "Utbildning",
             "Utbildning om självbestämmande och bemötande för hela personalgruppen.",
             "Utredd och bedömd. Personalgruppen har fått utbildning.",
             "Tack för din lex Sarah-rapport. Personalgruppen har fått utbildning om bemötande."),
    Scenario(("HVB Solrosen",), ("Fysiska övergrepp",),
             "Ungdom hölls fast av personal på ett otillåtet sätt",
             "Vid en konflikt i vardagsrummet hölls en ungdom fast på golvet av två medarbetare i flera minuter.",
             "Ungdomen fick blåmärken på armarna och var mycket upprörd.",
             "Ungdomen undersöktes av sjuksköterska och socialsekreteraren informerades.",
             "Händelsen är bekräftad av personal och ungdomar. Fasthållningen varade omkring fem minuter.",
             "Personalen saknade utbildning i att förebygga och hantera hot och våld utan tvång.",
             ("people", "processes"), "Utbildning",
             "Utbildning i lågaffektivt bemötande och förebyggande av konflikter för all personal.",
             "Utredd och bedömd. All personal utbildas och rutinen vid konflikter är ny.",
             "Tack för din lex Sarah-rapport. All personal på Solrosen går nu utbildning."),
    Scenario(("Mottagning barn och familj",), ("Brister i rättssäkerhet/handläggning",),
             "Orosanmälan om ett barn blev liggande i tre veckor",
             "En orosanmälan registrerades men fördelades inte till någon handläggare. Ingen skyddsbedömning "
             "gjordes.",
             "Barnet kan ha varit utan skydd under tre veckor.",
             "Anmälan fördelades och skyddsbedömning gjordes samma dag som det upptäcktes.",
             "Anmälan låg i en gemensam inkorg som ingen hade ansvar för under semestern.",
             "Ingen hade ansvar för den gemensamma inkorgen under semesterperioden.",
             ("processes", "people"), "Reviderad rutin",
             "Daglig genomgång av inkomna orosanmälningar med namngiven ansvarig, även under semester.",
             "Utredd och bedömd. Inkomna anmälningar gås nu igenom varje dag.",
             "Tack för din lex Sarah-rapport. Inkomna anmälningar gås nu igenom varje dag.",
             lex_sarah_type="risk"),
    Scenario(("HVB Solrosen",), ("Utebliven insats",),
             "Ungdom med självskadebeteende fick inte beslutad tillsyn",
             "Ungdomen skulle ha tillsyn var femtonde minut men fick det inte under en kväll.",
             "Ungdomen skadade sig lindrigt.",
             "Ungdomen fick vård och tillsynen återupptogs.",
             "Tillsynsschemat fanns inte med i överlämningen till kvällspersonalen.",
             "Överlämningen missade ett beslut om tillsyn.",
             ("communication", "processes"), "Ny rutin",
             "Beslut om tillsyn skrivs in i överlämningslistan och signeras vid varje pass.",
             "Utredd och bedömd. Tillsynen signeras nu vid varje pass.",
             "Tack för din lex Sarah-rapport. Tillsynen signeras nu vid varje pass."),
]


@dataclass(frozen=True)
class ComplaintText:
    department: str
    category: str
    title: str
    details: str
    wishes: str
    finding: str
    answer: str


COMPLAINTS = [
    ComplaintText("Vuxna", "Bemötande", "Jag blev illa bemött när jag ringde om mitt bistånd",
                  "Handläggaren var otrevlig och avbröt mig flera gånger. Jag fick inget svar på mina frågor.",
                  "Jag vill få ett svar på mina frågor och att ingen annan ska behöva bli bemött så.",
                  "Samtalet är bekräftat; handläggaren minns att det var ett pressat samtal.",
                  "Tack för att du hörde av dig. Vi beklagar att du upplevde samtalet så. Vi har pratat med "
                  "handläggaren och tagit upp bemötande i arbetsgruppen. Dina frågor besvaras i ett eget brev."),
    ComplaintText("Vuxna", "Handläggning", "Det tar för lång tid att få beslut om boendestöd",
                  "Jag ansökte för två månader sedan och har fortfarande inte fått något beslut.",
                  "Jag vill få ett beslut snart.",
                  "Ansökan kom in för nio veckor sedan. Utredningen har dragit ut på grund av sjukfrånvaro.",
                  "Tack för ditt klagomål. Handläggningen har tagit för lång tid och vi ber om ursäkt. Din "
                  "ansökan har nu fått en ny handläggare och du får ett beslut inom två veckor."),
    ComplaintText("Vuxna", "Tillgänglighet", "Det går aldrig att nå min handläggare på telefon",
                  "Jag har ringt varje dag i en vecka men ingen svarar och ingen ringer tillbaka.",
                  "Jag vill bli uppringd.",
                  "Telefontiden var inställd under en vecka utan att det meddelades.",
                  "Tack för ditt klagomål. Telefontiden var inställd utan att det stod på webben, och det beklagar "
                  "vi. Din handläggare ringer dig den här veckan."),
    ComplaintText("Vuxna", "Insatsens kvalitet", "Min pappa får inte den hjälp som står i beslutet",
                  "Personalen stannar bara en kort stund och hinner inte hjälpa till med det som är beslutat.",
                  "Jag vill att pappa får den hjälp han har rätt till.",
                  "Tidrapporterna visar kortare besök än planerat under en period med hög sjukfrånvaro.",
                  "Tack för ditt klagomål. Besöken har varit kortare än planerat och vi har nu ändrat "
                  "planeringen så att din pappa får den tid som är beslutad."),
    ComplaintText("Vuxna", "Kompetens", "Personalen verkar inte förstå min sons diagnos",
                  "Min son har autism och blir orolig av ändringar, men personalen byter ofta och vet inget om det.",
                  "Jag vill att de som arbetar med min son ska veta hur de ska bemöta honom.",
                  "Många vikarier under sommaren; ingen introduktion om brukarens behov.",
                  "Tack för ditt klagomål. Vi har tagit fram en introduktion om din sons behov som alla som "
                  "arbetar hos honom ska läsa, och vi försöker hålla nere antalet olika personer."),
    ComplaintText("Unga", "Handläggning", "Utredningen om vår familj har dragit ut på tiden",
                  "Det har gått mer än fyra månader och vi vet fortfarande inte vad som händer.",
                  "Vi vill veta när utredningen blir klar.",
                  "Utredningen är förlängd enligt beslut, men familjen informerades inte om det.",
                  "Tack för ert klagomål. Utredningen är förlängd, och det skulle ni ha fått veta. Det beklagar "
                  "vi. Handläggaren kontaktar er med en tidsplan."),
    ComplaintText("Unga", "Bemötande", "Socialsekreteraren lyssnade inte på mitt barn",
                  "Vid samtalet pratade socialsekreteraren nästan bara med mig och inte med min dotter.",
                  "Jag vill att min dotter får komma till tals.",
                  "Samtalet hölls med vårdnadshavaren närvarande; barnet fick inget eget samtal.",
                  "Tack för ditt klagomål. Din dotter ska få ett eget samtal, och vi har påmint alla handläggare "
                  "om att barn ska få komma till tals."),
    ComplaintText("Unga", "Tillgänglighet", "Vi fick inget svar på våra frågor under sommaren",
                  "Vi mejlade flera gånger i juli men fick inget svar.",
                  "Vi vill att någon svarar även under semestern.",
                  "Mejlen kom till en handläggare på semester utan frånvaromeddelande.",
                  "Tack för ert klagomål. Vi beklagar att ni inte fick svar. Alla handläggare ska nu ha ett "
                  "frånvaromeddelande med vem man kan vända sig till."),
    ComplaintText("Unga", "Insatsens kvalitet", "Min son får för lite stöd med skolan på HVB-hemmet",
                  "Han har inte varit i skolan på tre veckor och ingen på hemmet verkar bry sig.",
                  "Jag vill att han får hjälp att komma tillbaka till skolan.",
                  "Skolgången har inte följts upp i genomförandeplanen.",
                  "Tack för ditt klagomål. Skolgången har inte följts upp som den ska. Hemmet har nu en plan "
                  "tillsammans med skolan och följer upp den varje vecka."),
]

PEOPLE = [("Karin Lind", "female"), ("Mats Holm", "male"), ("Lena Ek", "female"), ("Ahmed Yusuf", "male"),
          ("Eva Sjöberg", "female"), ("Johan Berg", "male"), ("Maria Nyström", "female"), ("Ali Hassan", "male"),
          ("Sofia Lund", "female"), ("Per Strand", "male"), ("Fatima Ali", "female"), ("Anders Dahl", "male"),
          ("Ingrid Falk", "female"), ("Noah Åberg", "male"), ("Elin Öst", "female"), ("Oskar Wik", "male")]

JUDGMENTS = {
    "none": {"established": "none",
             "established_motivation": "Utredningen visar att rutinen följdes och att brukaren inte utsattes för "
                                       "något missförhållande.",
             "rationale": "Inget missförhållande. Händelsen hanteras som en avvikelse."},
    "misconduct": {"established": "misconduct", "serious_harm": False,
                   "serious_harm_motivation": "Ingen skada uppstod och felet rättades snabbt.",
                   "serious_risk": False,
                   "serious_risk_motivation": "Det fanns ingen påtaglig risk för allvarlig skada.",
                   "rationale": "Ett missförhållande, men inte allvarligt."},
    "risk": {"established": "risk", "serious_harm": False,
             "serious_harm_motivation": "Inget missförhållande inträffade.",
             "serious_risk": False, "serious_risk_motivation": "Risken gällde inte allvarlig skada.",
             "rationale": "En påtaglig risk för ett missförhållande, inte allvarligt."},
    "serious_misconduct": {"established": "misconduct", "serious_harm": True,
                           "rationale": "Ett allvarligt missförhållande som ska anmälas till IVO."},
    "serious_risk": {"established": "risk", "serious_harm": False,
                     "serious_harm_motivation": "Ingen skada uppstod.", "serious_risk": True,
                     "rationale": "En påtaglig risk för ett allvarligt missförhållande som ska anmälas till IVO."},
}
IVO_DECISIONS = {
    "no_criticism": "IVO avslutar ärendet utan kritik. Nämnden har utrett händelsen och vidtagit åtgärder.",
    "criticism": "IVO riktar kritik mot nämnden för bristerna i verksamheten men avslutar ärendet.",
    "demands": "IVO begär att nämnden redovisar hur rutinerna följs upp och hur personalen utbildas.",
}


# --- time ------------------------------------------------------------------------------------------

def _loaded(case: Case) -> dict:
    """A command's reference and the case's version, as a form loaded now would send them."""
    return {"reference": case.reference, "expected_version": case.version}


def local_moment(day: date, at: time) -> datetime:
    """A Swedish wall-clock moment as naive UTC, the form the clock and the columns use."""
    return datetime.combine(day, at, tzinfo=STOCKHOLM).astimezone(UTC).replace(tzinfo=None)


def previous_working_day(day: date) -> date:
    while not deadlines.is_working_day(day):
        day -= timedelta(days=1)
    return day


# --- the context every story uses -------------------------------------------------------------------

class Demo:
    """The demo organisation by name, today's date, and the random numbers (one generator per story)."""

    def __init__(self, now: datetime, seed: int = SEED, scale: float = 1.0):
        self.now = now
        self.today = to_local(now).date()
        self.seed, self.scale = seed, scale
        self.start = date(self.today.year - DETAIL_YEARS, self.today.month, 1)  # Värna taken into use
        self._users = {u.username: u.id for u in db.session.scalars(select(User))}
        units = list(db.session.scalars(select(Unit)))
        self._units = {u.name: u.id for u in units}
        names = {u.id: u.name for u in units}
        self._departments = {u.name: names.get(u.department_id, u.name) for u in units if u.depth >= 1}
        self._categories = {(c.kind, c.name): c.id for c in db.session.scalars(select(Category))}
        self._action_types = {t.name: t.id for t in db.session.scalars(select(ActionType))}

    def rng(self, *key) -> random.Random:
        # Made-up history, not secrets: a seeded generator makes the same demo every time.
        return random.Random(":".join(str(part) for part in (self.seed, *key)))  # noqa: S311

    def user(self, username: str) -> User:
        return db.session.get(User, self._users[username])

    def unit(self, name: str) -> Unit:
        return db.session.get(Unit, self._units[name])

    def has_unit(self, name: str) -> bool:
        return name in self._units

    def department_of(self, unit_name: str) -> str:
        return self._departments[unit_name]

    def handler(self, unit_name: str) -> str:
        return HANDLERS[self.department_of(unit_name)]

    def category_id(self, kind: str, name: str) -> int:
        return self._categories[(kind, name)]

    def action_type_id(self, name: str) -> int:
        return self._action_types[name]

    def ago(self, days: int) -> date:
        """The working day `days` calendar days before today, or the one before it."""
        return previous_working_day(self.today - timedelta(days=days))

    def after(self, day: date, days: int) -> date:
        """The working day `days` calendar days after `day`, or the one after it."""
        return deadlines.next_working_day(day + timedelta(days=days))


# --- a story: one case's steps --------------------------------------------------------------------

class StoryState:
    """What a story's steps share: its case (and the case it came from, after a hand-over) and its
    action. Kept as ids and loaded afresh by each step: the session is emptied after every step,
    since expiring a session that holds every case made so far at each commit made the whole
    load quadratic."""

    def __init__(self):
        self._ids: dict[str, int] = {}

    def _get(self, name: str, model):
        return db.session.get(model, self._ids[name]) if name in self._ids else None

    def _set(self, name: str, row) -> None:
        self._ids[name] = row.id

    case = property(lambda self: self._get("case", Case), lambda self, row: self._set("case", row))
    origin = property(lambda self: self._get("origin", Case), lambda self, row: self._set("origin", row))
    action = property(lambda self: self._get("action", CaseAction), lambda self, row: self._set("action", row))


class Story:
    """The steps of one case, each a plain service call on a given day. `state` holds what the
    steps share (the case, once filed; the action, once planned)."""

    def __init__(self, label: str, rng: random.Random):
        self.label, self.rng = label, rng
        self.steps: list[tuple[date, int, Callable[[], object]]] = []
        self.state = StoryState()

    def on(self, day: date | None, step: Callable[[], object]) -> None:
        """Do `step` on `day` (None: it never happens)."""
        if day is not None:
            self.steps.append((day, len(self.steps), step))

    def moments(self) -> Iterator[datetime]:
        """Yield the moment of each step, then (when resumed) take it: office hours, in order."""
        last = None
        for day, _order, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            moment = local_moment(day, time(self.rng.randint(8, 15), self.rng.randrange(0, 60, 5)))
            if last is not None and moment <= last:
                moment = last + timedelta(minutes=self.rng.randint(4, 40))
            last = moment
            yield moment
            step()


@dataclass
class RunResult:
    stories: int = 0
    steps: int = 0
    stopped: list[str] = field(default_factory=list)  # stories a service refused (non-strict runs only)


def run_stories(stories: Iterable[Story], now: datetime, *, strict: bool = True) -> RunResult:
    """Every step of every story in time order, with the clock frozen at the step's moment.
    A story ends at its first step after `now`. With `strict`, a refusal by a service is raised;
    otherwise the story stops there and is listed."""
    result = RunResult()
    stories = list(stories)
    queue: list[tuple[datetime, int, Iterator[datetime]]] = []
    for number, story in enumerate(stories):
        result.stories += 1
        steps = story.moments()
        first = next(steps, None)
        if first is not None:
            queue.append((first, number, steps))
    heapq.heapify(queue)
    labels = {number: story.label for number, story in enumerate(stories)} if not strict else {}
    while queue:
        moment, number, steps = heapq.heappop(queue)
        if moment > now:
            steps.close()
            continue
        with clock.frozen(moment):
            try:
                following = next(steps, None)
            except Exception as error:
                if strict:
                    raise
                db.session.rollback()
                result.stopped.append(f"{labels.get(number, number)}: {type(error).__name__}: {error}")
                continue
            finally:
                db.session.expunge_all()  # see StoryState
        result.steps += 1
        if following is not None:
            heapq.heappush(queue, (following, number, steps))
    return result


# --- the service calls the stories are made of -------------------------------------------------------
# Kept together and plain, one per thing a person does, so that a change of a service's
# signature is one change here.

def report_data(d: Demo, kind: str, scenario: Scenario, unit: str, rng: random.Random, **extra) -> dict:
    today = today_local()
    occurred = today - timedelta(days=rng.choice((0, 1, 1, 2, 3)) if kind != "lex_sarah" else rng.choice((0, 1)))
    person, gender = rng.choice(PEOPLE)
    child = d.department_of(unit) == "Unga"
    data = {"unit_id": d.unit(unit).id, "occurred_on": occurred, "noticed_on": today,
            "noticed_how": "Upptäcktes av personal under arbetspasset.",
            "description": f"{scenario.title}\n\n{scenario.details}", "consequences": scenario.consequences,
            "immediate_measures": scenario.measures,
            "category_ids": [d.category_id(kind, name) for name in scenario.categories],
            "client_name": person if rng.random() < 0.6 else "", "client_gender": gender,
            "client_age": "child" if child else "adult"}
    if kind == "lex_sarah":
        data["lex_sarah_type"] = scenario.lex_sarah_type
    data.update(extra)
    return data


def file(d: Demo, kind: str, data: dict) -> Case:
    return file_report(d.user("anna"), kind, data)


def take(d: Demo, who: str, case: Case) -> None:
    me = d.user(who)
    casework.assign_case(me, case.reference, assignee_id=me.id, expected_version=case.version)


def triage(d: Demo, who: str, case: Case, *, reason: str | None = None, text: str = "") -> None:
    casework.decide_triage(d.user(who), case.reference, decision="not_investigate" if reason else "investigate",
                           reason=reason, text=text, expected_version=case.version)


def note(d: Demo, who: str, case: Case, text: str, *, source: str, nature: str = "fact",
         section: str | None = None) -> None:
    investigation.add_entry(d.user(who), case.reference, section=section if case.kind == "lex_sarah" else None,
                            entry_date=today_local(), source=source, nature=nature, text=text,
                            expected_version=case.version)


def causes_and_risk(d: Demo, who: str, case: Case, scenario: Scenario, rng: random.Random) -> None:
    investigation.record_causes(d.user(who), case.reference, areas=list(scenario.areas), text=scenario.cause,
                                expected_version=case.version)
    investigation.record_risk(d.user(who), case.reference, probability=rng.randint(1, 3),
                              consequence=rng.randint(2, 4), text="Bedömt utifrån hur ofta liknande händelser "
                              "inträffat och vad de kan leda till.", expected_version=case.version)


def feedback(d: Demo, who: str, case: Case, text: str) -> None:
    if case.reporter_id is None:
        return  # a complaint from the public form (or a report made from one) has nobody in Värna to tell
    casework.give_feedback(d.user(who), case.reference, text=text, expected_version=case.version)


def close(d: Demo, who: str, case: Case, summary: str) -> None:
    open_actions = actions.open_actions_count(case)
    casework.close_case(d.user(who), case.reference, summary=summary, expected_version=case.version,
                        confirm_open_actions=bool(open_actions),
                        open_actions_reason="Åtgärderna följs upp på åtgärdslistan." if open_actions else "")


def acknowledge(d: Demo, who: str, case: Case, channel: str) -> None:
    deadlines.record_acknowledgement(d.user(who), case.reference, acknowledged_on=today_local(), channel=channel,
                                     expected_version=case.version)


def answer(d: Demo, who: str, case: Case, text: str, channel: str) -> None:
    casework.record_answer(d.user(who), case.reference, text=text, answered_on=today_local(), channel=channel,
                           expected_version=case.version)


def escalate(d: Demo, who: str, case: Case, lex_sarah_type: str) -> Case:
    return handover.escalate_to_lex_sarah(d.user(who), case.reference, lex_sarah_type=lex_sarah_type,
                                          reason="Det som hänt kan vara ett missförhållande enligt lex Sarah.",
                                          expected_version=case.version)


def plan_action(d: Demo, who: str, case: Case, scenario: Scenario, responsible: str, due_on: date):
    return actions.add_action(d.user(who), case.reference, type_id=d.action_type_id(scenario.action_type),
                              description=scenario.action, responsible_id=d.user(responsible).id, due_on=due_on)


def move_action(d: Demo, who: str, action, status: str) -> None:
    actions.update_action_status(d.user(who), action.id, status,
                                 completed_on=today_local() if status == "done" else None,
                                 cancel_reason="Ersätts av en bredare åtgärd." if status == "cancelled" else "",
                                 expected_version=action.version)


def follow_up_action(d: Demo, who: str, action, result: str) -> None:
    texts = {"yes": "Uppföljningen visar att åtgärden fungerar; inga nya händelser av samma slag.",
             "partly": "Åtgärden fungerar delvis; den behöver påminnas om på nästa arbetsplatsträff.",
             "no": "Åtgärden fick inte avsedd effekt; en ny åtgärd planeras."}
    actions.record_follow_up(d.user(who), action.id, result=result, text=texts[result], followed_up_on=today_local(),
                             expected_version=action.version)


# --- stories per kind ----------------------------------------------------------------------------------

At = Callable[[int | None], date | None]  # a step's offset in days from the receipt -> its day


def _action_steps(story: Story, d: Demo, at: At, scenario: Scenario, handler: str, plan: dict | None) -> None:
    """An action: planned, started, done, followed up (each step may not happen, or not yet)."""
    if not plan:
        return
    s = story.state

    def add():
        s.action = plan_action(d, handler, s.case, scenario, plan["responsible"], plan["due_on"])
    story.on(at(plan["add"]), add)
    doer = plan["responsible"]
    story.on(at(plan.get("start")), lambda: move_action(d, doer, s.action, "in_progress"))
    story.on(at(plan.get("done")), lambda: move_action(d, doer, s.action, "done"))
    story.on(at(plan.get("cancel")), lambda: move_action(d, handler, s.action, "cancelled"))
    story.on(at(plan.get("follow_up")), lambda: follow_up_action(d, handler, s.action, plan.get("result", "yes")))


def deviation_story(d: Demo, label: str, rng: random.Random, unit: str, scenario: Scenario, at: At,
                    p: dict) -> Story:
    story = Story(label, rng)
    s = story.state
    handler = d.handler(unit)

    def report():
        s.case = file(d, "deviation", report_data(d, "deviation", scenario, unit, rng))
    story.on(at(0), report)
    story.on(at(p.get("assign")), lambda: take(d, handler, s.case))
    if p.get("not_investigate"):
        story.on(at(p.get("triage")), lambda: triage(
            d, handler, s.case, reason="not_caused_by_service",
            text="Händelsen berodde inte på verksamheten: brukaren hade själv avbokat besöket."))
        story.on(at(p.get("feedback")), lambda: feedback(d, handler, s.case, "Tack för din rapport. Händelsen "
                                                         "berodde inte på oss, så den utreds inte vidare."))
        return story
    story.on(at(p.get("triage")), lambda: triage(d, handler, s.case))
    for number, offset in enumerate(p.get("entries", ())):
        text, source, nature = ((scenario.finding, "Samtal med personalen och genomgång av dokumentationen", "fact")
                                if number == 0 else (scenario.cause, "Enhetschefens bedömning", "assessment"))
        story.on(at(offset), lambda text=text, source=source, nature=nature: note(
            d, handler, s.case, text, source=source, nature=nature))
    story.on(at(p.get("causes")), lambda: causes_and_risk(d, handler, s.case, scenario, rng))
    if p.get("escalate") is not None:
        def escalated():
            s.origin, s.case = s.case, escalate(d, handler, s.case, scenario.lex_sarah_type)
        story.on(at(p["escalate"]), escalated)
        _lex_sarah_steps(story, d, at, unit, scenario, handler, p["lex_sarah"])
        return story
    _action_steps(story, d, at, scenario, handler, p.get("action"))
    story.on(at(p.get("feedback")), lambda: feedback(d, handler, s.case, scenario.feedback))
    story.on(at(p.get("close")), lambda: close(d, handler, s.case, scenario.closing))
    return story


def _judge_and_after(story: Story, d: Demo, at: At, unit: str, scenario: Scenario, handler: str, p: dict) -> None:
    """The officer's part: judgment, then IVO (or the hand-over), informing, actions, closing."""
    s = story.state
    outcome = p.get("outcome")
    if outcome is None:
        return
    answers = JUDGMENTS[outcome]
    story.on(at(p.get("judge")), lambda: judgment.record_judgment(d.user("sara"), s.case.reference,
                                                                   expected_version=s.case.version, **answers))

    def inform():
        item = informing.InformingItem
        child = d.department_of(unit) == "Unga"
        informing.record_informing(d.user("sara"), **_loaded(s.case), items={
            "client": item(on=today_local()),
            "guardian": item(on=today_local()) if child else item(not_applicable=True, reason="Brukaren är vuxen "
                                                                  "och har ingen god man eller förvaltare."),
            "case_file": item(on=today_local()),
            "reporter": item(on=today_local()),
            "work_group": item(on=today_local()),
        })
    if outcome == "none":
        if p.get("handover") is not None:
            # Informing is settled before the report is closed by the hand-over.
            story.on(at(p.get("informing")), inform)

            def hand_over():
                s.origin, s.case = s.case, handover.hand_over_to_deviation(
                    d.user("sara"), s.case.reference, reason="Inget missförhållande; händelsen hanteras som en "
                    "avvikelse i verksamheten.", expected_version=s.case.version)
            story.on(at(p["handover"]), hand_over)
            # The deviation keeps the report's wish to bypass the managers, and so its handler.
            deviation_handler = handler if handler == "sara" else d.handler(unit)
            story.on(at(p.get("handover_triage")), lambda: triage(d, deviation_handler, s.case))
            story.on(at(p.get("handover_close")), lambda: close(d, deviation_handler, s.case, scenario.closing))
            return
    elif outcome.startswith("serious"):
        def draft():
            sara = d.user("sara")
            fields = notification.draft_defaults(s.case, sara)
            attached = p.get("attached", False)
            fields.update(planned_measures=scenario.action, investigation_attached=attached,
                          investigation_expected_on=None if attached else today_local() + timedelta(days=50),
                          # the rest of IVO's form, so that the demo document is complete
                          activity_kind=UNIT_ACTIVITY_KINDS.get(s.case.unit.name, "other_sol"),
                          police_reported=False, other_authority_reported=False,
                          client_informed=True, client_informed_on=today_local(),
                          board_reference=f"SN {today_local().year}/{s.case.reference.rsplit('-', 1)[-1]}")
            if not fields["seriousness_motivation"]:
                fields["seriousness_motivation"] = "Händelsen kunde ha skadat den enskildes hälsa allvarligt."
            notification.save_notification_draft(sara, **_loaded(s.case), **fields)
        story.on(at(p.get("draft")), draft)
        if p.get("not_notify") is not None:
            story.on(at(p["not_notify"]), lambda: notification.record_not_notifying(
                d.user("sara"), **_loaded(s.case),
                reason="Händelsen är redan anmäld till IVO av hälso- och sjukvården, som ansvarar för den del "
                "som var allvarlig."))
        else:
            ivo_reference = f"8.5.1-{story.rng.randint(10000, 99999)}/{(at(p.get('notify')) or d.today).year}"
            def sign_and_send():
                notification.finalise_notification(d.user("sara"), **_loaded(s.case))
                notification.notify_ivo(d.user("sara"), **_loaded(s.case),
                                        sent_via="e_service" if story.rng.random() < 0.9 else "post",
                                        sent_on=today_local(), ivo_reference=ivo_reference)
            story.on(at(p.get("notify")), sign_and_send)
            if not p.get("attached"):
                story.on(at(p.get("investigation_sent")), lambda: notification.record_investigation_sent(
                    d.user("sara"), **_loaded(s.case), sent_on=today_local()))
            # IVO may ask for a supplement (komplettering) with three weeks to answer.
            story.on(at(p.get("supplement")), lambda: supplement.record_supplement_request(
                d.user("sara"), **_loaded(s.case), requested_on=today_local(),
                due_on=today_local() + timedelta(days=21),
                text="IVO vill ha in den reviderade rutinen och en plan för hur den följs upp."))
            story.on(at(p.get("supplement_reply")), lambda: supplement.record_supplement_reply(
                d.user("sara"), **_loaded(s.case), answered_on=today_local()))
            ivo_outcome = p.get("ivo_outcome", "no_criticism")
            story.on(at(p.get("ivo_decision")), lambda: notification.record_ivo_decision(
                d.user("sara"), **_loaded(s.case), outcome=ivo_outcome, decided_on=today_local(),
                text=IVO_DECISIONS[ivo_outcome]))

    story.on(at(p.get("informing")), inform)
    if outcome != "none":
        _action_steps(story, d, at, scenario, handler, p.get("action"))
    story.on(at(p.get("feedback")), lambda: feedback(d, handler, s.case, scenario.feedback))
    # Only the lex Sarah officer closes a report (the unit's manager may be the one it is about).
    story.on(at(p.get("close")), lambda: close(d, "sara", s.case, scenario.closing))


PROTECTION_TEXT = ("Brukaren fick stöd av annan personal direkt; den berörda medarbetaren arbetar inte hos "
                   "brukaren medan händelsen utreds.")
POSITION_PROPOSAL = ("Samtalen med personalen och brukaren visar att insatsen gavs som planerat; det som "
                     "rapporterades var ett missförstånd om tiden. Inget missförhållande och ingen påtaglig risk.")

NOTHING_TO_RECORD = {
    "happened_before": "Inget liknande har hänt på enheten enligt avvikelser och rapporter de senaste två åren.",
    "when_happened": "Tidpunkten framgår av rapporten och har inte ifrågasatts.",
    "other": "Inget annat har framkommit.",
}


def _lex_sarah_steps(story: Story, d: Demo, at: At, unit: str, scenario: Scenario, handler: str, p: dict) -> None:
    """From triage to closing; `state.case` is the report (filed, or made by a hand-over, before)."""
    s = story.state
    # The receiver protects the individual at once; the reports still "new" in the showcase have not yet.
    story.on(at(p.get("triage")), lambda: protection.record_protection(
        d.user(handler), s.case.reference, what=PROTECTION_TEXT, done_on=today_local(),
        done_by=f"{d.user(handler).full_name}, {d.user(handler).title}".rstrip(", "),
        expected_version=s.case.version))
    if p.get("not_investigate"):
        # Every report is investigated: a short investigation the officer closes with a ställningstagande.
        position_text = "Händelsen gäller hälso- och sjukvård och utreds enligt lex Maria av regionen."
        story.on(at(p.get("triage")), lambda: triage(d, handler, s.case))
        story.on(at(p.get("triage")), lambda: note(d, "sara", s.case, scenario.finding,
                                                   source="Samtal med berörd personal", section="what_happened"))
        story.on(at(p.get("triage")), lambda: note(d, "sara", s.case, position_text, source="Lex Sarah-ansvarig",
                                                   nature="assessment", section="decision"))

        def settle_and_close():
            item = informing.InformingItem
            not_needed = item(not_applicable=True, reason="Ärendet lämnades över till MAS, som informerar.")
            informing.record_informing(d.user("sara"), **_loaded(s.case), items={
                "client": not_needed, "guardian": not_needed, "case_file": not_needed,
                "reporter": item(on=today_local()), "work_group": item(on=today_local())})
            position.close_with_position(d.user("sara"), s.case.reference, reason="health_care",
                                         text=position_text, passed_on=today_local(),
                                         expected_version=s.case.version)
        story.on(at(p.get("triage")), settle_and_close)
        return
    story.on(at(p.get("triage")), lambda: triage(d, handler, s.case))
    story.on(at(p.get("assign")), lambda: take(d, handler, s.case))
    sections = [("what_happened", scenario.finding, "Samtal med berörd personal", "fact"),
                ("came_to_attention", "Händelsen uppmärksammades av personal och rapporterades samma dag.",
                 "Rapporten", "fact"),
                ("causes", scenario.cause, "Utredarens bedömning", "assessment"),
                ("measures", scenario.action, "Utredningen", "assessment")]
    for offset, (section, text, source, nature) in zip(p.get("entries", ()), sections, strict=False):
        story.on(at(offset), lambda section=section, text=text, source=source, nature=nature: note(
            d, handler, s.case, text, source=source, nature=nature, section=section))
    story.on(at(p.get("causes")), lambda: causes_and_risk(d, handler, s.case, scenario, story.rng))
    if p.get("propose_position") is not None and handler != "sara":
        # The investigator proposes closing with a ställningstagande; it waits on the officer's desk.
        story.on(at(p["propose_position"]), lambda: position.propose_position(
            d.user(handler), s.case.reference, reason="no_misconduct", text=POSITION_PROPOSAL,
            expected_version=s.case.version))
    if p.get("outcome") and p.get("propose") is not None and handler != "sara":
        answers = JUDGMENTS[p["outcome"]]
        story.on(at(p["propose"]), lambda: judgment.propose_judgment(
            d.user(handler), s.case.reference, expected_version=s.case.version, **answers))
    def finish():
        # Each of the nine sections is addressed before the investigation is finished: what has no
        # entry gets an explicit "nothing to record"; and causes and risk are recorded.
        for section in RECORD_SECTIONS:
            if section not in addressed_sections(s.case):
                reason = NOTHING_TO_RECORD.get(section, "Inget har framkommit under utredningen.")
                record.mark_nothing_to_record(d.user(handler), s.case.reference, section=section, reason=reason,
                                              expected_version=s.case.version)
        facts = facts_for(s.case)
        if not (facts["causes_recorded"] and facts["risk_assessed"]):
            causes_and_risk(d, handler, s.case, scenario, story.rng)
        investigation.finish_investigation(d.user(handler), s.case.reference, expected_version=s.case.version)
    story.on(at(p.get("finish")), finish)
    _judge_and_after(story, d, at, unit, scenario, handler, p)


def lex_sarah_story(d: Demo, label: str, rng: random.Random, unit: str, scenario: Scenario, at: At,
                    p: dict) -> Story:
    story = Story(label, rng)
    s = story.state
    bypass = bool(p.get("bypass"))
    handler = "sara" if bypass else d.handler(unit)

    def report():
        s.case = file(d, "lex_sarah", report_data(d, "lex_sarah", scenario, unit, rng, bypass_manager=bypass))
    story.on(at(0), report)
    _lex_sarah_steps(story, d, at, unit, scenario, handler, p)
    return story


def complaint_story(d: Demo, label: str, rng: random.Random, text: ComplaintText, at: At, p: dict) -> Story:
    story = Story(label, rng)
    s = story.state
    channel = p["channel"]
    unit = p.get("unit") or text.department
    handler = d.handler(unit)
    anonymous = p.get("anonymous", False)
    wanted = p.get("answer_wanted", True) and not anonymous
    name = rng.choice(PEOPLE)[0]
    email = (name.split()[0].lower().replace("ö", "o").replace("å", "a").replace("ä", "a")
             + "@exempel.se") if rng.random() < 0.7 else ""
    phone = f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    address = f"{rng.choice(('Ängsvägen', 'Skolgatan', 'Björkvägen', 'Backgatan'))} {rng.randint(1, 40)}, " \
              f"123 {rng.randint(40, 59)} Exempelby"
    relation = p.get("relation") or rng.choice(("client", "relative", "relative", "guardian", "other"))
    category_id = d.category_id("complaint", text.category)

    def submit_online():
        receipt = public.submit_complaint(
            client_ip=f"203.0.113.{rng.randint(1, 254)}", department_id=d.unit(text.department).id,
            description=f"{text.title}. {text.details}", anonymous=anonymous, relation=relation,
            wishes=text.wishes, category_id=category_id, name="" if anonymous else name,
            email="" if anonymous else (email or ""), phone="" if anonymous or email else phone,
            address="", answer_wanted=wanted)
        s.case = db.session.scalar(select(Case).where(Case.reference == receipt.reference))

    def register():
        data = {"unit_id": d.unit(unit).id, "occurred_on": today_local() - timedelta(days=rng.randint(1, 10)),
                "description": f"{text.title}\n\n{text.details}", "category_ids": [category_id],
                "channel": channel, "relation": "anonymous" if anonymous else relation, "answer_wanted": wanted,
                "wishes": text.wishes, "complainant_name": "" if anonymous else name,
                "complainant_email": "" if anonymous else email, "complainant_phone": "" if anonymous else phone,
                "complainant_address": "" if anonymous else address,
                "ivo_reference": f"3.5.1-{rng.randint(1000, 9999)}/{today_local().year}" if channel == "ivo" else ""}
        registrar = p.get("registered_by")
        if registrar:
            # Taken by phone and written down by the unit's manager: its registrar, not its reporter (jäv).
            s.case = file_report(d.user(registrar), "complaint", {**data, "on_behalf": True})
        else:
            s.case = file(d, "complaint", data)
    story.on(at(0), submit_online if channel == "web" else register)
    if channel != "web" and not anonymous:
        story.on(at(p.get("acknowledge")), lambda: acknowledge(d, handler, s.case, "email" if email else "letter"))
    story.on(at(p.get("assign")), lambda: take(d, handler, s.case))
    if p.get("not_investigate"):
        story.on(at(p.get("triage")), lambda: triage(
            d, handler, s.case, reason="not_own_service",
            text="Klagomålet gäller regionens hälso- och sjukvård och har lämnats över dit."))
        return story
    story.on(at(p.get("triage")), lambda: triage(d, handler, s.case))
    for offset in p.get("entries", ()):
        story.on(at(offset), lambda: note(d, handler, s.case, text.finding, source="Samtal med berörd personal"))
    if p.get("escalate") is not None:
        def escalated():
            s.origin = s.case
            s.case = escalate(d, handler, s.case, "risk")
        story.on(at(p["escalate"]), escalated)
        scenario = next(x for x in LEX_SARAH if handler == d.handler(x.units[0]))
        _lex_sarah_steps(story, d, at, unit, scenario, handler, p["lex_sarah"])
        complaint = story.state

        def answer_origin():
            answer(d, handler, complaint.origin, text.answer, "email" if email else "letter")
        story.on(at(p.get("answer")) if wanted else None, answer_origin)
        story.on(at(p.get("close_complaint")), lambda: close(d, handler, complaint.origin, "Klagomålet är besvarat "
                                                               "och har lett till en lex Sarah-rapport."))
        return story
    if wanted:
        story.on(at(p.get("answer")), lambda: answer(d, handler, s.case, text.answer,
                                                     "email" if email else ("phone" if not address else "letter")))
    story.on(at(p.get("close")), lambda: close(d, handler, s.case, "Klagomålet är utrett"
                                               + (" och besvarat." if wanted else ".")))
    return story


# --- background: drawn from the seed ------------------------------------------------------------------

def _received_days(d: Demo, kind: str, per_month: float) -> Iterator[tuple[int, date]]:
    """The days cases of `kind` came in, month by month since Värna was taken into use (slowly
    growing: more reports are a sign of a reporting culture, as the quality reports say)."""
    months = (d.today.year - d.start.year) * 12 + d.today.month - d.start.month + 1
    number = 0
    for month in range(months):
        first = date(d.start.year + (d.start.month - 1 + month) // 12, (d.start.month - 1 + month) % 12 + 1, 1)
        rng = d.rng(kind, "month", first.isoformat())
        growth = 0.85 + 0.3 * month / max(months - 1, 1)
        expected = per_month * growth * d.scale * rng.uniform(0.7, 1.3)
        count = int(expected) + (rng.random() < expected % 1)  # a small scale still gets some
        span = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
        for _ in range(count):
            day = deadlines.next_working_day(first + timedelta(days=rng.randrange(span)))
            if day < d.today:
                number += 1
                yield number, day


def _background_action(d: Demo, rng: random.Random, unit: str, handler: str, start: int) -> dict | None:
    if rng.random() >= 0.45:
        return None
    responsible = "anna" if unit == "Boendestöd" and rng.random() < 0.6 else \
        ("admin" if rng.random() < 0.15 else handler)
    if handler == "sara":
        responsible = "sara"  # a report that bypassed the managers: only the officers answer for its actions
    due = start + rng.randint(14, 45)
    plan = {"add": start, "responsible": responsible, "due": due}
    fate = rng.random()
    if fate < 0.08:
        plan["cancel"] = start + rng.randint(3, 20)
    else:
        if rng.random() < 0.6:
            plan["start"] = start + rng.randint(1, 6)
        plan["done"] = max(due + rng.randint(-10, 12), plan.get("start", start) + 1)
        if rng.random() < 0.85:
            plan["follow_up"] = plan["done"] + rng.randint(30, 70)
            plan["result"] = rng.choice(("yes", "yes", "yes", "partly", "no"))
    return plan


def _with_due_date(plan: dict | None, received: date) -> dict | None:
    if plan:
        plan["due_on"] = received + timedelta(days=plan.pop("due"))
    return plan


def _forward(d: Demo, received: date) -> At:
    return lambda offset: None if offset is None else (received if offset == 0 else d.after(received, offset))


def _lex_sarah_plan(rng: random.Random, start: int) -> dict:
    """A lex Sarah report's course, beginning `start` days after the receipt of its case."""
    p: dict = {"triage": start + rng.choice((0, 0, 1)), "assign": start + rng.choice((0, 1))}
    if rng.random() < 0.06:
        p["not_investigate"] = True
        return p
    first = start + 1
    p["entries"] = sorted(first + rng.randint(0, 9) for _ in range(4))
    if rng.random() < 0.6:
        p["causes"] = p["entries"][-1]
    p["finish"] = p["entries"][-1] + rng.randint(0, 4)
    if rng.random() < 0.5:
        p["propose"] = p["finish"]
    p["judge"] = p["finish"] + rng.randint(1, 7)
    p["outcome"] = rng.choices(list(JUDGMENTS), weights=(20, 30, 20, 18, 12))[0]
    if p["outcome"] == "none" and rng.random() < 0.6:
        p["handover"] = p["judge"] + rng.randint(0, 3)
        p["informing"] = p["handover"]  # settled before the hand-over closes the report
        p["handover_triage"] = p["handover"] + rng.randint(1, 3)
        p["handover_close"] = p["handover_triage"] + rng.randint(5, 20)
        return p
    if p["outcome"].startswith("serious"):
        p["draft"] = p["judge"] + rng.randint(0, 2)
        if rng.random() < 0.12:
            p["not_notify"] = p["draft"]
        else:
            p["notify"] = p["draft"]
            p["attached"] = rng.random() < 0.3
            if not p["attached"]:
                p["investigation_sent"] = p["notify"] + rng.randint(20, 48)
            p["ivo_decision"] = p["notify"] + rng.randint(70, 160)
            p["ivo_outcome"] = rng.choices(("no_criticism", "criticism", "demands"), weights=(5, 3, 2))[0]
    p["informing"] = p["judge"] + rng.randint(1, 10)
    p["close"] = p["judge"] + rng.randint(4, 20)
    # Nothing closes before informing is settled and a notified investigation is sent to IVO.
    p["close"] = max(p["close"], p["informing"], p.get("investigation_sent", 0))
    if rng.random() < 0.5:
        p["feedback"] = p["close"]
    return p


def background_deviations(d: Demo) -> Iterator[Story]:
    for number, received in _received_days(d, "deviation", 3.7):
        rng = d.rng("deviation", number)
        scenario = rng.choice(DEVIATIONS)
        unit = rng.choice(scenario.units)
        handler = d.handler(unit)
        triage_day = rng.choice((0, 1, 2, 3))
        p: dict = {"assign": min(rng.choice((0, 1, 2)), triage_day) if rng.random() < 0.85 else None,
                   "triage": triage_day}
        if rng.random() < 0.08:
            p["not_investigate"] = True
            p["feedback"] = p["triage"] if rng.random() < 0.5 else None
        elif rng.random() < 0.04:
            p["entries"] = [p["triage"] + 1]
            p["escalate"] = p["triage"] + rng.randint(1, 4)
            p["lex_sarah"] = _lex_sarah_plan(rng, p["escalate"] + 1)
        else:
            p["entries"] = sorted(p["triage"] + rng.randint(1, 12) for _ in range(rng.randint(1, 2)))
            if rng.random() < 0.5:
                p["causes"] = p["entries"][-1] + rng.randint(0, 3)
            p["action"] = _with_due_date(_background_action(d, rng, unit, handler, p["entries"][-1] + 1),
                                         received)
            p["close"] = p["entries"][-1] + rng.randint(3, 30)
            if rng.random() < 0.6:
                p["feedback"] = p["close"]
        yield deviation_story(d, f"deviation {number}", rng, unit, scenario, _forward(d, received), p)


def background_complaints(d: Demo) -> Iterator[Story]:
    for number, received in _received_days(d, "complaint", 1.8):
        rng = d.rng("complaint", number)
        text = rng.choice(COMPLAINTS)
        channel = rng.choices(("web", "phone", "letter", "email", "visit", "ivo"), weights=(50, 15, 10, 15, 5, 5))[0]
        unit = text.department if channel == "web" else rng.choice(
            [u for s in DEVIATIONS for u in s.units if d.department_of(u) == text.department])
        triage_day = rng.randint(1, 4)
        p: dict = {"channel": channel, "unit": unit, "anonymous": rng.random() < 0.12,
                   "answer_wanted": rng.random() < 0.92, "acknowledge": rng.randint(1, triage_day),
                   "assign": min(rng.choice((0, 1, 2, 3)), triage_day) if rng.random() < 0.85 else None,
                   "triage": triage_day}
        if rng.random() < 0.07:
            p["not_investigate"] = True
        else:
            p["entries"] = [p["triage"] + rng.randint(2, 10)]
            p["answer"] = p["entries"][0] + rng.randint(3, 30)
            p["close"] = p["answer"] + rng.randint(1, 10)
            if rng.random() < 0.03 and not p["anonymous"]:
                p["escalate"] = p["entries"][0] + 1
                p["lex_sarah"] = _lex_sarah_plan(rng, p["escalate"] + 1)
                p["close_complaint"] = p.pop("close")
        yield complaint_story(d, f"complaint {number}", rng, text, _forward(d, received), p)


def background_lex_sarah(d: Demo) -> Iterator[Story]:
    for number, received in _received_days(d, "lex_sarah", 1.2):
        rng = d.rng("lex_sarah", number)
        scenario = rng.choice(LEX_SARAH)
        unit = rng.choice(scenario.units)
        bypass = rng.random() < 0.1
        p = _lex_sarah_plan(rng, 0)
        p["bypass"] = bypass
        if p.get("outcome") not in (None, "none"):
            p["action"] = _with_due_date(_background_action(d, rng, unit, "sara" if bypass else d.handler(unit),
                                                            p["judge"] + 1), received)
        yield lex_sarah_story(d, f"lex Sarah {number}", rng, unit, scenario, _forward(d, received), p)


# --- the showcase: fixed, relative to today ------------------------------------------------------------

def _backward(d: Demo, days_ago: int) -> At:
    """Offsets from a receipt `days_ago` calendar days back, each on a working day no later than
    the offset says (so a showcase step always lies in the past)."""
    received = d.ago(days_ago)
    return lambda offset: None if offset is None else (received if offset == 0 else d.ago(days_ago - offset))


def _scenario(rows: list, title_start: str):
    return next(s for s in rows if s.title.startswith(title_start))


def showcase(d: Demo) -> Iterator[Story]:
    """One case for each thing the demo users should find on their pages today."""
    dev, ls, com = DEVIATIONS, LEX_SARAH, COMPLAINTS

    def due(days_from_today: int) -> date:
        return d.today + timedelta(days=days_from_today)

    def story(kind, label, days_ago, subject, p, unit=None):
        at = _backward(d, days_ago)
        r = d.rng("showcase", label)
        if kind == "deviation":
            return deviation_story(d, label, r, unit or subject.units[0], subject, at, p)
        if kind == "lex_sarah":
            return lex_sarah_story(d, label, r, unit or subject.units[0], subject, at, p)
        return complaint_story(d, label, r, subject, at, p)

    # erik (Vuxna): an overdue deviation with a late action for anna, one due soon, a new one nobody has taken.
    yield story("deviation", "erik overdue", 38, _scenario(dev, "Planerat hembesök"), {
        "assign": 1, "triage": 1, "entries": [6, 18], "action": {"add": 18, "responsible": "anna",
                                                               "due_on": due(-4)}}, unit="Boendestöd")
    yield story("deviation", "erik due soon", 22, _scenario(dev, "Trygghetslarmet"), {
        "assign": 1, "triage": 1, "entries": [9]}, unit="Socialpsykiatri")
    yield story("deviation", "erik new", 1, _scenario(dev, "Brev med beslut"), {})
    # complaints for erik: unanswered and overdue, registered by phone and not yet acknowledged, answered.
    yield story("complaint", "erik complaint overdue", 34, _scenario(com, "Det tar för lång tid"), {
        "channel": "web", "assign": 1, "triage": 1, "entries": [8]})
    yield story("complaint", "erik complaint new", 3, _scenario(com, "Min pappa"), {
        "channel": "phone", "unit": "Boendestöd", "registered_by": "erik"})
    yield story("complaint", "erik complaint answered", 20, _scenario(com, "Det går aldrig"), {
        "channel": "web", "assign": 1, "triage": 1, "entries": [7], "answer": 16})
    # lex Sarah in Vuxna: new and past its triage deadline; under investigation; awaiting judgment
    # without a proposal.
    yield story("lex_sarah", "erik lex Sarah new", 5, _scenario(ls, "Personal hotade"), {})
    yield story("lex_sarah", "erik under investigation", 8, _scenario(ls, "Brukaren fick inte"), {
        "triage": 0, "assign": 0, "entries": [2, 5], "propose_position": 6})  # erik proposes a ställningstagande
    yield story("lex_sarah", "erik awaiting judgment", 13, _scenario(ls, "Brukaren fick inte"), {
        "triage": 0, "assign": 0, "entries": [2, 3, 6, 9], "finish": 10})
    # ulla (Unga): an overdue deviation with her own late action, one due soon, an answer due soon.
    yield story("deviation", "ulla overdue", 40, _scenario(dev, "Trasigt lås"), {
        "assign": 0, "triage": 1, "entries": [5, 20], "action": {"add": 20, "responsible": "ulla",
                                                               "start": 22, "due_on": due(-9)}})
    yield story("deviation", "ulla due soon", 20, _scenario(dev, "Vårdnadshavarna"), {
        "assign": 1, "triage": 2, "entries": [10]})
    yield story("complaint", "ulla complaint due soon", 22, _scenario(com, "Utredningen om vår"), {
        "channel": "web", "assign": 1, "triage": 1, "entries": [6]})
    yield story("complaint", "ulla complaint new", 2, _scenario(com, "Vi fick inget svar"), {
        "channel": "web", "anonymous": True})
    yield story("lex_sarah", "ulla awaiting judgment", 18, _scenario(ls, "Ungdom med självskade"), {
        "triage": 0, "assign": 0, "entries": [3, 4, 8, 12], "causes": 12, "propose": 14, "finish": 14,
        "outcome": "misconduct"})  # proposed by ulla; the judgment is sara's, not yet made
    # sara: a report that bypassed the managers, new; a serious judgment not yet notified.
    yield story("lex_sarah", "sara bypass new", 1, _scenario(ls, "Pengar saknas"), {"bypass": True})
    yield story("lex_sarah", "sara serious not notified", 26, _scenario(ls, "Orosanmälan om ett barn"), {
        "triage": 0, "assign": 1, "entries": [2, 3, 9, 14], "finish": 18, "outcome": "serious_risk",
        "judge": 23, "draft": 24})
    # notified: investigation due to IVO within days, one past due, one sent and awaiting IVO's decision,
    # and one where IVO has just demanded measures (an action is planned for them).
    yield story("lex_sarah", "sara investigation due", 75, _scenario(ls, "Brukare med hög fallrisk"), {
        "triage": 0, "assign": 0, "entries": [2, 4, 8, 10], "finish": 12, "outcome": "serious_risk",
        "judge": 15, "draft": 17, "notify": 17, "informing": 20}, unit="Boendestöd")  # open until it is sent
    yield story("lex_sarah", "sara investigation late", 95, _scenario(ls, "Ungdom hölls fast"), {
        "triage": 0, "assign": 0, "entries": [1, 2, 6, 9], "finish": 10, "outcome": "serious_misconduct",
        "judge": 12, "draft": 13, "notify": 13, "informing": 16})
    yield story("lex_sarah", "sara awaiting decision", 150, _scenario(ls, "Pengar saknas"), {
        "triage": 0, "assign": 0, "entries": [2, 3, 7, 10], "causes": 10, "finish": 12,
        "outcome": "serious_misconduct", "judge": 16, "draft": 17, "notify": 17, "investigation_sent": 70,
        "informing": 20, "close": 72, "supplement": 140}, unit="Socialpsykiatri")
    yield story("lex_sarah", "sara IVO demands", 220, _scenario(ls, "Brukaren fick inte"), {
        "triage": 0, "assign": 0, "entries": [2, 3, 7, 10], "finish": 11, "outcome": "serious_misconduct",
        "judge": 14, "draft": 15, "notify": 15, "investigation_sent": 60, "informing": 18, "close": 62,
        "ivo_decision": 214, "ivo_outcome": "demands"})
    # actions: done and waiting for follow-up (anna's and ulla's), planned for anna, in progress for admin.
    yield story("deviation", "anna follow-up due", 95, _scenario(dev, "Ändrad medicinering"), {
        "assign": 0, "triage": 1, "entries": [4, 8], "causes": 9, "action": {
            "add": 10, "responsible": "anna", "start": 15, "done": 50, "due_on": due(-40)},
        "feedback": 51, "close": 51}, unit="Boendestöd")
    yield story("deviation", "ulla follow-up due", 100, _scenario(dev, "Journalanteckningar"), {
        "assign": 0, "triage": 1, "entries": [3, 6], "action": {
            "add": 8, "responsible": "ulla", "done": 55, "due_on": due(-45)}, "close": 56})
    yield story("deviation", "anna action planned", 16, _scenario(dev, "Genomförandeplanen"), {
        "assign": 1, "triage": 1, "entries": [4, 9], "action": {"add": 11, "responsible": "anna",
                                                              "due_on": due(20)}}, unit="Boendestöd")
    yield story("deviation", "admin action in progress", 45, _scenario(dev, "Beslut om bistånd"), {
        "assign": 1, "triage": 2, "entries": [6, 10], "causes": 11, "action": {
            "add": 12, "responsible": "admin", "start": 16, "due_on": due(15)}, "feedback": 14, "close": 14})


# --- the builders per kind ---------------------------------------------------------------------------

# One entry per kind of case: its background stories of the last two years, built from plans like
# _lex_sarah_plan and a story like lex_sarah_story. A new kind of case (supervision cases, say) adds
# its builder here, its yearly numbers to IMPORTED_PER_YEAR if the old register had it, and, for rows
# its users should find today, its stories to showcase().
STORY_BUILDERS: tuple[tuple[str, Callable[[Demo], Iterable[Story]]], ...] = (
    ("deviation", background_deviations),
    ("complaint", background_complaints),
    ("lex_sarah", background_lex_sarah),
    ("supervision", supervision_demo.stories),
)


# --- earlier years: the import ---------------------------------------------------------------------------

IMPORTED_PER_YEAR = {"deviation": (34, 37, 40, 43), "complaint": (16, 18, 19, 21), "lex_sarah": (8, 9, 11, 12)}


def earlier_years_csv(d: Demo) -> bytes:
    """The old register's export: every case from January `IMPORTED_YEARS` years before Värna was
    taken into use until the day before, in the import's CSV format."""
    first_year = d.start.year - IMPORTED_YEARS
    last_day = d.start - timedelta(days=1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(imports.COLUMNS)
    for kind, per_year in IMPORTED_PER_YEAR.items():
        prefix = {"deviation": "AV", "complaint": "KL", "lex_sarah": "LS"}[kind]
        for index, year in enumerate(range(first_year, d.start.year + 1)):
            rng = d.rng("import", kind, year)
            year_end = min(date(year, 12, 31), last_day)
            days = (year_end - date(year, 1, 1)).days + 1
            if days <= 0:
                continue
            count = round(per_year[min(index, len(per_year) - 1)] * days / 365)
            received = sorted(date(year, 1, 1) + timedelta(days=rng.randrange(days)) for _ in range(count))
            for number, day in enumerate(received, start=1):
                writer.writerow(_imported_row(d, rng, kind, f"{prefix}-{year}-{number:04d}", day, last_day))
    return out.getvalue().encode("utf-8")


def _imported_row(d: Demo, rng: random.Random, kind: str, reference: str, received: date, last_day: date) -> list:
    closed = min(received + timedelta(days=rng.randint(5, 60)), last_day)
    row = dict.fromkeys(imports.COLUMNS, "")
    if kind == "complaint":
        text = rng.choice(COMPLAINTS)
        unit, summary, categories = text.department, text.title, text.category
        row["channel"] = rng.choices(("web", "phone", "letter", "email", "visit", "ivo"),
                                     weights=(35, 20, 15, 20, 5, 5))[0]
    else:
        scenario = rng.choice(DEVIATIONS if kind == "deviation" else LEX_SARAH)
        unit, summary, categories = rng.choice(scenario.units), scenario.title, ";".join(scenario.categories)
    row.update(reference=reference, kind=kind, received_date=received.isoformat(),
               department=d.department_of(unit), unit="" if unit == d.department_of(unit) else unit,
               summary=summary, categories=categories, closed_date=closed.isoformat(),
               client_gender=rng.choice(("female", "male", "female", "male", "unknown")))
    if rng.random() < 0.07:
        row["triage"] = "not_investigated"
        return [row[name] for name in imports.COLUMNS]
    row["triage"] = "investigate"
    if kind == "lex_sarah":
        judgment = rng.choices(("misconduct", "risk", "none"), weights=(50, 30, 20))[0]
        row["judgment"] = judgment
        if judgment == "none":
            row["handled_as_deviation"] = "yes" if rng.random() < 0.6 else "no"
        else:
            serious = rng.random() < 0.35
            row["serious"] = "yes" if serious else "no"
            if serious and rng.random() < 0.9:
                row["ivo_notified_date"] = min(received + timedelta(days=rng.randint(7, 25)), closed).isoformat()
    return [row[name] for name in imports.COLUMNS]


# --- the organisation's details ------------------------------------------------------------------------

def fill_in_details(d: Demo) -> list[str]:
    """The nämnd's details and the units' addresses, where empty, as the admin fills them in."""
    admin = d.user("admin")
    done = []
    settings = provider.provider_settings()
    if settings is None or not settings.complete:
        provider.save_provider_settings(admin, **PROVIDER)
        done.append("provider settings")
    elif not settings.municipality:  # a database from before the municipality was asked for
        provider.save_provider_settings(admin, **{name: getattr(settings, name) or ""
                                                  for name in provider.PROVIDER_FIELDS if name != "municipality"},
                                        municipality=PROVIDER["municipality"])
        done.append("municipality")
    for name, address in UNIT_ADDRESSES.items():
        unit = d.unit(name) if d.has_unit(name) else None  # an admin may have renamed it
        if unit is not None and not unit.address:
            org.update_unit(admin, unit, name=unit.name, parent_id=unit.parent_id, address=address)
            done.append(f"address of {name}")
    for name, (public_name, sentence) in DEPARTMENT_WORDS.items():
        unit = d.unit(name) if d.has_unit(name) else None
        if unit is not None and not unit.public_name:
            org.update_unit(admin, unit, name=unit.name, parent_id=unit.parent_id, address=unit.address,
                            public_name=public_name, public_description=sentence)
            done.append(f"public words of {name}")
    return done


# --- the whole load -----------------------------------------------------------------------------------


@dataclass
class LoadResult:
    details: list[str] = field(default_factory=list)
    imported: int = 0
    run: RunResult | None = None
    cases: int = 0
    skipped_because: str = ""


def case_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def load_demo_cases(env: str, *, scale: float = 1.0, seed: int = SEED, strict: bool = False,
                    now: datetime | None = None) -> LoadResult:
    """Five years of demo cases (see the module's docstring). `scale` multiplies the background
    cases of the last two years (the showcase and the imported years stay whole); `now` is
    the moment the history leads up to (default: the clock's now)."""
    if env == "production":
        raise DemoRefused("Demo data is never loaded when VARNA_ENV=production.")
    load_demo_data(env)  # the organisation, categories and users the stories need (idempotent)
    now = now or utcnow()
    d = Demo(now, seed=seed, scale=scale)
    result = LoadResult()
    existing = case_count()
    with clock.frozen(local_moment(d.start - timedelta(days=1), time(15, 0))):
        result.details = fill_in_details(d)
        if existing:
            result.skipped_because = f"the database already holds {existing} cases"
            return result
        # The old register, imported by the admin the day before Värna was taken into use.
        imported = imports.import_cases(d.user("admin"), earlier_years_csv(d), source="demo: tidigare register")
        if not imported.ok:
            raise RuntimeError("; ".join(str(p) for p in imported.problems[:5]))
        result.imported = imported.created
    stories: list[Story] = list(showcase(d))
    for _kind, builder in STORY_BUILDERS:
        stories.extend(builder(d))
    result.run = run_stories(stories, now, strict=strict)
    result.cases = case_count()
    return result
