"""Which new passwords are too easy to guess (ASVS 2.1.7), explained in the person's language.

zxcvbn (with its own word lists; no network) estimates how many guesses a password
takes, knowing the person's username, name and e-mail address and the name of the
system; a score below 3 is refused. A password that contains the username is refused
whatever its score. zxcvbn's own feedback is English, so the explanation is built
here from what it found (repeats, a common password, a date, ...), in our own words.

Applied where a person sets a password: the change-password form, the admin's user
forms and the `flask users` commands, all through services.hash_password. The demo
loader and the tests set the password `demo` with enforce_policy=False on purpose.
"""

import re

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_SCORE = 3
MAX_CHECKED = 128  # services.MAX_PASSWORD; zxcvbn refuses longer input by default (72)
SYSTEM_WORDS = ("värna", "varna")


def personal_words(username: str = "", full_name: str = "", email: str = "") -> list[str]:
    """The words zxcvbn treats as known to an attacker of this account."""
    words = [username, full_name, full_name.replace(" ", ""), email, *SYSTEM_WORDS]
    words += full_name.split()
    local = email.split("@", 1)[0]
    words += [local, *re.split(r"[._+-]", local)]
    return sorted({w.strip().lower() for w in words if len(w.strip()) >= 2})


def weakness(password: str, *, username: str = "", full_name: str = "", email: str = "") -> str | None:
    """A Swedish (or English) explanation of why the password is too easy to guess, or None."""
    name = (username or "").strip().lower()
    contains_username = len(name) >= 3 and name in password.lower()
    result = zxcvbn(password[:MAX_CHECKED], user_inputs=personal_words(username, full_name, email),
                    max_length=MAX_CHECKED)
    if result["score"] >= MIN_SCORE and not contains_username:
        return None
    reasons = []
    if contains_username:
        reasons.append(_("Det innehåller användarnamnet, namnet eller e-postadressen."))
    for match in result["sequence"]:
        reason = _reason(match)
        if reason and reason not in reasons:
            reasons.append(reason)
    sentences = [_("Lösenordet är för lätt att gissa."), *reasons[:2],
                 _("Välj hellre en fras av flera ord som inte hör ihop, gärna fyra eller fler.")]
    return " ".join(sentences)


def _reason(match: dict) -> str | None:
    pattern = match.get("pattern")
    if pattern == "dictionary":
        source = match.get("dictionary_name")
        if source == "user_inputs":
            return _("Det innehåller användarnamnet, namnet eller e-postadressen.")
        if source == "passwords":
            return _("Det är ett av de vanligaste lösenorden eller liknar ett sådant.")
        if len(match.get("token", "")) >= 4:
            return _("Enstaka vanliga ord och namn är lätta att gissa.")
        return None
    return {
        "repeat": _("Tecken eller ord som upprepas, som ”aaa” eller ”abcabc”, är lätta att gissa."),
        "sequence": _("Följder som ”abc” eller ”6543” är lätta att gissa."),
        "spatial": _("Mönster på tangentbordet, som ”qwerty”, är lätta att gissa."),
        "date": _("Årtal och datum är lätta att gissa."),
        "regex": _("Årtal och datum är lätta att gissa."),
    }.get(pattern)
