"""The downloads of "Vergelijken": the koploper table as shown, as Excel and as CSV.

The file is made when it is fetched, with its line in the audit log, on a short-lived address
(``pages.ui.downloads``). The files come from ``views.documents``, from the same figures as the
table on the page.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from db.access import Viewer
from pages.ui.downloads import audited, download_button
from surveys.clock import dutch_day
from views.documents import comparison_files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"


def draw_downloads(
    table: pd.DataFrame,
    baseline: str,
    followup: str,
    *,
    viewer: Viewer,
    koploper: str | None,
    view: str,
    explanation: Sequence[str],
    min_n: int,
) -> None:
    """Excel and CSV buttons for ``table`` (the rows shown). ``view`` says in words what is
    shown (waves, filters, koploper), for the file's title and the audit line."""
    title = f"Koplopermonitor, vergelijken: {view}"
    make_excel, make_csv = comparison_files(table, baseline, followup, title, explanation, min_n)
    part = koploper or "alle-koplopers"
    name = f"koplopermonitor-vergelijken-{part}-{baseline}-{followup}-{dutch_day().isoformat()}"
    st.caption(
        "De tabel hierboven als bestand, met dezelfde cijfers. Elke download komt in het logboek."
    )
    excel, csv = st.columns(2)
    download_button(
        "Tabel als Excel-bestand",
        make_excel,
        file_name=f"{name}.xlsx",
        mime=XLSX,
        key="vg_excel",
        viewer=viewer,
        audit=audited(viewer, f"Vergelijken, Excel: {view}", koploper),
        container=excel,
        icon=":material/table_view:",
    )
    download_button(
        "Tabel als CSV (voor Nederlandse Excel)",
        make_csv,
        file_name=f"{name}.csv",
        mime=CSV,
        key="vg_csv",
        viewer=viewer,
        audit=audited(viewer, f"Vergelijken, CSV: {view}", koploper),
        container=csv,
        icon=":material/download:",
    )
