"""Benchmark of the page "Mijn koploper": from the database to the figures, with 1,000,000 answers.

In one run, on one database filled with synthetic responses (``db.demo.seed_demo``: 28 koplopers,
two waves, two questionnaires), it times for one koploper:

- ``database → figures (cold)``: right after the data changed, what the page asks of
  ``views.dashboard``: the count tables of the koploper and its pooled benchmark groups
  (``dashboard_counts``: the data version, one read of every response's pack,
  ``db.read_model``, decoded and scored) and the figures (``dashboard_figures``: the engine's
  ``measures.figures.figures`` with the wording notes);
- ``database → figures (warm)``: the same when the responses of this data version were read
  already (by any page view: ``views.cache`` keeps them per data version), the count tables
  and figures not;
- ``database → figures after one new response (incremental)``: the same right after one more
  response was stored (as the app stores it: with its pack, in a transaction of its own):
  only the new pack is read and added to what is kept, then everything is scored again;
- ``render``: what a first visit computes after new data: the cold path and the charts of the
  open goal (the page draws only the open tab);
- ``filter: waves``: figures again (``dashboard_figures``) from the kept count tables;
- ``background``: what the page starts after the first view: every subgroup of the koploper
  counted in a background thread (``views.subgroups.count_subgroups_later``), timed until it
  is done;
- ``filter: a subgroup, first time``: a subgroup chosen for the first time after that: its count
  tables from what the background counted, then the figures (``dashboard_figures`` with a
  subgroup); and, for reference, the same right after new data, before the background has counted
  it: counted from the responses in memory, then the figures;
- ``report``: the council report (``reports.report``: every chart drawn by kaleido in the
  system Chromium, the PDF by WeasyPrint) of a view not reported before, with Chromium already
  open (the page starts it when it shows the download buttons: ``reports.chart_images``); for
  reference also the first report of a new server process (Chromium still to start) and the
  same view again (its images kept);
- ``paired change``: the change for the same people (``views.dashboard.paired_figures``, part of
  every figures view of two waves): for the koploper before it has a panel (one indexed read of
  its panel keys, which finds none), then after half of its T0 and T1 respondents were given
  shared panel keys (not timed; the packs are untouched), and the filter "waves" again with that
  panel: the figures with their paired change, beside the same filter without a panel above;
- ``engine in memory``: the same figures from the same responses already in memory as the
  measures engine holds them (``measures.counts.from_scored`` + ``figures``): the baseline for
  the ratio "database to figures" / "engine in memory";
- ``read_export`` + ``interchange``: the export's read as a wide frame (one row per response), for
  reference.

Goals (issue 9): render ≤ 2 s, a filter change ≤ 300 ms, the report ≤ 10 s, ratio ≤ 2×. Run from
the repository root:

    python bench/dashboard.py                       # embedded SQLite in a temporary folder
    python bench/dashboard.py --database-url URL    # e.g. PostgreSQL (a scratch database)
    python bench/dashboard.py --quick               # a tenth of the data, a smoke test
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import secrets  # noqa: E402

from sqlalchemy import bindparam, select  # noqa: E402

from bench.common import arguments, filled, show, timed  # noqa: E402
from db.access import command_line  # noqa: E402
from db.export import read_export  # noqa: E402
from db.models import Koploper, Response, Wave  # noqa: E402
from db.questionnaires import latest_version  # noqa: E402
from db.responses import NewResponse, insert_responses  # noqa: E402
from measures import check_responses, load_indicators, score  # noqa: E402
from measures.charts import indicator_chart  # noqa: E402
from measures.counts import from_scored  # noqa: E402
from measures.explain import explanation, methods_text  # noqa: E402
from measures.figures import figures  # noqa: E402
from measures.subgroups import subgroup_choices  # noqa: E402
from reports import chart_images  # noqa: E402
from reports.report import council_report  # noqa: E402
from surveys.clock import utcnow  # noqa: E402
from surveys.definition import from_stored  # noqa: E402
from surveys.export import interchange  # noqa: E402
from views.cache import CACHE  # noqa: E402
from views.dashboard import (  # noqa: E402
    COUNTS,
    FIGURES,
    dashboard_counts,
    dashboard_figures,
    paired_figures,
)
from views.subgroups import count_subgroups_later, wait_for_counting  # noqa: E402

KOPLOPER = "tilburg"


def store_one(factory) -> None:
    """One more client response of the koploper, stored as the app stores it (with its pack, in
    a transaction of its own)."""
    with factory.begin() as session:
        version = latest_version(session, "client")
        own = session.scalar(select(Koploper).where(Koploper.slug == KOPLOPER))
        wave = session.scalar(select(Wave).where(Wave.koploper_id == own.id, Wave.code == "T1"))
        response = NewResponse(
            questionnaire_version_id=version.id,
            koploper_id=own.id,
            wave_id=wave.id,
            channel="web",
            language="nl",
            idempotency_key=secrets.token_hex(16),
            submitted_at=utcnow(),
            answers={"used_oco": 1, "aware_oco": 1, "age_group": 2},
        )
        insert_responses(session, from_stored(version.definition), [response])


def give_panel_keys(factory) -> int:
    """Half of the koploper's respondents at T0 and at T1, pairwise, share a panel key (as panel
    codes would store them with the responses); returns the pairs."""
    table = Response.__table__
    pairs = 0
    with factory.begin() as session:
        own = session.scalar(select(Koploper).where(Koploper.slug == KOPLOPER))
        at = {}
        for code in ("T0", "T1"):
            wave = session.scalar(
                select(Wave.id).where(Wave.koploper_id == own.id, Wave.code == code)
            )
            at[code] = list(
                session.scalars(
                    select(Response.id).where(Response.wave_id == wave).order_by(Response.id)
                )
            )
        pairs = min(len(at["T0"]), len(at["T1"])) // 2
        keys = [secrets.token_hex(8) for _ in range(pairs)]
        rows = [
            {"rid": at[code][number], "key": key}
            for number, key in enumerate(keys)
            for code in ("T0", "T1")
        ]
        session.execute(
            table.update().where(table.c.id == bindparam("rid")).values(panel_key=bindparam("key")),
            rows,
        )
    return pairs


def charts_of(result, questionnaires: list[str], goal: str | None = None) -> int:
    """The charts the page draws: those of the open goal (the first tab), or all."""
    made = 0
    for row in result.changes.itertuples():
        if row.questionnaire in questionnaires and goal in (None, row.goal):
            indicator_chart(result, row.questionnaire, row.indicator, "Tilburg")
            made += 1
    return made


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    indicators = load_indicators()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        factory = filled(url, args.quick)
        with factory() as session:
            own = session.scalar(select(Koploper).where(Koploper.slug == KOPLOPER))
            cohort = set(
                session.scalars(select(Koploper.slug).where(Koploper.cohort_id == own.cohort_id))
            )
        viewer = command_line()
        choice = subgroup_choices(indicators)["age_group"]

        def view(subgroup=None, category=None):
            """The figures as the page gets them; only the responses may be kept."""
            with factory() as session:
                return dashboard_figures(
                    session, viewer, KOPLOPER, "Tilburg", subgroup, category, "T0", "T1",
                    indicators=indicators,
                )  # fmt: skip

        def warm_path():
            CACHE.drop(FIGURES)  # the responses kept, nothing counted
            CACHE.drop(COUNTS)
            with factory() as session:  # as the page: the koploper's waves, then the view
                counts = dashboard_counts(session, viewer, KOPLOPER, indicators=indicators)
            return counts, view()

        def database_to_figures():
            CACHE.clear()  # as right after new responses: a new data version
            return warm_path()

        def render():
            counts, result = database_to_figures()
            charts_of(result, ["client", "professional"], goal="awareness")
            return counts, result

        path_times, _ = timed(database_to_figures, args.rounds)
        warm_times, _ = timed(warm_path, args.rounds)
        incremental_times = []
        for _ in range(args.rounds):
            store_one(factory)  # not timed: what the respondent's request does
            incremental_times += timed(warm_path, 1)[0]
        render_times, (counts, result) = timed(render, args.rounds)
        kept = CACHE.bytes  # the responses read and scored, one view's count tables and figures

        def waves():
            CACHE.drop(FIGURES)  # another choice of waves: figures not made before
            return view()

        waves_times, _ = timed(waves, args.rounds)

        def paired():
            with factory() as session:
                return paired_figures(session, viewer, KOPLOPER, "T0", "T1", indicators=indicators)

        no_panel_times, none_found = timed(paired, args.rounds)
        assert none_found.empty, "the koploper has no panel yet"
        panel_pairs = give_panel_keys(factory)
        panel_times, paired_found = timed(paired, args.rounds)
        panel_waves_times, with_panel = timed(waves, args.rounds)
        assert not with_panel.paired.empty and not paired_found.empty

        def subgroup():
            CACHE.drop(FIGURES)
            return view(choice.key, 3)

        def subgroup_after_new_data():
            CACHE.drop(COUNTS)  # as right after new responses: nothing counted yet
            return subgroup()

        def background():
            CACHE.drop(COUNTS)
            with factory() as session:  # as the page does after the first view
                count_subgroups_later(session, viewer, KOPLOPER)
            if not wait_for_counting(timeout=600):
                raise SystemExit("the background counting took over 10 minutes")

        new_data_times, _ = timed(subgroup_after_new_data, args.rounds)
        background_times, _ = timed(background, args.rounds)
        subgroup_times, _ = timed(subgroup, args.rounds)
        both = ["client", "professional"]
        charts = {
            (row.questionnaire, row.indicator): indicator_chart(
                result, row.questionnaire, row.indicator, "Tilburg"
            )
            for row in result.changes.itertuples()
        }

        def report():
            return council_report(result, "Tilburg", both, charts, explanation(), methods_text())

        def report_new_view():
            chart_images.clear_cache()  # no image of this view drawn before
            return report()

        def report_new_server():
            chart_images.close_all()  # as in a new server process: Chromium must start
            return report_new_view()

        started_times, _ = timed(report_new_server, args.rounds)
        chart_images.warm_up()  # as the page does when it shows the download buttons
        report_times, pdf = timed(report_new_view, args.rounds)
        again_times, _ = timed(report, args.rounds)
        print(f"report: {len(pdf) / 1e6:.1f} MB, {len(charts)} charts")

        with factory() as session:
            wide_times, wide = timed(
                lambda: interchange(read_export(session, viewer, include_demo=True)), 1
            )
        scored = score(check_responses(wide, indicators), indicators)

        def in_memory():
            counts = from_scored(scored, KOPLOPER, cohort, indicators)
            return figures(counts, indicators, "T0", "T1", koploper_name="Tilburg")

        engine_times, engine_result = timed(in_memory, args.rounds)
        same = (
            engine_result.changes["estimate_followup"]
            .fillna(-1)
            .sub(result.changes["estimate_followup"].fillna(-1))
            .abs()
            .max()
        )

        print()
        path = show("database → figures (cold)", path_times)
        warm = show("database → figures (warm)", warm_times)
        incremental = show(
            "database → figures after one new response (incremental)", incremental_times
        )
        show("render (+ the open goal's charts)", render_times, "goal ≤ 2 s")
        waves_alone = show("filter: waves (figures again)", waves_times, "goal ≤ 0.3 s")
        show("paired change, koploper without a panel (its keys read: none)", no_panel_times)
        show(f"paired change, a panel of {panel_pairs} pairs", panel_times)
        waves_panel = show(
            f"filter: waves with a panel of {panel_pairs} pairs", panel_waves_times, "goal ≤ 0.3 s"
        )
        show("background: every subgroup counted", background_times)
        show(
            "filter: a subgroup, first time (counted in the background)",
            subgroup_times,
            "goal ≤ 0.3 s",
        )
        show("a subgroup right after new data (nothing counted yet)", new_data_times)
        show("report (PDF, every chart)", report_times, "goal ≤ 10 s")
        show("report, Chromium still to start", started_times)
        show("report, same view again", again_times)
        engine = show("engine in memory (same figures)", engine_times)
        show("read_export + interchange (the export's read)", wide_times)
        print(
            f"ratio database → figures / engine in memory: {path / engine:.2f}× cold, "
            f"{warm / engine:.2f}× warm, {incremental / engine:.2f}× after one new response  "
            "(aim ≤ 2×)"
        )
        print(f"largest difference between the two paths: {same:.1e}")
        print(f"filter: waves with a panel / without: {waves_panel / waves_alone:.2f}×")
        print(f"kept in views.cache after one view: {kept / 2**20:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
