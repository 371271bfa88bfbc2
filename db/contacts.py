"""A koploper's contact details: whom respondents ask about the survey and their privacy.

``python -m db koploper set-contact`` fills them through :func:`set_contact`, which checks every
value (a Dutch phone number, an e-mail address, an http(s) web address) and says in Dutch what is
wrong. A wave cannot open without a phone number or an e-mail address (see
``db.fieldwork.set_wave_open``). Demo contacts, filled by ``seed-demo`` and marked as such, are
the only ones ``remove-demo`` clears.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer
from db.audit import record
from db.models import Koploper, Wave
from surveys.privacy import Contact, Kind, koploper_phrase
from surveys.vocabulary import KOPLOPER_KINDS

MAX_SLUG = 60
MAX_ORGANISATION = 200
MAX_URL = 300
MAX_EMAIL = 254
DEMO_PHONE = "088 000 0000"
INFO_PREFIXES = ("0800", "0900", "0906", "0909")
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()./-]+$")
EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
ORGANISATION = re.compile(r"^(?:[^\W_]|')(?:[^\W_]|[ .,'&()/:+-])*$")
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
SET_CONTACT = "python -m db koploper set-contact {slug} --phone … --email … --url …"


class ContactError(ValueError):
    """One or more contact values are not valid; the message (Dutch) names each of them."""


class UnknownKoploper(LookupError):
    """No koploper has this slug; the message (Dutch) suggests near matches."""


class ContactMissing(ValueError):
    """A wave cannot open: respondents would have nobody to ask."""


@dataclass(frozen=True)
class KoploperContact:
    """What the privacy notice needs of a koploper."""

    slug: str
    name: str
    kind: Kind
    members: tuple[str, ...]
    contact: Contact | None


# --- checking values ------------------------------------------------------------------------------
def check_phone(value: str) -> str:
    """A Dutch phone number as typed (spaces tidied), or ``ContactError``.

    Accepted: the municipal 14 number with an area code (14 013, 14 0575), ten digits starting
    with 0 (013-5423000, 06 12345678, 088 …), 0800/0900 numbers, and +31 or 0031 followed by nine
    digits, with or without '(0)'.
    """
    shown = " ".join(value.split())
    problem = ContactError(
        f"'{value}' is geen Nederlands telefoonnummer. Voorbeelden: 14 013, 013-5423000, "
        "+31 13 542 3000."
    )
    if not PHONE_CHARACTERS.match(shown) or "+" in shown[1:]:
        raise problem
    international = None
    if shown.startswith("+31"):
        international = shown[3:]
    elif shown.startswith("0031"):
        international = shown[4:]
    if international is not None:
        digits = re.sub(r"\D", "", international.replace("(0)", "", 1))
        regular = len(digits) == 9 and digits[0] != "0"
        info = digits.startswith(tuple(p[1:] for p in INFO_PREFIXES)) and 7 <= len(digits) <= 10
        if regular or info:
            return shown
        raise problem
    if shown.startswith("+"):
        raise problem  # a foreign number: respondents here call Dutch ones
    digits = re.sub(r"\D", "", shown)
    municipal = digits.startswith("140") and len(digits) in (5, 6)
    regular = len(digits) == 10 and digits[0] == "0" and digits[1] != "0"
    info = digits.startswith(INFO_PREFIXES) and len(digits) in (8, 11)
    if municipal or regular or info:
        return shown
    raise problem


def check_email(value: str) -> str:
    shown = value.strip()
    if len(shown) > MAX_EMAIL or not EMAIL.match(shown):
        raise ContactError(f"'{value}' is geen e-mailadres. Voorbeeld: wmo@tilburg.nl.")
    return shown


def check_url(value: str) -> str:
    """An http(s) address of a website; no spaces, no user name or password in it."""
    shown = value.strip()
    problem = ContactError(
        f"'{value}' is geen webadres. Begin met https:// of http://, bijvoorbeeld "
        "https://www.tilburg.nl/privacy."
    )
    if len(shown) > MAX_URL or any(c.isspace() for c in shown):
        raise problem
    try:
        parts = urlsplit(shown)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise problem from None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "@" in parts.netloc or not port_ok:
        raise problem
    if not HOST.match(host):
        raise problem
    return shown


def check_organisation(value: str) -> str:
    """A name of letters, digits, spaces and ordinary punctuation; no markup characters."""
    shown = " ".join(value.split())
    if not 2 <= len(shown) <= MAX_ORGANISATION or not ORGANISATION.match(shown):
        raise ContactError(
            f"'{value}' is geen naam van een organisatie: gebruik 2 tot {MAX_ORGANISATION} "
            "letters, cijfers en leestekens als , . - ( ) ' &, bijvoorbeeld "
            "'Gemeente Tilburg, team Wmo'."
        )
    return shown


FIELD_NAMES = {
    "organisation": "organisatie",
    "phone": "telefoonnummer",
    "email": "e-mailadres",
    "url": "webadres",
}
CHECKS = {
    "organisation": check_organisation,
    "phone": check_phone,
    "email": check_email,
    "url": check_url,
}


# --- reading --------------------------------------------------------------------------------------
def contact_of(koploper: Koploper) -> Contact | None:
    """The koploper's contact, or ``None`` when nothing is known.

    Without an organisation name the contact is the koploper itself ('de gemeente Tilburg').
    """
    values = (
        koploper.contact_organisation,
        koploper.contact_phone,
        koploper.contact_email,
        koploper.contact_url,
    )
    if not any(values):
        return None
    return Contact(
        organisation=koploper.contact_organisation or koploper_phrase(koploper.name, koploper.kind),
        phone=koploper.contact_phone,
        email=koploper.contact_email,
        url=koploper.contact_url,
        is_demo=koploper.contact_is_demo,
    )


def find_koploper(session: Session, slug: str) -> Koploper:
    """The koploper with ``slug``, or ``UnknownKoploper`` with a Dutch message."""
    found = (
        session.scalar(select(Koploper).where(Koploper.slug == slug))
        if 0 < len(slug) <= MAX_SLUG
        else None
    )
    if found is not None:
        return found
    slugs = list(session.scalars(select(Koploper.slug).order_by(Koploper.slug)))
    near = difflib.get_close_matches(slug.lower(), slugs, n=3)
    hint = f" Bedoelt u {' of '.join(near)}?" if near else " Bijvoorbeeld almere of regio-twente."
    raise UnknownKoploper(f"Er is geen koploper '{slug[:MAX_SLUG]}'.{hint}")


def koploper_contact(session: Session, slug: str) -> KoploperContact | None:
    """What the privacy page shows for ``slug`` (untrusted input), or ``None`` if unknown."""
    try:
        koploper = find_koploper(session, slug)
    except UnknownKoploper:
        return None
    return KoploperContact(
        slug=koploper.slug,
        name=koploper.name,
        kind=koploper.kind,
        members=tuple(member.name for member in koploper.members),
        contact=contact_of(koploper),
    )


def require_contact(koploper: Koploper, wave_code: str) -> None:
    """Refuse to open fieldwork when respondents would have nobody to ask."""
    contact = contact_of(koploper)
    if contact is None or not contact.reachable:
        raise ContactMissing(
            f"Meting {wave_code} van {koploper.name} kan niet open: er is nog geen telefoonnummer "
            "of e-mailadres waar inwoners met vragen over het onderzoek en hun privacy terecht "
            "kunnen. Vul de contactgegevens eerst in op de pagina Contactgegevens, of met: "
            f"{SET_CONTACT.format(slug=koploper.slug)}"
        )


# --- writing --------------------------------------------------------------------------------------
def set_contact(
    session: Session,
    slug: str,
    *,
    organisation: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    url: str | None = None,
) -> Contact:
    """Set the contact values given (``None``: keep, ``""``: clear); returns the result.

    Every given value is checked first and all problems are reported together; nothing changes
    unless all pass. The result must have a phone number or an e-mail address. Real details
    replace demo details entirely, so no example value stays behind beside a real one.
    """
    koploper = find_koploper(session, slug)
    given = {"organisation": organisation, "phone": phone, "email": email, "url": url}
    given = {name: value for name, value in given.items() if value is not None}
    if not given:
        raise ContactError(
            "Geef minstens één gegeven op: --organisation, --phone, --email of --url."
        )
    checked: dict[str, str | None] = {}
    problems = []
    for name, value in given.items():
        if not value.strip():
            checked[name] = None
            continue
        try:
            checked[name] = CHECKS[name](value)
        except ContactError as exc:
            problems.append(str(exc))
    if problems:
        raise ContactError("\n".join(problems))
    current = {
        "organisation": koploper.contact_organisation,
        "phone": koploper.contact_phone,
        "email": koploper.contact_email,
        "url": koploper.contact_url,
    }
    if koploper.contact_is_demo:
        current = dict.fromkeys(current)
    current.update(checked)
    if not (current["phone"] or current["email"]):
        raise ContactError(
            "Geef minstens een telefoonnummer (--phone) of een e-mailadres (--email) op: "
            "anders kunnen inwoners niemand iets vragen."
        )
    koploper.contact_organisation = current["organisation"]
    koploper.contact_phone = current["phone"]
    koploper.contact_email = current["email"]
    koploper.contact_url = current["url"]
    koploper.contact_is_demo = False
    session.flush()
    return contact_of(koploper)


def demo_organisation(name: str, kind: Kind) -> str:
    if kind == "regio":
        return f"{name} (demo)"
    return f"{KOPLOPER_KINDS['gemeente']} {name} (demo)"


def fill_demo_contacts(session: Session) -> int:
    """Give every koploper without any contact details example ones, marked as demo.

    Real details are never touched. Returns the number of koplopers filled.
    """
    koplopers = session.scalars(
        select(Koploper).where(
            Koploper.contact_organisation.is_(None),
            Koploper.contact_phone.is_(None),
            Koploper.contact_email.is_(None),
            Koploper.contact_url.is_(None),
        )
    ).all()
    for koploper in koplopers:
        koploper.contact_organisation = demo_organisation(koploper.name, koploper.kind)
        koploper.contact_phone = DEMO_PHONE
        koploper.contact_email = f"privacy-{koploper.slug}@example.org"
        koploper.contact_url = f"https://example.org/koplopermonitor/{koploper.slug}"
        koploper.contact_is_demo = True
    session.flush()
    return len(koplopers)


def clear_demo_contacts(session: Session) -> int:
    """Remove the demo contact details, and only those; returns the number of koplopers."""
    result = session.execute(
        update(Koploper)
        .where(Koploper.contact_is_demo)
        .values(
            contact_organisation=None,
            contact_phone=None,
            contact_email=None,
            contact_url=None,
            contact_is_demo=False,
        )
    )
    return result.rowcount or 0


def open_waves_without_contact(session: Session) -> list[tuple[str, str]]:
    """(slug, wave code) of open waves whose koploper has no phone number or e-mail address."""
    rows = session.execute(
        select(Koploper.slug, Wave.code)
        .join(Wave.koploper)
        .where(Wave.is_open, Koploper.contact_phone.is_(None), Koploper.contact_email.is_(None))
        .order_by(Koploper.slug, Wave.code)
    )
    return [(slug, code) for slug, code in rows]


# --- on the page Contactgegevens ------------------------------------------------------------------
def may_edit_contact(viewer: Viewer, slug: str) -> bool:
    """A beheerder edits every koploper's contact; a gemeente account those of its own."""
    return viewer.is_admin or (viewer.role == "gemeente" and slug in viewer.koploper_slugs)


