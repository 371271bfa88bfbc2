"""Invitations: batches of single-use codes per koploper × wave × questionnaire.

* :func:`make_codes` makes a batch (bulk insert; a code that exists anywhere already is drawn
  again), :func:`list_batches` counts them, :func:`withdraw_batch` stops its unused codes.
  Letter numbers (``briefnummer``) continue per koploper × wave × questionnaire.
* :func:`code_rows` gives the codes themselves (for the mailing house and the letters), only to
  whoever may make them: a beheerder, or a gemeente account for its own koploper.
* The respondent's way in with a code is :mod:`db.code_use`.

Anonymous by design: of a used code only the day is kept (``InvitationCode.used_on``), never
which response it gave; a panel code passes its pseudonymous panel key on to the response.
Making, exporting, printing and withdrawing are in the Logboek, with counts, never a code.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from db.access import AccessDenied, Viewer, command_line, koploper_filter, require_koploper
from db.audit import record
from db.models import CodeBatch, InvitationCode, Koploper, Wave
from db.waves import find_wave
from surveys.clock import dutch_day, utcnow
from surveys.codes import new_code
from surveys.numbers import whole
from surveys.vocabulary import LANGUAGES, QUESTIONNAIRES

MAX_COUNT = 50_000
MANAGERS = frozenset({"beheerder", "gemeente"})
"""Roles that may make and see codes (a gemeente account for its own koplopers only)."""
PANEL_KEY_BYTES = 16
_CHUNK = 900  # parameters per IN (…): under SQLite's limit on old builds


class InvitationError(ValueError):
    """A batch that cannot be made or changed; the message (Dutch) says what to change."""


@dataclass(frozen=True)
class BatchSummary:
    id: int
    koploper_slug: str
    koploper_name: str
    wave_code: str
    survey: str
    language: str
    panel: bool
    follow_up_of: str | None
    """The wave code of the panel whose members these codes are for."""
    created_at: dt.datetime
    created_by: str
    withdrawn_at: dt.datetime | None
    count: int
    used: int
    first_letter: int
    last_letter: int
    letters_on: dt.date | None
    reminders_on: dt.date | None


@dataclass(frozen=True)
class CodeRow:
    letter_number: int
    code: str
    """Normalised ('K7QM2XPD'); as printed: ``surveys.codes.printed``."""
    language: str
    panel: bool
    used: bool
    batch_id: int
    earlier_letter: int | None = None
    """For a follow-up code: the letter number of the same panel member's code in the earlier
    wave (so the mailing house sends it to the same person); otherwise ``None``."""


def require_manager(viewer: Viewer, slug: str | None = None) -> None:
    """A beheerder, or a gemeente account (of this koploper, when ``slug`` is given): who may
    make and see codes and their batches."""
    if viewer.role not in MANAGERS:
        raise AccessDenied("Alleen een beheerder of de gemeente zelf werkt met uitnodigingen.")
    if slug is not None:
        require_koploper(viewer, slug)


def _check(survey: str, language: str, count: int | None) -> None:
    if survey not in QUESTIONNAIRES:
        raise InvitationError(
            f"Vragenlijst '{survey[:60]}' bestaat niet; kies {' of '.join(QUESTIONNAIRES)}."
        )
    if language not in LANGUAGES:
        choices = " of ".join(LANGUAGES)
        raise InvitationError(f"Taal '{language[:20]}' bestaat niet; kies {choices}.")
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise InvitationError(
            f"Het aantal codes moet tussen 1 en {whole(MAX_COUNT)} liggen (niet {whole(count)})."
        )


def _batches(viewer: Viewer):
    """Batches with their counts, as :class:`BatchSummary` columns, the viewer's koplopers only."""
    earlier = aliased(Wave)
    codes = (
        select(
            InvitationCode.batch_id,
            func.count().label("count"),
            func.count(InvitationCode.used_on).label("used"),
            func.min(InvitationCode.letter_number).label("first_letter"),
            func.max(InvitationCode.letter_number).label("last_letter"),
        )
        .group_by(InvitationCode.batch_id)
        .subquery()
    )
    return (
        select(
            CodeBatch.id,
            Koploper.slug,
            Koploper.name,
            Wave.code,
            CodeBatch.survey,
            CodeBatch.language,
            CodeBatch.panel,
            earlier.code,
            CodeBatch.created_at,
            CodeBatch.created_by,
            CodeBatch.withdrawn_at,
            func.coalesce(codes.c.count, 0),
            func.coalesce(codes.c.used, 0),
            func.coalesce(codes.c.first_letter, 0),
            func.coalesce(codes.c.last_letter, 0),
            CodeBatch.letters_on,
            CodeBatch.reminders_on,
        )
        .join(Koploper, Koploper.id == CodeBatch.koploper_id)
        .join(Wave, Wave.id == CodeBatch.wave_id)
        .outerjoin(earlier, earlier.id == CodeBatch.follow_up_of)
        .outerjoin(codes, codes.c.batch_id == CodeBatch.id)
        .where(koploper_filter(viewer, CodeBatch.koploper_id))
    )


