"""Reading and checking responses in the wide interchange format.

One row per response: ``response_id, koploper, wave, questionnaire, questionnaire_version,
submitted_at, channel, language``, an optional ``panel_id`` (the same value for the same person at
every wave, see METHODS.md), and one column per item key holding its answer as the interchange
codec writes it (``surveys.interchange``). Every row is checked against the questionnaire version it
names, with the respondent check's own rules (``surveys.validation.check_table``), using a codebook
(``surveys.codebook``) or the built-in definitions. A file that does not fit is refused with Dutch
messages naming the line (as a spreadsheet numbers it: the header is line 1) and the column;
nothing is computed from half a file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from measures.errors import ResponsesError
from measures.indicators import IndicatorSet
from surveys.codebook import Codebook, builtin_codebook
from surveys.definition import Item
from surveys.interchange import (
    META_COLUMNS,
    MULTIPLE_SEPARATOR,
    VERSION_COLUMN,
    DecodedColumn,
    cell_text,
    decode_column,
    decode_version,
)
from surveys.validation import check_table, range_text
from surveys.vocabulary import PANEL_KEY

PANEL_COLUMN = "panel_id"
PANEL_COLUMNS = (PANEL_COLUMN, PANEL_KEY)
"""The panel's column: ``panel_id``, or ``panel_key`` as ``python -m db export`` writes it (its
responses' panel key): the export comes back in linked."""
REQUIRED_COLUMNS = ("response_id", "koploper", "wave", "questionnaire")
WAVE_PATTERN = r"T\d{1,2}"
KOPLOPER_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
MAX_PROBLEMS = 30


@dataclass(frozen=True)
class QuestionnaireResponses:
    """The checked responses to one questionnaire.

    ``meta`` has ``response_id, koploper, wave, panel_id, line`` (``panel_id`` empty when not
    linked); ``codes`` one column per coded item on the same index: a float code (NaN when not
    answered) or, for multiple choice, a bit mask of the chosen codes (0 when not answered).
    """

    key: str
    meta: pd.DataFrame
    codes: pd.DataFrame

    def __len__(self) -> int:
        return len(self.meta)


@dataclass(frozen=True)
class Responses:
    questionnaires: dict[str, QuestionnaireResponses]

    @property
    def waves(self) -> list[str]:
        found = {w for q in self.questionnaires.values() for w in q.meta["wave"].unique()}
        return sorted(found, key=lambda w: int(w[1:]))

    @property
    def koplopers(self) -> list[str]:
        return sorted({k for q in self.questionnaires.values() for k in q.meta["koploper"]})


