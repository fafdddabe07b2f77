"""The recommendation tracker's dashboard. Layout only: every number, table and
chart comes from `tracker/`.

Run with `scripts/dashboard` (or `streamlit run dashboard.py`).
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timezone
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from tracker import access, analysis, charts, edits, report, store
from tracker.errors import Conflict, StoreUnavailable, TrackerError, ValidationFailed
from tracker.model import EDITABLE_FIELDS, format_date, format_timestamp, slugify, status_by_id
from tracker.view import (
    View,
    build_link,
    describe_filters,
    earliest_date,
    escape_markdown,
    filter_recommendations,
    markdown_link,
    parse_view,
    view_to_params,
)

PAGE_TITLE = "Recommendation tracker"


@st.cache_resource(max_entries=4, show_spinner=False)
def open_cached_store(location: str):
    return store.open_store(location)


@st.cache_resource(max_entries=4, show_spinner=False)
def load_cached(location: str, revision: str, today: date):
    """The validated tracker, its event log and its recommendations table, re-read only when the data changes."""
    tracker = open_cached_store(location).load(today=today)
    return tracker, analysis.list_updates(tracker), analysis.list_recommendations(tracker)


def data_location() -> str:
    """A database URL (environment or secrets) if one is configured, else the YAML file."""
    secrets = {"database": read_secret("database"), "database_url": read_secret("database_url")}
    return store.configured_location(os.environ, secrets)


def load_or_explain(location: str, today: date):
    """Load the data, or explain in plain words why not and stop the page."""
    try:
        revision = open_cached_store(location).revision()
        return (*load_cached(location, revision, today), revision)
    except ValidationFailed as failed:
        st.error(f"The tracker data cannot be shown: {len(failed.problems)} problem(s) need fixing in the data file.")
        for problem in failed.problems:
            st.error(str(problem))
    except StoreUnavailable as error:
        st.error(f"The tracker data cannot be reached. {error}")
    except TrackerError as error:
        st.error(str(error))
    st.stop()


def read_url_once(tracker, today: date) -> None:
    """On a session's first run, copy the link's query parameters into the filters."""
    if st.session_state.get("_url_read"):
        return
    view, warnings = parse_view(st.query_params.to_dict(), tracker, today)
    st.session_state.update(
        {
            "_url_read": True,
            "_warnings": warnings,
            "f_status": list(view.statuses),
            "f_addressee": list(view.addressees),
            "f_category": list(view.categories),
            "f_query": view.query,
            "f_as_of": view.as_of,
            "f_rec": view.rec or "",
            "f_since": view.since,
            "_frozen": view.frozen,
        }
    )


def filters_ui(tracker, today: date) -> View:
    """Sidebar filters; returns the view they describe."""
    settings = tracker.tracker
    labels = {t.id: t.label for t in [*settings.statuses, *settings.addressees, *settings.categories]}
    sidebar = st.sidebar
    sidebar.header("Filters")
    for label, terms, key, placeholder in (
        ("Status", list(status_by_id(settings).values()), "f_status", "All statuses"),
        ("Addressee", settings.addressees, "f_addressee", "All addressees"),
        ("Category", settings.categories, "f_category", "All categories"),
    ):
        sidebar.multiselect(
            label, [term.id for term in terms], key=key, format_func=labels.get, placeholder=placeholder
        )
    sidebar.text_input("Search", key="f_query", placeholder="Words in a title or note", max_chars=100)
    frozen = st.session_state.get("_frozen", False)
    sidebar.date_input(
        "As of",
        key="f_as_of",
        min_value=earliest_date(tracker),
        max_value=today,
        format="YYYY-MM-DD",
        disabled=frozen,
        help="Show every number, chart and table as things stood on this day.",
    )
    if sidebar.button("Clear filters", key="clear_filters"):
        for key in ("f_status", "f_addressee", "f_category"):
            st.session_state[key] = []
        st.session_state["f_query"] = ""
        st.rerun()
    return View(
        as_of=st.session_state["f_as_of"] or today,
        statuses=tuple(st.session_state["f_status"]),
        addressees=tuple(st.session_state["f_addressee"]),
        categories=tuple(st.session_state["f_category"]),
        query=st.session_state["f_query"].strip(),
        rec=st.session_state.get("f_rec") or None,
        since=st.session_state.get("f_since"),
        frozen=frozen,
    )


def sync_url(view: View, today: date) -> None:
    """Keep the address bar in step with the view, so a copied link reopens it."""
    params = view_to_params(view, today)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def header_ui(tracker, view: View, log: pd.DataFrame) -> None:
    settings = tracker.tracker
    article = settings.article
    st.title(settings.title)
    byline = f"{article.description}. {article.author}, {article.publisher}, {format_date(article.published)}."
    st.caption(escape_markdown(byline))
    latest = analysis.latest_update(log, view.as_of)
    stamp = f"**As of {format_date(view.as_of.isoformat())}** · latest update {format_date(latest) if latest else '—'}"
    st.markdown(stamp)
    if view.frozen:
        st.info(
            f"This is a frozen link: it shows the tracker as it stood on {format_date(view.as_of.isoformat())}, "
            "even if later updates were recorded. Remove `frozen=1` from the address to see today's state."
        )
    with st.expander("Methodology and status definitions"):
        st.markdown(escape_markdown(settings.methodology))
        st.dataframe(
            pd.DataFrame(
                [
                    {"Status": s.label, "Definition": s.definition, "Weight": s.weight, "Colour": s.colour}
                    for s in status_by_id(settings).values()
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        st.markdown(analysis.describe_progress_formula(settings))
        st.markdown(
            f"A recommendation is **stale** when it has had no update or review for "
            f"{settings.review_interval_days} days (some recommendations set their own interval)."
        )


def metrics_ui(tracker, shown: pd.DataFrame, total: int, view: View, recent: pd.DataFrame) -> None:
    settings = tracker.tracker
    counts = analysis.count_by_status(shown, settings)
    grid = st.columns(len(counts))
    for column, row in zip(grid, counts.itertuples(), strict=True):
        column.metric(row.label, row.count)
    since = view.changes_since()
    changed = int(recent["changed"].sum()) if not recent.empty else 0
    score = st.columns(4)
    score[0].metric(
        "Progress score",
        f"{analysis.score_progress(shown, settings):g} / 100",
        help=analysis.describe_progress_formula(settings),
    )
    score[1].metric("Stale", int(shown["stale"].sum()), help="No update or review within the review interval.")
    score[2].metric(f"Changed since {format_date(since.isoformat())}", changed)
    score[3].metric("Shown", f"{len(shown)} of {total}")


@st.cache_resource(max_entries=16, show_spinner=False)
def statuses_cached(location: str, revision: str, today: date, as_of: date) -> pd.DataFrame:
    """Every recommendation's status on a day (shared and read-only: filtering makes new frames)."""
    tracker, log, recommendations = load_cached(location, revision, today)
    return analysis.statuses_as_of(tracker, as_of, log, recommendations)