def list_batches(
    session: Session,
    viewer: Viewer,
    koploper: str | None = None,
    wave: str | None = None,
    survey: str | None = None,
) -> list[BatchSummary]:
    """The batches (counts only, no codes, and who made them) of the koplopers the viewer
    manages, oldest first: a beheerder every koploper, a gemeente account its own;
    ``AccessDenied`` for any other role, and for a koploper the viewer does not see."""
    require_manager(viewer)
    query = _batches(viewer)
    if koploper is not None:
        koploper = koploper.strip().lower()
        require_manager(viewer, koploper)
        query = query.where(Koploper.slug == koploper)
    if wave is not None:
        query = query.where(Wave.code == wave.strip().upper())
    if survey is not None:
        query = query.where(CodeBatch.survey == survey)
    query = query.order_by(Koploper.name, Wave.code, CodeBatch.survey, CodeBatch.id)
    return [BatchSummary(*row) for row in session.execute(query)]


def _summary(session: Session, batch_id: int) -> BatchSummary:
    row = session.execute(_batches(command_line()).where(CodeBatch.id == batch_id)).one()
    return BatchSummary(*row)


def _fresh_codes(session: Session, count: int) -> list[str]:
    """``count`` codes that exist nowhere yet (40 bits each: a collision is rare, then redrawn)."""
    codes: set[str] = set()
    while len(codes) < count:
        drawn = {new_code() for _ in range(count - len(codes))} - codes
        taken: set[str] = set()
        ordered = sorted(drawn)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            taken |= set(
                session.scalars(select(InvitationCode.code).where(InvitationCode.code.in_(chunk)))
            )
        codes |= drawn - taken
    shuffled = sorted(codes)
    secrets.SystemRandom().shuffle(shuffled)  # letter numbers say nothing of the codes
    return shuffled


def _live():
    """Codes that count as given: their batch not withdrawn, or used before it was (the unused
    codes of a withdrawn batch never reached anyone, or reached them misprinted)."""
    return or_(CodeBatch.withdrawn_at.is_(None), InvitationCode.used_on.is_not(None))


def _panel_keys(session: Session, koploper_id: int, earlier: Wave, wave: Wave, survey: str):
    """The panel keys of ``earlier``'s given panel codes that have no given code for ``wave``
    yet (a withdrawn follow-up's unused codes do not count: a misprint can be made again)."""
    given = (
        select(InvitationCode.panel_key)
        .join(CodeBatch)
        .where(
            CodeBatch.wave_id == wave.id,
            CodeBatch.survey == survey,
            InvitationCode.panel_key.is_not(None),
            _live(),
        )
    )
    query = (
        select(InvitationCode.panel_key)
        .join(CodeBatch)
        .where(
            CodeBatch.koploper_id == koploper_id,
            CodeBatch.wave_id == earlier.id,
            CodeBatch.survey == survey,
            CodeBatch.panel,
            InvitationCode.panel_key.is_not(None),
            _live(),
            InvitationCode.panel_key.not_in(given),
        )
        .order_by(InvitationCode.letter_number)
    )
    return list(dict.fromkeys(session.scalars(query)))


