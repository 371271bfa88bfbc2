"""The downloads of "Vergelijken": the koploper table as shown, as Excel and as CSV.

The file is made when it is fetched (``st.download_button`` with a callable), and the same call
writes the line in the audit log: a download that did not happen is never logged, and fetching
the file never passes the log by. The rows come from ``measures.compare_downloads``, from the
same figures as the table on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from db.access import Viewer
from db.audit import record
from db.engine import get_sessionmaker
from measures.compare_downloads import comparison_csv, comparison_rows, comparison_xlsx
from surveys.clock import dutch_day

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"


def logged(
    make: Callable[[], bytes], url: str, viewer: Viewer, koploper: str | None, detail: str
) -> Callable[[], bytes]:
    """``make``, writing the audit line of the download when it has made the file."""

    def fetched() -> bytes:
        content = make()
        with get_sessionmaker(url).begin() as session:
            record(session, viewer, "download", koploper=koploper, detail=detail)
        return content

    return fetched


def draw_downloads(
    table: pd.DataFrame,
    baseline: str,
    followup: str,
    *,
    url: str,
    viewer: Viewer,
    koploper: str | None,
    view: str,
    explanation: Sequence[str],
) -> None:
    """Excel and CSV buttons for ``table`` (the rows shown). ``view`` says in words what is
    shown (waves, filters, koploper), for the file's title and the audit line."""
    rows = comparison_rows(table, baseline, followup)
    title = f"Koplopermonitor, vergelijken: {view}"
    part = koploper or "alle-koplopers"
    name = f"koplopermonitor-vergelijken-{part}-{baseline}-{followup}-{dutch_day().isoformat()}"
    st.caption(
        "De tabel hierboven als bestand, met dezelfde cijfers. Elke download komt in het logboek."
    )
    excel, csv = st.columns(2)
    excel.download_button(
        "Tabel als Excel-bestand",
        logged(
            lambda: comparison_xlsx(rows, title, explanation),
            url,
            viewer,
            koploper,
            f"Vergelijken, Excel: {view}",
        ),
        file_name=f"{name}.xlsx",
        mime=XLSX,
        icon=":material/table_view:",
        key="vg_excel",
        on_click="ignore",
    )
    csv.download_button(
        "Tabel als CSV (voor Nederlandse Excel)",
        logged(lambda: comparison_csv(rows), url, viewer, koploper, f"Vergelijken, CSV: {view}"),
        file_name=f"{name}.csv",
        mime=CSV,
        icon=":material/download:",
        key="vg_csv",
        on_click="ignore",
    )