@st.cache_resource(max_entries=32, show_spinner=False)
def changes_cached(location: str, revision: str, today: date, since: date, as_of: date, ids: tuple) -> pd.DataFrame:
    """What changed in a window for some recommendations (shared and read-only)."""
    tracker, log, _ = load_cached(location, revision, today)
    return analysis.list_changes(tracker, since, as_of, log[log["rec_id"].isin(ids)])


@st.cache_data(max_entries=32, show_spinner=False)
def chart_specs(location: str, revision: str, today: date, as_of: date, ids: tuple[str, ...]) -> dict[str, dict]:
    """The four charts' Vega-Lite specs for some recommendations on a day. Charts depend on
    nothing else, so a view seen before (same data, day and rows) costs nothing to redraw.
    Specs skip Altair's schema re-validation, the slowest step: tests/test_charts.py checks them."""
    tracker, log, _ = load_cached(location, revision, today)
    frame = statuses_cached(location, revision, today, as_of)
    shown = frame[frame["id"].isin(ids)]
    built = report.build_charts(tracker, View(as_of=as_of), log, shown=shown)
    return {name: chart.to_dict(validate=False) for name, chart in built.items()}


def charts_ui(specs: dict[str, dict]) -> dict:
    """The four charts; returns what the reader clicked."""
    left, right = st.columns([6, 5])  # the category chart's long labels need the extra width
    picked_category = left.vega_lite_chart(
        specs["status_by_category"], key="chart_category", on_select="rerun", width="stretch"
    )
    picked_addressee = right.vega_lite_chart(
        specs["scorecard"], key="chart_addressee", on_select="rerun", width="stretch"
    )
    st.vega_lite_chart(specs["status_over_time"], width="stretch")
    picked_rec = st.vega_lite_chart(specs["timeline"], key="chart_timeline", on_select="rerun", width="stretch")
    return {
        "category": clicked(picked_category, charts.PICK_CATEGORY, "category"),
        "addressee": clicked(picked_addressee, charts.PICK_ADDRESSEE, "addressee"),
        "rec": clicked(picked_rec, charts.PICK_RECOMMENDATION, "rec_id"),
    }