def _earlier_letters(koploper_id: int, survey: str):
    """Per earlier wave and panel key: the letter number of its given code (the first, should a
    member have two), as a subquery (``wave_id``, ``panel_key``, ``letter``)."""
    return (
        select(
            CodeBatch.wave_id,
            InvitationCode.panel_key,
            func.min(InvitationCode.letter_number).label("letter"),
        )
        .join(CodeBatch)
        .where(
            CodeBatch.koploper_id == koploper_id,
            CodeBatch.survey == survey,
            InvitationCode.panel_key.is_not(None),
            _live(),
        )
        .group_by(CodeBatch.wave_id, InvitationCode.panel_key)
        .subquery()
    )


def make_codes(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wave: str,
    survey: str,
    count: int | None,
    *,
    language: str = "nl",
    panel: bool = False,
    follow_up_of: str | None = None,
    now: dt.datetime | None = None,
) -> BatchSummary:
    """Make a batch of ``count`` new codes, in the caller's transaction, with a Logboek line.

    ``panel`` gives each code a pseudonymous panel key (16 random bytes, hex). With
    ``follow_up_of`` (a wave code, panel only) one code is made per panel member of that wave's
    panel batches (same koploper and questionnaire) who has no code for ``wave`` yet, carrying
    the member's panel key; ``count`` must then be ``None`` or exactly that number. A wave
    open through the open link only (``Wave.access`` 'open') takes no codes.
    """
    now = now or utcnow()
    _check(survey, language, None if follow_up_of else count)
    require_manager(viewer, koploper.strip().lower())
    target = find_wave(session, koploper, wave)
    slug = target.koploper.slug
    if target.access == "open":
        raise InvitationError(
            f"Meting {target.code} staat alleen open via de open link: zet hem eerst op codes of "
            "beide met open-wave --access."
        )
    # One batch at a time per wave: letter numbers continue without a gap or a double.
    session.execute(select(Wave.id).where(Wave.id == target.id).with_for_update())
    earlier = None
    if follow_up_of is not None:
        if not panel:
            raise InvitationError("Vervolgcodes (--follow-up-of) zijn altijd panelcodes: --panel.")
        earlier = find_wave(session, slug, follow_up_of)
        if earlier.id == target.id:
            raise InvitationError("Een vervolg hoort bij een andere meting dan het panel zelf.")
        keys = _panel_keys(session, target.koploper_id, earlier, target, survey)
        if not keys:
            raise InvitationError(
                f"Meting {earlier.code} heeft geen panelcodes voor {survey} zonder vervolgcode "
                f"in {target.code}."
            )
        if count is not None and count != len(keys):
            raise InvitationError(
                f"Het panel van {earlier.code} heeft {whole(len(keys))} leden zonder code voor "
                f"{target.code}; laat het aantal weg of geef {whole(len(keys))}."
            )
        count = len(keys)
    else:
        assert count is not None
        keys = [secrets.token_hex(PANEL_KEY_BYTES) for _ in range(count)] if panel else []
    last = session.scalar(
        select(func.max(InvitationCode.letter_number))
        .join(CodeBatch)
        .where(
            CodeBatch.koploper_id == target.koploper_id,
            CodeBatch.wave_id == target.id,
            CodeBatch.survey == survey,
        )
    )
    batch = CodeBatch(
        koploper_id=target.koploper_id,
        wave_id=target.id,
        survey=survey,
        language=language,
        panel=panel,
        follow_up_of=earlier.id if earlier else None,
        created_at=now,
        created_by=viewer.email,
    )
    session.add(batch)
    session.flush()
    first = (last or 0) + 1
    codes = _fresh_codes(session, count)
    session.execute(
        insert(InvitationCode),
        [
            {
                "batch_id": batch.id,
                "letter_number": first + number,
                "code": code,
                "panel_key": keys[number] if keys else None,
            }
            for number, code in enumerate(codes)
        ],
    )
    kind = f", panel (vervolg op {earlier.code})" if earlier else (", panel" if panel else "")
    record(
        session,
        viewer,
        "codes_made",
        koploper=slug,
        detail=f"reeks {batch.id}: {whole(count)} codes voor {target.code} {survey} "
        f"({language}{kind}), briefnummers {whole(first)} tot en met {whole(first + count - 1)}",
        at=now,
    )
    return _summary(session, batch.id)