def read_responses_csv(path: Path | str) -> pd.DataFrame:
    """Read a wide CSV as text (comma- or semicolon-separated, UTF-8 with or without BOM)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
    except FileNotFoundError:
        raise ResponsesError([f"{path}: bestand niet gevonden"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResponsesError(
            [f"{path}: kan het bestand niet lezen als UTF-8-tekst ({exc})"]
        ) from None
    if not header.strip():
        raise ResponsesError([f"{path}: het bestand is leeg (geen kopregel met kolomnamen)"])
    # The field delimiter, not the codec's separator of codes: a spreadsheet set to Dutch saves
    # CSV with ';' between fields (and then quotes a cell such as "1;3").
    separator = ";" if header.count(";") > header.count(",") else ","
    try:
        return pd.read_csv(
            path,
            sep=separator,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ResponsesError([f"{path}: geen geldig CSV-bestand ({exc})"]) from None


CELL_SHOWN = 40
"""A cell is quoted in a message up to this many characters: enough to find it, no more."""


def _excerpt(cell: str) -> str:
    return cell if len(cell) <= CELL_SHOWN else cell[: CELL_SHOWN - 1] + "…"


class _Problems:
    def __init__(self, first_line: int) -> None:
        self.lines: list[str] = []
        self.count = 0
        self.first_line = first_line

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(message)

    def at(
        self,
        positions: np.ndarray,
        column: str,
        message: str,
        values: pd.Series | None = None,
        lines: np.ndarray | None = None,
    ) -> None:
        """One problem per position; ``lines`` maps positions to file lines when not 1:1."""
        for position in positions[: MAX_PROBLEMS + 1]:
            line = position + self.first_line if lines is None else lines[position]
            shown = f" ('{_excerpt(str(values.iloc[position]))}')" if values is not None else ""
            self.add(f"regel {line}, kolom '{column}'{shown}: {message}")
        self.count += max(0, len(positions) - MAX_PROBLEMS - 1)

    def raise_if_any(self) -> None:
        if self.count:
            lines = list(self.lines)
            if self.count > len(lines):
                lines.append(f"… en nog {self.count - len(lines)} andere problemen")
            raise ResponsesError(lines)


def _text(column: pd.Series) -> pd.Series:
    """A column as stripped text, '' for empty, each distinct value converted once."""
    index, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = [cell_text(value).strip() for value in uniques]
    return pd.Series(np.asarray([*texts, ""], dtype=object)[index], index=column.index)


def _matches(column: pd.Series, pattern: str) -> pd.Series:
    """Whether each cell matches the pattern, testing each distinct value once."""
    fitting = [value for value in column.unique() if re.fullmatch(pattern, value)]
    return column.isin(fitting)


def _codes_text(item: Item) -> str:
    return ", ".join(map(str, sorted(item.allowed_codes)))


def _rule_message(item: Item, rule: str) -> str:
    """What is wrong with a cell, for an analyst, per rule of ``surveys.validation``."""
    if rule in ("type", "codes") and item.qtype.multiple:
        return (
            f"geen codes van deze vraag, gescheiden door '{MULTIPLE_SEPARATOR}' "
            f"(wel: {_codes_text(item)})"
        )
    if rule in ("type", "codes") and item.qtype.coded:
        return f"geen code van deze vraag (wel: {_codes_text(item)})"
    if rule == "type":
        return f"geen antwoord van het soort '{item.qtype.label}'"
    if rule == "range":
        return f"geen getal {range_text(item)}"
    if rule == "distinct":
        return "een code staat er twee keer in"
    if rule == "exclusive":
        alone = ", ".join(f"{o.code} ({o.label['nl']})" for o in item.options if o.exclusive)
        return f"code {alone} kan niet samen met een andere code"
    if rule == "length":
        return f"tekst langer dan {item.max_length} tekens"
    if rule == "characters":
        return "tekst met een teken dat niet bewaard kan worden (NUL of een losse surrogaat)"
    if rule == "hidden":
        return "ingevuld, maar de vraag wordt bij de eerdere antwoorden niet gesteld (moet leeg)"
    return "verplichte vraag, maar leeg"


def _item_values(item: Item, column: DecodedColumn) -> np.ndarray:
    """Per row: the code or number (float, NaN = unanswered) or, for multiple choice, a bit mask
    of the chosen codes (0 = none). Only called on columns that passed the check."""
    accepts = item.qtype.accepts
    if item.qtype.multiple:
        if any(not 0 <= code < 63 for code in item.allowed_codes):
            raise ResponsesError([f"vraag '{item.key}': codes buiten 0-62 kan measures niet aan"])
        masks = [
            sum(1 << code for code in set(value) if 0 <= code < 63) if accepts(value) else 0
            for value in column.values
        ]
        return np.asarray([*masks, 0], dtype=np.int64)[column.index]
    numbers = [float(value) if accepts(value) else np.nan for value in column.values]
    return np.asarray([*numbers, np.nan], dtype=float)[column.index]


def _filled(text: str) -> str | None:
    return text.strip() or None


def _analysed(item: Item) -> bool:
    """Whether measures computes with the item's answers: codes and quantities, not texts."""
    return item.qtype.coded or item.qtype.quantity


def _unanswered(item: Item, size: int) -> np.ndarray:
    return np.zeros(size, dtype=np.int64) if item.qtype.multiple else np.full(size, np.nan)