def clicked(event, selection: str, field: str) -> list:
    """Values a reader clicked in a chart (the event is dict-like in every runtime)."""
    points = (event or {}).get("selection", {}).get(selection) or []
    return [point[field] for point in points if field in point]


def narrow_by_clicks(frame: pd.DataFrame, picked: dict) -> pd.DataFrame:
    if picked["category"]:
        frame = frame[frame["category"].isin(picked["category"])]
    if picked["addressee"]:
        frame = frame[frame["addressees"].map(lambda items: bool(set(picked["addressee"]) & set(items)))]
    return frame


def table_ui(frame: pd.DataFrame, picked: dict) -> str | None:
    """The recommendations table; returns the id of a row the reader selected."""
    st.subheader("Recommendations")
    if picked["category"] or picked["addressee"]:
        st.caption("Narrowed by your click on a chart; click the chart's background to undo.")
    table = pd.DataFrame(
        {
            "Recommendation": frame["title"],
            "Addressees": frame["addressee_labels"],
            "Category": frame["category_label"],
            "Status": frame["status_label"],
            "Latest update": frame["last_update"].map(format_date),
            "Days in status": frame["days_in_status"],
            "Stale": frame["stale"].map({True: "⚠ stale", False: ""}),
            "Latest source": frame["last_source_title"],
            "Link": frame["last_source_url"].where(frame["last_source_url"].str.match(r"^https?://"), None),
        }
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={"Link": st.column_config.LinkColumn("Link", display_text="Open ↗")},
    )
    rows = (event or {}).get("selection", {}).get("rows") or []
    return frame["id"].iloc[rows[0]] if rows else None


def remember_pick(name: str, value) -> bool:
    """True when a click (row or chart) is new since the last run."""
    key = f"_last_{name}"
    if st.session_state.get(key) == value:
        return False
    st.session_state[key] = value
    return bool(value)


def detail_ui(tracker, view: View, log: pd.DataFrame, ids: list[str]) -> None:
    st.subheader("Detail")
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    options = [""] + [rec_id for rec_id in titles if rec_id in ids or rec_id == st.session_state.get("f_rec")]
    st.selectbox(
        "Recommendation",
        options,
        key="f_rec",
        format_func=lambda rec_id: titles.get(rec_id, "Choose a recommendation…"),
    )
    rec_id = st.session_state["f_rec"]
    if not rec_id:
        st.caption("Choose a recommendation, click a row of the table or a band of the timeline to see its history.")
        return
    rec = next(r for r in tracker.recommendations if r.id == rec_id)
    st.markdown(f"#### {escape_markdown(rec.title)}")
    st.markdown("> " + escape_markdown(rec.quote).replace("\n", "\n> "))
    st.caption("Verbatim from the article" + (" (implied by it)" if rec.implied else ""))
    history = analysis.history_of(tracker, rec_id, view.as_of, log)
    if history.empty:
        st.info(f"Nothing was recorded for this recommendation by {format_date(view.as_of.isoformat())}.")
        return
    for row in history.itertuples():
        links = " · ".join(markdown_link(source["title"], source["url"]) for source in row.sources)
        st.markdown(
            f"**{row.date}** — {escape_markdown(row.status)}  \n{escape_markdown(row.note)}"
            + (f"  \nSources: {links}" if links else "")
        )
        st.caption(f"Recorded by {escape_markdown(row.author)} on {row.recorded[:10]}")
    for change in reversed(rec.metadata_changes):
        st.caption(
            escape_markdown(
                f"{change.author} changed the {change.field.replace('_', ' ')} on {change.recorded[:10]} "
                f"(it was {change.old!r})."
            )
        )


