"""Reading and checking responses in the wide interchange format.

One row per response: ``response_id, koploper, wave, questionnaire, questionnaire_version,
submitted_at, channel, language``, an optional ``panel_id`` (the same value for the same person at
every wave, see METHODS.md), and one column per item key holding its code. A file that does not fit
is refused with Dutch messages naming the line (as a spreadsheet numbers it: the header is line 1)
and the column; nothing is computed from half a file.
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
from surveys.definition import Item
from surveys.interchange import META_COLUMNS

PANEL_COLUMN = "panel_id"
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
            shown = f" ('{values.iloc[position]}')" if values is not None else ""
            self.add(f"regel {line}, kolom '{column}'{shown}: {message}")
        self.count += max(0, len(positions) - MAX_PROBLEMS - 1)

    def raise_if_any(self) -> None:
        if self.count:
            lines = list(self.lines)
            if self.count > len(lines):
                lines.append(f"… en nog {self.count - len(lines)} andere problemen")
            raise ResponsesError(lines)


def _as_text(value: object) -> str:
    """One cell as stripped text; '' for empty; a whole float such as 3.0 as '3'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:.0f}" if float(value).is_integer() else repr(float(value))
    return str(value).strip()


def _distinct(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Positions into the column's distinct values (−1 for empty) and those values as text.

    Answers repeat a lot (a handful of codes per question), so parsing each distinct value once
    is what makes checking a million answers fast.
    """
    index, uniques = pd.factorize(column, use_na_sentinel=True)
    return index, [_as_text(u) for u in uniques]


def _text(column: pd.Series) -> pd.Series:
    """A column as stripped text, '' for empty."""
    index, texts = _distinct(column)
    return pd.Series(np.asarray([*texts, ""], dtype=object)[index], index=column.index)


def _matches(column: pd.Series, pattern: str) -> pd.Series:
    """Whether each cell matches the pattern, testing each distinct value once."""
    fitting = [value for value in column.unique() if re.fullmatch(pattern, value)]
    return column.isin(fitting)


def _parse_single(text: str, item: Item) -> tuple[float, bool]:
    if not text:
        return np.nan, True
    try:
        number = float(text)
    except ValueError:
        return np.nan, False
    if item.type == "number":
        low = -np.inf if item.min is None else item.min
        high = np.inf if item.max is None else item.max
        return number, low <= number <= high
    return number, number.is_integer() and int(number) in item.allowed_codes


def _parse_multiple(text: str, item: Item) -> tuple[int, bool]:
    if not text:
        return 0, True
    mask = 0
    for part in text.split(";"):
        try:
            code = int(part.strip())
        except ValueError:
            return 0, False
        if code not in item.allowed_codes or not 0 <= code < 63:
            return 0, False
        mask |= 1 << code
    return mask, True


def _item_codes(column: pd.Series, item: Item, problems: _Problems, lines: np.ndarray) -> pd.Series:
    """The item's codes (float, NaN = unanswered) or, for multiple choice, a bit mask (0 = none)."""
    index, texts = _distinct(column)
    parse = _parse_multiple if item.qtype.multiple else _parse_single
    parsed = [parse(text, item) for text in texts]
    empty = (0, True) if item.qtype.multiple else (np.nan, True)
    values = np.asarray([p[0] for p in parsed] + [empty[0]])
    ok = np.asarray([p[1] for p in parsed] + [True])
    bad = np.flatnonzero(~ok[index])
    if bad.size:
        if item.type == "number":
            message = f"geen getal van {item.min} tot en met {item.max}"
        else:
            allowed = ", ".join(map(str, sorted(item.allowed_codes)))
            message = (
                f"geen codes van deze vraag, gescheiden door ';' (wel: {allowed})"
                if item.qtype.multiple
                else f"geen code van deze vraag (wel: {allowed})"
            )
        problems.at(bad, item.key, message, _text(column), lines)
    result = values[index]
    result[~ok[index]] = empty[0]
    dtype = np.int64 if item.qtype.multiple else float
    return pd.Series(result.astype(dtype), index=column.index)


def check_responses(
    frame: pd.DataFrame, indicators: IndicatorSet, first_line: int = 2
) -> Responses:
    """Check a wide frame against the questionnaire definitions; raise ``ResponsesError`` if bad."""
    problems = _Problems(first_line)
    frame = frame.reset_index(drop=True)
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

    present = [q for q in known if (questionnaire == q).any()]
    item_columns = {item.key for q in known.values() for item in q.definition.items}
    for column in columns:
        if column not in META_COLUMNS and column != PANEL_COLUMN and column not in item_columns:
            problems.add(
                f"regel 1, kolom '{column}': geen vraag van de vragenlijsten"
                f" ({', '.join(known)}) en geen bekende kolom"
            )
    problems.raise_if_any()

    panel = meta_text.get(PANEL_COLUMN, pd.Series("", index=frame.index))
    result: dict[str, QuestionnaireResponses] = {}
    for key in present:
        rows = np.flatnonzero(questionnaire == key)
        definition = known[key].definition
        own = {item.key for item in definition.items}
        for column in item_columns - own:
            if column in columns:
                filled = np.flatnonzero(_text(frame[column].iloc[rows]).to_numpy() != "")
                problems.at(rows[filled], column, f"deze vraag hoort niet bij vragenlijst '{key}'")
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
        codes: dict[str, pd.Series] = {}
        for item in definition.items:
            if not item.qtype.coded and item.type != "number":
                continue
            if item.key in columns:
                column = frame[item.key].iloc[rows].reset_index(drop=True)
            else:
                column = pd.Series(np.nan, index=range(len(rows)))
            codes[item.key] = _item_codes(column, item, problems, lines)
        result[key] = QuestionnaireResponses(key, meta, pd.DataFrame(codes))
    problems.raise_if_any()
    return Responses(result)