def _find_batch(session: Session, viewer: Viewer, batch_id: int) -> CodeBatch:
    batch = session.get(CodeBatch, batch_id) if 0 < batch_id < 2**31 else None
    if batch is None:
        raise InvitationError(f"Er is geen reeks codes met nummer {batch_id}.")
    require_manager(viewer, session.get(Koploper, batch.koploper_id).slug)
    return batch


def withdraw_batch(
    session: Session, viewer: Viewer, batch_id: int, now: dt.datetime | None = None
) -> BatchSummary:
    """Withdraw a batch: its unused codes stop working at once (used ones stay counted)."""
    batch = _find_batch(session, viewer, batch_id)
    if batch.withdrawn_at is not None:
        raise InvitationError(f"Reeks {batch_id} is al ingetrokken.")
    batch.withdrawn_at = now or utcnow()
    session.flush()
    summary = _summary(session, batch.id)
    record(
        session,
        viewer,
        "codes_withdrawn",
        koploper=summary.koploper_slug,
        detail=f"reeks {batch.id}: {summary.wave_code} {summary.survey}, "
        f"{whole(summary.count - summary.used)} ongebruikte codes werken niet meer",
        at=batch.withdrawn_at,
    )
    return summary


def _scope(session: Session, viewer: Viewer, koploper: str, wave: str, survey: str) -> Wave:
    _check(survey, "nl", None)
    require_manager(viewer, koploper.strip().lower())
    return find_wave(session, koploper, wave)


def code_rows(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wave: str,
    survey: str,
    *,
    unused: bool = False,
) -> list[CodeRow]:
    """The codes of the batches not withdrawn, by letter number (``unused``: not used yet);
    a follow-up code with its member's letter number of the earlier wave."""
    target = _scope(session, viewer, koploper, wave, survey)
    earlier = _earlier_letters(target.koploper_id, survey)
    query = (
        select(
            InvitationCode.letter_number,
            InvitationCode.code,
            CodeBatch.language,
            CodeBatch.panel,
            InvitationCode.used_on.is_not(None),
            CodeBatch.id,
            earlier.c.letter,
        )
        .join(CodeBatch)
        .outerjoin(
            earlier,
            (earlier.c.wave_id == CodeBatch.follow_up_of)
            & (earlier.c.panel_key == InvitationCode.panel_key),
        )
        .where(
            CodeBatch.wave_id == target.id,
            CodeBatch.survey == survey,
            CodeBatch.withdrawn_at.is_(None),
        )
        .order_by(InvitationCode.letter_number)
    )
    if unused:
        query = query.where(InvitationCode.used_on.is_(None))
    return [CodeRow(*row) for row in session.execute(query)]


def mark_printed(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wave: str,
    survey: str,
    *,
    reminder: bool,
    count: int,
    now: dt.datetime | None = None,
) -> None:
    """Note the day letters (or reminders) were printed on the batches not withdrawn; audited."""
    now = now or utcnow()
    target = _scope(session, viewer, koploper, wave, survey)
    batches = session.scalars(
        select(CodeBatch).where(
            CodeBatch.wave_id == target.id,
            CodeBatch.survey == survey,
            CodeBatch.withdrawn_at.is_(None),
        )
    )
    for batch in batches:
        if reminder:
            batch.reminders_on = dutch_day(now)
        else:
            batch.letters_on = dutch_day(now)
    what = "herinneringsbrieven" if reminder else "uitnodigingsbrieven"
    record(
        session,
        viewer,
        "letters_printed",
        koploper=target.koploper.slug,
        detail=f"{whole(count)} {what} voor {target.code} {survey}",
        at=now,
    )


def mark_exported(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wave: str,
    survey: str,
    *,
    count: int,
    unused: bool,
    now: dt.datetime | None = None,
) -> None:
    """Note in the Logboek that codes went out in a file (how many, never which)."""
    target = _scope(session, viewer, koploper, wave, survey)
    which = "ongebruikte codes" if unused else "codes"
    record(
        session,
        viewer,
        "codes_exported",
        koploper=target.koploper.slug,
        detail=f"{whole(count)} {which} van {target.code} {survey} naar een bestand",
        at=now or utcnow(),
    )