def changes_ui(tracker, view: View, log: pd.DataFrame, ids, recent: pd.DataFrame) -> None:
    st.subheader("What changed")
    # Keyed by the as-of date so moving it never leaves this date out of range.
    since = st.date_input(
        "Since",
        value=view.changes_since(),
        min_value=earliest_date(tracker),
        max_value=view.as_of,
        key=f"changes_since_{view.as_of}",
        format="YYYY-MM-DD",
    )
    if since == view.changes_since():
        changes = recent
    else:
        changes = analysis.list_changes(tracker, since, view.as_of, log[log["rec_id"].isin(ids)])
    if changes.empty:
        st.info(
            f"No update was recorded between {format_date(since.isoformat())} and "
            f"{format_date(view.as_of.isoformat())} for the recommendations shown."
        )
        return
    st.dataframe(
        changes.rename(
            columns={
                "title": "Recommendation",
                "status_before": "Before",
                "status_after": "After",
                "changed": "Status changed",
                "updates": "Updates",
                "latest": "Latest",
                "latest_note": "Latest note",
            }
        ).drop(columns=["id"]),
        hide_index=True,
        width="stretch",
    )


# ---------------------------------------------------------------- sharing


def page_address() -> str:
    """This page's address without its query string (works behind a base path too)."""
    url = st.context.url or "http://localhost:8501/"
    return url.split("?", 1)[0]


def share_ui(view: View, today: date) -> None:
    """Links to this view; 'freeze' pins the as-of date for a citable permalink."""
    sidebar = st.sidebar
    sidebar.header("Share")
    freeze = sidebar.checkbox(
        "Freeze the as-of date (a permalink that keeps showing this day)", key="share_freeze", value=view.frozen
    )
    link = build_link(page_address(), view, today, freeze=freeze)
    # Inline code, not st.code: a code block loads a syntax highlighter into every page.
    sidebar.markdown(f"Link to this view:  \n`{link}`")
    if freeze:
        sidebar.caption(
            f"It will keep showing the tracker as of {format_date(view.as_of.isoformat())}, even after later updates."
        )


def downloads_ui(tracker, view: View, shown: pd.DataFrame, today: date) -> None:
    """One picker for every export: tables, the data file, stamped chart images, the offline brief."""
    st.subheader("Download")
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    key = left.selectbox(
        "What to download",
        list(report.DOWNLOADS),
        key="download_what",
        format_func=lambda choice: report.DOWNLOADS[choice][0],
    )
    build = partial(
        report.build_download,
        key,
        tracker,
        view,
        frame=shown,
        permalink=build_link(page_address(), view, today, freeze=True),
        generated=datetime.now(timezone.utc),
    )
    # Tables and the data file are quick to make: hand them over directly. Chart images and
    # the brief take a second or more, so they are made only when the button is clicked.
    right.download_button(
        f"Download {report.DOWNLOADS[key][1].upper()}",
        type="primary",
        data=build if key == "brief" or key.endswith(("-png", "-svg")) else build(),
        file_name=report.name_download(key, view.as_of),
        mime=report.DOWNLOADS[key][2],
        key="download",
        on_click="ignore",
    )
    st.caption(
        "Exports follow the filters and the as-of date shown; chart images and the brief are stamped with "
        "them. The brief also carries the data's fingerprint and a frozen permalink."
    )


# ---------------------------------------------------------------- editing