def editable_koplopers(session: Session, viewer: Viewer) -> dict[str, str]:
    """Slug and name of each koploper whose contact ``viewer`` may edit, by name."""
    rows = session.execute(select(Koploper.slug, Koploper.name).order_by(Koploper.name))
    return {slug: name for slug, name in rows if may_edit_contact(viewer, slug)}


def _editable(session: Session, viewer: Viewer, koploper: str | None) -> Koploper:
    slug = (koploper or "").strip().lower()[:MAX_SLUG]
    if not may_edit_contact(viewer, slug):
        raise AccessDenied(
            "Alleen een beheerder, of een gemeente voor haar eigen koploper, mag de "
            "contactgegevens wijzigen.",
            slug,
        )
    return find_koploper(session, slug)


def contact_fields(
    session: Session, viewer: Viewer, koploper: str | None
) -> tuple[dict[str, str], bool]:
    """The stored contact values of a koploper (by slug) as the form shows them ('' when
    empty), and whether they are demo values."""
    koploper = _editable(session, viewer, koploper)
    values = {
        "organisation": koploper.contact_organisation,
        "phone": koploper.contact_phone,
        "email": koploper.contact_email,
        "url": koploper.contact_url,
    }
    return {name: value or "" for name, value in values.items()}, koploper.contact_is_demo


def change_contact(
    session: Session, viewer: Viewer, koploper: str | None, values: dict[str, str]
) -> Contact:
    """Set all four contact values as typed on the page ('' clears one), checked as
    :func:`set_contact` checks them, with an audit line that names what changed."""
    koploper = _editable(session, viewer, koploper)
    before, was_demo = contact_fields(session, viewer, koploper.slug)
    given = {name: values.get(name, "") for name in FIELD_NAMES}
    if not (given["phone"].strip() or given["email"].strip()):
        raise ContactError(
            "Vul minstens een telefoonnummer of een e-mailadres in: anders kunnen inwoners "
            "niemand iets vragen."
        )
    contact = set_contact(session, koploper.slug, **given)
    after, _ = contact_fields(session, viewer, koploper.slug)
    changed = [FIELD_NAMES[n] for n in FIELD_NAMES if before[n] != after[n]]
    record(
        session,
        viewer,
        "contact_set",
        koploper=koploper.slug,
        detail=("demogegevens vervangen; " if was_demo else "")
        + (f"gewijzigd: {', '.join(changed)}" if changed else "niets gewijzigd"),
    )
    return contact
