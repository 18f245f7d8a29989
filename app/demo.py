"""Demo data: a municipality's social services administration, its category lists and
one user per role. Loading twice changes nothing; it refuses to run in production."""

from sqlalchemy import select

from app.actions.types import ensure_default_types
from app.auth import services as accounts
from app.auth.models import User
from app.cases.models import Category
from app.extensions import db
from app.org.models import Unit
from app.workflow import Kind

ADMINISTRATION = "Socialförvaltningen"
DEPARTMENTS = {
    "Unga": ["Mottagning barn och familj", "Utredning barn och unga", "HVB Solrosen"],
    "Vuxna": ["Vuxenstöd", "Boendestöd", "Socialpsykiatri"],
    "Stab": ["Administration"],
}
# From docs/domain.md ("Categories") and the municipalities' quality reports; deviations and lex Sarah share the words.
DEVIATION_CATEGORIES = [
    "Brister i bemötande", "Utebliven insats", "Brister i utförande av insats",
    "Bristande informationsöverföring", "Brister i rättssäkerhet/handläggning", "Dokumentation",
    "Sekretess", "Fysisk miljö, utrustning, teknik", "Fysiska övergrepp", "Psykiska övergrepp",
    "Sexuella övergrepp", "Ekonomiska övergrepp",
]
# The deviation categories that describe abuse: a deviation filed with one is first offered as lex Sarah.
ABUSE_CATEGORIES = ["Fysiska övergrepp", "Psykiska övergrepp", "Sexuella övergrepp", "Ekonomiska övergrepp"]
COMPLAINT_CATEGORIES = ["Bemötande", "Handläggning", "Kompetens", "Tillgänglighet", "Insatsens kvalitet"]
DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo login, refused in production
DEMO_USERS = [
    # username, name, title, role, units
    ("anna", "Anna Andersson", "Boendestödjare", "staff", ["Boendestöd"]),
    ("erik", "Erik Eriksson", "Enhetschef", "investigator", ["Vuxna"]),
    ("ulla", "Ulla Ullsson", "Enhetschef", "investigator", ["Unga"]),
    ("sara", "Sara Svensson", "Lex Sarah-ansvarig", "officer", [ADMINISTRATION]),
    ("admin", "Adam Admin", "Kvalitetsutvecklare", "admin", [ADMINISTRATION]),
    # The nämnd's secretary reads the statistics only; no unit, so no case or action is ever theirs.
    ("board", "Birgitta Berg", "Nämndsekreterare", "board", []),
]


class DemoRefused(RuntimeError):
    pass


def _unit(name: str, parent: Unit | None) -> Unit:
    same_parent = Unit.parent_id == parent.id if parent else Unit.parent_id.is_(None)
    existing = db.session.scalar(select(Unit).where(Unit.name == name, same_parent))
    if existing:
        return existing
    # Rows are added directly, in one transaction, rather than through the admin
    # services (one commit and audit entry each): every test that needs the demo
    # organisation loads it, so its cost is paid hundreds of times per run.
    unit = Unit(name=name)
    db.session.add(unit)
    db.session.flush()
    unit.place_under(parent)
    return unit


def load_demo_data(env: str) -> list[str]:
    """Create what is missing; return a line per thing created."""
    if env == "production":
        raise DemoRefused("Demo data is never loaded when VARNA_ENV=production.")
    created: list[str] = []
    before = {u.name for u in db.session.scalars(select(Unit))}
    root = _unit(ADMINISTRATION, None)
    units_by_name = {ADMINISTRATION: root}
    for department, children in DEPARTMENTS.items():
        dep = _unit(department, root)
        units_by_name[department] = dep
        for child in children:
            units_by_name[child] = _unit(child, dep)
    created += [f"unit {name}" for name in units_by_name if name not in before]

    for kind, names in ((Kind.DEVIATION, DEVIATION_CATEGORIES), (Kind.LEX_SARAH, DEVIATION_CATEGORIES),
                        (Kind.COMPLAINT, COMPLAINT_CATEGORIES)):
        existing = set(db.session.scalars(select(Category.name).where(Category.kind == kind)))
        for position, name in enumerate(names, start=1):
            if name not in existing:
                db.session.add(Category(kind=kind, name=name, position=position,
                                        describes_abuse=kind == Kind.DEVIATION and name in ABUSE_CATEGORIES))
                created.append(f"category {kind}: {name}")
    created += [f"action type: {name}" for name in ensure_default_types()]

    for username, name, title, role, unit_names in DEMO_USERS:
        if db.session.scalar(select(User).where(User.username == username)) is None:
            # Demo passwords are short on purpose; the 12-character rule is for real passwords.
            user = User(username=username, full_name=name, title=title, role=role,
                        email=f"{username}@varna.example", units=[units_by_name[u] for u in unit_names],
                        password_hash=accounts.hash_password(DEMO_PASSWORD, enforce_policy=False))
            db.session.add(user)
            created.append(f"user {username}")
    db.session.commit()
    return created