def read_secret(name: str, default=None):
    """A value from Streamlit secrets; absent secrets are normal, not an error."""
    try:
        return st.secrets.get(name, default)
    except Exception:  # noqa: BLE001 - Streamlit raises its own error when no secrets file exists
        return default


def now_utc() -> str:
    return format_timestamp(datetime.now(timezone.utc))


@st.cache_resource(show_spinner=False)
def passcode_lockout() -> dict:
    """Wrong passcode tries, shared by every session so a new tab does not reset them."""
    return {"state": access.Lockout()}


def access_ui() -> access.Access:
    """The editing section of the sidebar; decides, on every run, who may edit."""
    passcode = read_secret("editor_passcode") or os.environ.get("TRACKER_EDITOR_PASSCODE")
    mode = access.choose_mode(
        passcode=passcode,
        login_configured=bool(read_secret("auth")),
        read_only=os.environ.get("TRACKER_READ_ONLY") == "1",
    )
    sidebar = st.sidebar
    if mode == "read_only":
        return access.Access(mode, False)
    sidebar.header("Editing")
    if mode == "login":
        user = {key: st.user.get(key) for key in ("is_logged_in", "email", "name")}
        editors = read_secret("editors") or os.environ.get("TRACKER_EDITORS", "").split(",")
        result = access.login_access(user, list(editors))
        if user.get("is_logged_in"):
            sidebar.caption(f"Logged in as {user.get('email')}")
            if sidebar.button("Log out", key="logout"):
                st.logout()
        elif sidebar.button("Log in to edit", key="login"):
            st.login()
        if not result.can_edit:
            sidebar.caption(result.message)
        return result
    if mode == "passcode" and not st.session_state.get("_editor_ok"):
        typed = sidebar.text_input("Editor passcode", type="password", key="passcode")
        if sidebar.button("Unlock editing", key="unlock"):
            lock = passcode_lockout()
            wait = access.seconds_to_wait(lock["state"], time.time())
            if wait > 0:
                sidebar.error(f"Too many wrong passcodes in a row. Wait {wait:.0f} seconds, then try again.")
            else:
                ok = access.passcode_matches(typed or "", str(passcode))
                lock["state"] = access.record_try(lock["state"], ok, time.time())
                if ok:
                    st.session_state["_editor_ok"] = True
                    st.session_state["edit_mode"] = True
                    st.rerun()
                left = access.MAX_TRIES - lock["state"].failures
                hint = f" {left} tries left before a wait." if left > 0 else " Further tries must now wait."
                sidebar.error("That passcode is not right." + hint)
        sidebar.caption("Readers can use everything else without a passcode.")
        return access.Access(mode, False)
    name = sidebar.text_input(
        "Your name", key="editor_name", max_chars=100, help="Recorded as the author of each update you save."
    )
    return access.Access(mode, True, author=(name or "").strip())


def edit_mode_ui(who: access.Access) -> bool:
    """Editors switch the editing tools on when they need them; readers never see the switch."""
    if not who.can_edit:
        return False
    return st.sidebar.toggle("Show the editing tools", key="edit_mode")


def save_with_feedback(action, *, success: str, clear_prefix: str = "") -> None:
    """Run one save; on success show it at once, on failure list every problem in plain words."""
    try:
        message = action()
    except ValidationFailed as failed:
        st.error("Nothing was saved. Please fix:")
        for problem in failed.problems:
            st.error(str(problem))
        return
    except (Conflict, TrackerError) as error:
        st.error(f"Nothing was saved. {error}")
        return
    if clear_prefix:
        # An empty form after a save, so a second click cannot save the same thing twice.
        for key in [key for key in st.session_state if str(key).startswith(clear_prefix) and key != "upd_rec"]:
            del st.session_state[key]
        st.session_state.pop("_upd_rec_shown", None)
    st.session_state["_flash"] = [success, *(message or [])]
    st.session_state.pop("_seen", None)
    st.session_state["_flash_toast"] = success
    st.rerun()


def require_editor(who: access.Access) -> bool:
    """Checked again at every save, on the server."""
    if not who.can_edit:
        st.error("Nothing was saved: you are not signed in as an editor.")
        return False
    if not who.author:
        st.error("Nothing was saved: type your name in the sidebar first; it is recorded with your change.")
        return False
    return True