def _versions(
    frame: pd.DataFrame,
    questionnaire: pd.Series,
    columns: list[str],
    codebook: Codebook,
    problems: _Problems,
) -> pd.Series:
    """The version each row names (0 where it cannot be checked), problems for the others."""
    text = _text(frame[VERSION_COLUMN]) if VERSION_COLUMN in columns else None
    if text is None:
        problems.add(f"kolom ontbreekt: {VERSION_COLUMN} (kopregel, regel 1)")
        return pd.Series(0, index=frame.index)
    numbers = {value: decode_version(value) for value in text.unique()}
    version = text.map(lambda value: numbers[value] or 0)
    problems.at(np.flatnonzero(text == ""), VERSION_COLUMN, "leeg")
    bad = (text != "") & (version == 0)
    problems.at(np.flatnonzero(bad), VERSION_COLUMN, "geen versienummer (1, 2, …)", text)
    keys, names = pd.factorize(questionnaire)
    numbers, found = pd.factorize(version)
    pair = keys.astype(np.int64) * len(found) + numbers
    for code in np.unique(pair):
        key, number = names[code // len(found)], int(found[code % len(found)])
        if number and key and codebook.get(key, number) is None:
            held = ", ".join(map(str, codebook.versions(key))) or "geen"
            problems.at(
                np.flatnonzero(pair == code),
                VERSION_COLUMN,
                f"versie {number} van vragenlijst '{key}' staat niet in {codebook.source} "
                f"(wel: {held}); geef het codeboek van de export mee met --codebook",
                text,
            )
    return version


def check_responses(
    frame: pd.DataFrame,
    indicators: IndicatorSet,
    first_line: int = 2,
    codebook: Codebook | None = None,
) -> Responses:
    """Check a wide frame, every row against the questionnaire version it names.

    The rules are the respondent check's (``surveys.validation.check_table``): a row is refused
    here exactly when the respondent page would refuse the same answers. ``codebook`` holds the
    definitions of the versions (default: the built-in ones). Raises ``ResponsesError`` naming
    line and column of every problem (at most ``MAX_PROBLEMS`` listed).
    """
    codebook = codebook or builtin_codebook()
    problems = _Problems(first_line)
    frame = frame.reset_index(drop=True)
    if PANEL_KEY in frame.columns and PANEL_COLUMN not in frame.columns:
        frame = frame.rename(columns={PANEL_KEY: PANEL_COLUMN})
    columns = [str(c) for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ResponsesError([f"kolom ontbreekt: {', '.join(missing)} (kopregel, regel 1)"])
    if frame.empty:
        raise ResponsesError(["het bestand heeft geen antwoorden (alleen een kopregel)"])
    meta_text = {c: _text(frame[c]) for c in (*REQUIRED_COLUMNS, PANEL_COLUMN) if c in columns}
    for column in REQUIRED_COLUMNS:
        problems.at(np.flatnonzero(meta_text[column] == ""), column, "leeg")
    wave, koploper = meta_text["wave"], meta_text["koploper"]
    bad_wave = (wave != "") & ~_matches(wave, WAVE_PATTERN)
    problems.at(np.flatnonzero(bad_wave), "wave", "onbekende meting (verwacht T0, T1, T2, …)", wave)
    bad_slug = (koploper != "") & ~_matches(koploper, KOPLOPER_PATTERN)
    problems.at(
        np.flatnonzero(bad_slug), "koploper", "geen koploper-code (kleine letters en '-')", koploper
    )
    questionnaire = meta_text["questionnaire"]
    known = indicators.questionnaires
    unknown = (questionnaire != "") & ~questionnaire.isin(list(known))
    problems.at(
        np.flatnonzero(unknown),
        "questionnaire",
        f"onbekende vragenlijst (wel: {', '.join(known)})",
        questionnaire,
    )
    ids = meta_text["response_id"]
    doubled = ids.duplicated(keep="first") & (ids != "")
    problems.at(np.flatnonzero(doubled), "response_id", "komt vaker voor in het bestand", ids)
    version = _versions(frame, questionnaire.where(~unknown, ""), columns, codebook, problems)

    present = [q for q in known if (questionnaire == q).any()]
    items: dict[str, dict[str, Item]] = {
        key: {
            **{item.key: item for item in spec.definition.items},
            **{
                item.key: item
                for number in codebook.versions(key)
                for item in codebook.definitions[(key, number)].items
            },
        }
        for key, spec in known.items()
    }
    item_columns = {column for own in items.values() for column in own}
    for column in columns:
        known_column = column in META_COLUMNS or column in PANEL_COLUMNS
        if not known_column and column not in item_columns:
            problems.add(
                f"regel 1, kolom '{column}': geen vraag van de vragenlijsten"
                f" ({', '.join(known)}) en geen bekende kolom"
            )
    problems.raise_if_any()

    panel = meta_text.get(PANEL_COLUMN, pd.Series("", index=frame.index))
    result: dict[str, QuestionnaireResponses] = {}
    for key in present:
        rows = np.flatnonzero(questionnaire == key)
        lines = rows + first_line
        meta = pd.DataFrame(
            {
                "response_id": ids.iloc[rows].to_numpy(),
                "koploper": koploper.iloc[rows].to_numpy(),
                "wave": wave.iloc[rows].to_numpy(),
                "panel_id": panel.iloc[rows].to_numpy(),
                "line": lines,
            }
        )
        linked = meta[meta["panel_id"] != ""]
        doubled = linked.duplicated(["koploper", "wave", "panel_id"], keep="first")
        problems.at(
            rows[linked.index[doubled]],
            PANEL_COLUMN,
            "komt twee keer voor in dezelfde meting",
            panel,
        )
        codes = _check_questionnaire(frame, columns, key, rows, version, codebook, problems)
        for item in items[key].values():  # an item of another version, or not in the file
            if item.key not in codes and _analysed(item):
                codes[item.key] = _unanswered(item, len(rows))
        result[key] = QuestionnaireResponses(key, meta, pd.DataFrame(codes))
    problems.raise_if_any()
    return Responses(result)


def _check_questionnaire(
    frame: pd.DataFrame,
    columns: list[str],
    key: str,
    rows: np.ndarray,
    version: pd.Series,
    codebook: Codebook,
    problems: _Problems,
) -> dict[str, np.ndarray]:
    """Check the rows of one questionnaire, per version; their codes, aligned with ``rows``."""
    codes: dict[str, np.ndarray] = {}
    own_version = version.to_numpy()[rows]
    for number in np.unique(own_version):
        definition = codebook.get(key, int(number))
        if definition is None:
            continue
        part = np.flatnonzero(own_version == number)
        at = rows[part]
        own = {item.key for item in definition.items}
        for column in columns:
            if column in own or column in META_COLUMNS or column in PANEL_COLUMNS:
                continue
            cells = decode_column(frame[column].iloc[at], _filled)
            filled = np.flatnonzero(cells.index >= 0)
            if filled.size:
                problems.at(
                    at[filled],
                    column,
                    f"deze vraag hoort niet bij vragenlijst '{key}' versie {number}",
                    _text(frame[column]),
                )
        decoded = {
            item.key: decode_column(frame[item.key].iloc[at], item.qtype.decode)
            for item in definition.items
            if item.key in columns
        }
        for found in check_table(definition, decoded, len(at)):
            item = definition.item(found.item_key)
            texts = decoded[item.key].texts if item.key in decoded else []
            cells = pd.Series([*texts, ""], dtype=object).iloc[
                decoded[item.key].index if item.key in decoded else np.full(len(at), -1)
            ]
            problems.at(
                found.rows,
                item.key,
                _rule_message(item, found.rule),
                cells.reset_index(drop=True),
                at + problems.first_line,
            )
        for item in definition.items:
            if _analysed(item) and item.key in decoded:
                values = codes.setdefault(item.key, _unanswered(item, len(rows)))
                values[part] = _item_values(item, decoded[item.key])
    return codes