def record_update_ui(tracker, location, who, today, seen) -> None:
    settings = tracker.tracker
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    labels = {s.id: s.label for s in status_by_id(settings).values()}
    if "upd_rec" not in st.session_state and st.session_state.get("f_rec") in titles:
        st.session_state["upd_rec"] = st.session_state["f_rec"]
    rec_id = st.selectbox("Recommendation", list(titles), key="upd_rec", format_func=titles.get)
    current = next(rec for rec in tracker.recommendations if rec.id == rec_id).updates[-1].status
    if st.session_state.get("_upd_rec_shown") != rec_id:
        # A newly chosen recommendation starts from its current status.
        st.session_state["_upd_rec_shown"] = rec_id
        st.session_state["upd_status"] = current
    st.caption(f"Current status: {labels[current]}")
    with st.form("record_update", clear_on_submit=False):
        status = st.selectbox(
            "Status after this update",
            list(labels),
            key="upd_status",
            format_func=labels.get,
            help="Keep the same status to record a review with no change.",
        )
        # No max_value: the core refuses future dates with a plain message, on the server.
        when = st.date_input("When it happened", value=today, key="upd_date", format="YYYY-MM-DD")
        month_only = st.checkbox("Only the month is known", key="upd_month_only")
        note = st.text_area("Note, in your own words", key="upd_note", max_chars=2000)
        sources = []
        for n in (1, 2):
            left, right = st.columns([3, 2])
            url = left.text_input(f"Source {n} web address", key=f"upd_url{n}", max_chars=2000, placeholder="https://…")
            title = right.text_input(f"Source {n} title", key=f"upd_title{n}", max_chars=300)
            if (url or "").strip() or (title or "").strip():
                sources.append({"url": (url or "").strip(), "title": (title or "").strip()})
        submitted = st.form_submit_button("Save update")
    if not submitted or not require_editor(who):
        return

    def save():
        fields = {
            "date": when.isoformat()[:7] if month_only else when.isoformat(),
            "status": status,
            "note": (note or "").strip(),
            "sources": sources,
            "author": who.author,
            "recorded": now_utc(),
        }
        new = open_cached_store(location).append_update(rec_id, edits.build_update(fields), today=today)
        others = edits.describe_other_changes(seen or edits.count_updates(tracker), new, {rec_id: 1})
        return ["While you were editing, others saved changes too:", *others] if others else []

    save_with_feedback(save, success=f"Saved an update to '{titles[rec_id]}'.", clear_prefix="upd_")


def triage_ui(tracker, frame, location, who, today) -> None:
    settings = tracker.tracker
    labels = {s.id: s.label for s in status_by_id(settings).values()}
    by_label = {label: status_id for status_id, label in labels.items()}
    st.caption("Change several statuses at once. Each changed row needs a note and a source before it saves.")
    table = pd.DataFrame(
        {
            "id": frame["id"],
            "Recommendation": frame["title"],
            "Current status": frame["status_label"],
            "New status": frame["status_label"],
            "Date": today.isoformat(),
            "Note": "",
            "Source web address": "",
            "Source title": "",
        }
    )
    key = f"triage_{st.session_state.get('_triage_round', 0)}"
    edited = st.data_editor(
        table,
        key=key,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        disabled=["id", "Recommendation", "Current status"],
        column_config={
            "New status": st.column_config.SelectboxColumn("New status", options=list(labels.values()), required=True)
        },
    )
    changed_rows = sorted((st.session_state.get(key) or {}).get("edited_rows", {}))
    if not st.button("Save triage changes", key="triage_save", disabled=not changed_rows):
        return
    if not require_editor(who):
        return
    rows = [
        {
            "id": edited.iloc[row]["id"],
            "status": by_label.get(edited.iloc[row]["New status"], edited.iloc[row]["New status"]),
            "date": edited.iloc[row]["Date"],
            "note": edited.iloc[row]["Note"],
            "source_url": edited.iloc[row]["Source web address"],
            "source_title": edited.iloc[row]["Source title"],
        }
        for row in changed_rows
    ]

    def save():
        recorded = now_utc()
        planned = edits.plan_triage(tracker, rows, author=who.author, recorded=recorded, today=today)
        data_store = open_cached_store(location)
        for rec_id, update in planned:
            data_store.append_update(rec_id, update, today=today)
        st.session_state["_triage_round"] = st.session_state.get("_triage_round", 0) + 1
        return []

    save_with_feedback(save, success=f"Saved {len(rows)} triage change(s).")


def add_recommendation_ui(tracker, location, who, today) -> None:
    settings = tracker.tracker
    labels = {t.id: t.label for t in [*settings.addressees, *settings.categories, *settings.priorities]}
    statuses = {s.id: s.label for s in status_by_id(settings).values()}
    with st.form("add_recommendation"):
        title = st.text_input("Short title", key="add_title", max_chars=160)
        rec_id = st.text_input("Id (leave empty to derive it from the title)", key="add_id", max_chars=60)
        quote = st.text_area("Verbatim quote from the article", key="add_quote", max_chars=3000)
        addressees = st.multiselect(
            "Who must act", [t.id for t in settings.addressees], key="add_addressees", format_func=labels.get
        )
        category = st.selectbox(
            "Category", [t.id for t in settings.categories], key="add_category", format_func=labels.get
        )
        priority = st.selectbox(
            "Priority", [t.id for t in settings.priorities], key="add_priority", format_func=labels.get
        )
        implied = st.checkbox("Implied by the article rather than stated", key="add_implied")
        status = st.selectbox(
            "Status at the article's publication (baseline)", list(statuses), key="add_status", format_func=statuses.get
        )
        baseline = st.text_input(
            "Baseline date (YYYY-MM, or YYYY-MM-DD)", value=settings.article.published, key="add_date", max_chars=10
        )
        note = st.text_area("Baseline note", key="add_note", max_chars=2000)
        submitted = st.form_submit_button("Add recommendation")
    if not submitted or not require_editor(who):
        return
    new_id = (rec_id or "").strip() or slugify(title or "")
    fields = {
        "id": new_id,
        "title": (title or "").strip(),
        "quote": (quote or "").strip(),
        "addressees": addressees,
        "category": category,
        "priority": priority,
        "implied": implied,
        "updates": [
            {
                "date": (baseline or "").strip(),
                "status": status,
                "note": (note or "").strip(),
                "sources": [],
                "author": who.author,
                "recorded": now_utc(),
            }
        ],
    }
    save_with_feedback(
        lambda: open_cached_store(location).add_recommendation(fields, today=today) and [],
        success=f"Added '{fields['title']}' with the id '{new_id}'.",
        clear_prefix="add_",
    )


def edit_details_ui(tracker, location, who, today) -> None:
    settings = tracker.tracker
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    labels = {t.id: t.label for t in [*settings.addressees, *settings.categories, *settings.priorities]}
    rec_id = st.selectbox("Recommendation to edit", list(titles), key="meta_rec", format_func=titles.get)
    rec = next(r for r in tracker.recommendations if r.id == rec_id)
    previously_seen = st.session_state.get("_meta_seen", {}).get(rec_id)
    current = {name: getattr(rec, name) for name in EDITABLE_FIELDS}
    with st.form(f"edit_{rec_id}"):
        values = {
            "title": st.text_input("Short title", value=rec.title, key=f"meta_title_{rec_id}", max_chars=160),
            "quote": st.text_area("Verbatim quote", value=rec.quote, key=f"meta_quote_{rec_id}", max_chars=3000),
            "addressees": st.multiselect(
                "Who must act",
                [t.id for t in settings.addressees],
                default=rec.addressees,
                key=f"meta_addressees_{rec_id}",
                format_func=labels.get,
            ),
            "category": st.selectbox(
                "Category",
                [t.id for t in settings.categories],
                index=[t.id for t in settings.categories].index(rec.category),
                key=f"meta_category_{rec_id}",
                format_func=labels.get,
            ),
            "priority": st.selectbox(
                "Priority",
                [t.id for t in settings.priorities],
                index=[t.id for t in settings.priorities].index(rec.priority),
                key=f"meta_priority_{rec_id}",
                format_func=labels.get,
            ),
            "implied": st.checkbox("Implied by the article", value=rec.implied, key=f"meta_implied_{rec_id}"),
        }
        submitted = st.form_submit_button("Save details")
    # What the editor saw when the form was drawn; a later change by someone else is a conflict.
    seen = previously_seen or current
    st.session_state.setdefault("_meta_seen", {})[rec_id] = seen if submitted else current
    if not submitted or not require_editor(who):
        return
    changes = {name: value for name, value in values.items() if value != seen[name]}
    if not changes:
        st.info("Nothing to save: no field was changed.")
        return
    save_with_feedback(
        lambda: (
            open_cached_store(location).edit_recommendation(
                rec_id, changes, expected=seen, author=who.author, recorded=now_utc(), today=today
            )
            and []
        ),
        success=f"Saved new details for '{values['title']}'.",
    )
    st.session_state["_meta_seen"].pop(rec_id, None)


def editor_ui(tracker, frame, location, who, today, seen) -> None:
    st.header("Edit the tracker")
    if who.mode == "local":
        st.info(
            "Local mode: editing is open because no editor passcode or login is set up. That is fine on your "
            "own computer; see the README before sharing this app."
        )
    record, triage, add, details = st.tabs(
        ["Record an update", "Triage several", "Add a recommendation", "Edit details"]
    )
    with record:
        record_update_ui(tracker, location, who, today, seen)
    with triage:
        triage_ui(tracker, frame, location, who, today)
    with add:
        add_recommendation_ui(tracker, location, who, today)
    with details:
        edit_details_ui(tracker, location, who, today)


def main() -> None:
    st.set_page_config(page_title=PAGE_TITLE, page_icon="📋", layout="wide")
    alt.data_transformers.disable_max_rows()
    today = date.today()
    location = data_location()
    tracker, log, _, revision = load_or_explain(location, today)
    # What this editor had in front of them since they began editing (or last saved).
    seen = st.session_state.setdefault("_seen", edits.count_updates(tracker))
    read_url_once(tracker, today)
    for message in st.session_state.pop("_flash", []):
        st.success(message)
    if st.session_state.get("_flash_toast"):
        st.toast(st.session_state.pop("_flash_toast"))
    for warning in st.session_state.get("_warnings", []):
        st.warning(warning)
    view = filters_ui(tracker, today)
    share_ui(view, today)
    who = access_ui()
    editing = edit_mode_ui(who) and not view.frozen
    header_ui(tracker, view, log)
    frame = statuses_cached(location, revision, today, view.as_of)
    shown = filter_recommendations(frame, view)
    if shown.empty:
        st.info(
            f"No recommendation matches these filters ({describe_filters(view, tracker)}) as of "
            f"{format_date(view.as_of.isoformat())}. Clear a filter in the sidebar to see more."
        )
        if editing:
            editor_ui(tracker, frame, location, who, today, seen)
        sync_url(view, today)
        return
    ids = tuple(shown["id"])
    recent = changes_cached(location, revision, today, view.changes_since(), view.as_of, ids)
    metrics_ui(tracker, shown, len(frame), view, recent)
    picked = charts_ui(chart_specs(location, revision, today, view.as_of, ids))
    narrowed = narrow_by_clicks(shown, picked)
    row_pick = table_ui(narrowed, picked)
    for name, value in (("row", row_pick), ("band", picked["rec"][0] if picked["rec"] else None)):
        if remember_pick(name, value):
            st.session_state["f_rec"] = value
    detail_ui(tracker, view, log, list(shown["id"]))
    changes_ui(tracker, view, log, shown["id"], recent)
    downloads_ui(tracker, view, shown, today)
    if editing:
        editor_ui(tracker, frame, location, who, today, seen)
    view = View(**{**view.__dict__, "rec": st.session_state.get("f_rec") or None})
    sync_url(view, today)


main()
