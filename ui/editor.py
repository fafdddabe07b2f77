"""What editors use: who may edit (passcode, login, local, read-only) and the forms
that record updates, triage, add recommendations and edit details. Every save goes
through the store, which validates, locks and writes atomically."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from tracker import access, clock, edits, messages, model
from tracker.edits import find_recommendation
from tracker.errors import Conflict, TrackerError, ValidationFailed
from tracker.model import EDITABLE_FIELDS, current_status, format_timestamp, labels_of, slugify, status_by_id
from tracker.text import escape_markdown

from .data import open_cached_store, read_secret
from .state import Key, read_state
from .words import current_words, t, tn
from .words import day as day_words


def now_utc() -> str:
    """The record time of a save, from the product's clock."""
    return format_timestamp(clock.now(os.environ))


# What an accepted passcode leaves in the session: an object, which no message from a browser can
# forge (a crafted widget value is a string, a number or a list, never this very object).
_UNLOCKED = object()


@st.cache_resource(show_spinner=False)
def passcode_throttle() -> dict:
    """Wrong passcode tries per client, shared by every session (a new tab resets nothing)."""
    return {"state": access.Throttle(), "lock": threading.Lock()}


def client_network() -> str | None:
    """Who is trying: the connection's address as the server saw it, an IPv6 one as its /64 (behind a
    proxy, set FORWARDED_ALLOW_IPS to it so the visitor's address is used); None when there is none
    (Streamlit gives none for connections from this computer, a local proxy's included)."""
    return access.client_network(st.context.ip_address)


def client_address() -> str:
    """The client as the suggestions' rate limit counts it: its network, or 'local' when there is none."""
    return client_network() or "local"


def passcode_client() -> str:
    """The client as the passcode throttle counts it. Without an address to tell visitors apart, each
    browser session counts alone: counting them together would let one stranger lock everyone out."""
    network = client_network()
    if network is not None:
        return network
    if not isinstance(st.session_state.get("_passcode_session"), str):
        st.session_state["_passcode_session"] = secrets.token_hex(16)
    return "session " + st.session_state["_passcode_session"]


def access_ui() -> access.Access:
    """The editing section of the sidebar; decides, on every run, who may edit."""
    passcode = read_secret("editor_passcode") or os.environ.get("TRACKER_EDITOR_PASSCODE")
    sidebar = st.sidebar
    try:
        read_only = access.parse_switch("TRACKER_READ_ONLY", os.environ.get("TRACKER_READ_ONLY"))
    except access.BadSetting as error:
        # Fail closed: a switch that cannot be read keeps editing off and says why.
        sidebar.warning(t("{problem} Editing is off until it is fixed.", problem=escape_markdown(str(error))))
        return access.Access("read_only", False)
    mode = access.choose_mode(passcode=passcode, login_configured=bool(read_secret("auth")), read_only=read_only)
    if mode == "read_only":
        return access.Access(mode, False)
    weak = access.passcode_problem(str(passcode)) if mode == "passcode" else ""
    if weak:
        # Fail closed, as for a switch that cannot be read: no way in is offered until it is fixed.
        sidebar.warning(t("{problem} Editing is off until it is fixed.", problem=escape_markdown(weak)))
        return access.Access("read_only", False)
    if mode == "local":
        # Open to anyone on this computer: no way in to show; the Edit page has the name and the forms.
        return access.Access(mode, True, author=read_state("editor_name", str, "").strip())
    sidebar.header(t("Editing"))
    if mode == "login":
        user = {key: st.user.get(key) for key in ("is_logged_in", "email", "name")}
        editors = read_secret("editors") or os.environ.get("TRACKER_EDITORS", "").split(",")
        by_document = read_secret("editors_by_document")
        result = access.login_access(
            user,
            list(editors),
            document=read_state(Key.DOCUMENT, str, ""),
            by_document=by_document if isinstance(by_document, Mapping) else None,
        )
        if user.get("is_logged_in"):
            sidebar.caption(t("Logged in as {email}", email=escape_markdown(str(user.get("email") or ""))))
            if sidebar.button(t("Log out"), key="logout"):
                st.logout()
        elif sidebar.button(t("Log in to edit"), key="login"):
            st.login()
        if not result.can_edit:
            sidebar.caption(escape_markdown(result.message))
        return result
    if mode == "passcode" and st.session_state.get("_editor_ok") is not _UNLOCKED:
        typed = sidebar.text_input(t("Editor passcode"), type="password", key="passcode")
        if sidebar.button(t("Unlock editing"), key="unlock"):
            throttle, client = passcode_throttle(), passcode_client()
            with throttle["lock"]:
                wait = access.seconds_to_wait(throttle["state"], client, time.time())
                ok = wait == 0 and access.passcode_matches(typed if isinstance(typed, str) else "", str(passcode))
                if wait == 0:
                    throttle["state"] = access.record_try(throttle["state"], client, ok, time.time())
            if wait > 0:
                sidebar.error(
                    t("Too many wrong passcodes. Wait {wait}, then try again.", wait=access.describe_wait(wait))
                )
            elif ok:
                st.session_state["_editor_ok"] = _UNLOCKED
                st.session_state["_go_edit"] = True  # the page script opens the Edit page
                st.rerun()
            else:
                failures = throttle["state"].clients.get(client, access.Lockout()).failures
                left = access.MAX_TRIES - failures
                sidebar.error(
                    tn(
                        "That passcode is not right. {n} try left before a wait.",
                        "That passcode is not right. {n} tries left before a wait.",
                        left,
                    )
                    if left > 0
                    else t("That passcode is not right. Further tries must now wait.")
                )
        sidebar.caption(t("Readers can use everything else without a passcode."))
        return access.Access(mode, False)
    if mode == "passcode":
        sidebar.caption(t("Editing is unlocked for this session: see the Edit page."))
    # The name is typed at the top of the Edit page; it is read here so every save records it.
    return access.Access(mode, True, author=read_state("editor_name", str, "").strip())


def save_with_feedback(action, *, success: str, clear_prefix: str = "", words=None, link: str = "") -> None:
    """Run one save; on success say what was saved, lastingly (until the next save), and clear the form so
    a second click cannot save it again; on failure list every problem in plain words (`words(problem)`:
    the form's own wording of a problem of the core) and save nothing."""
    try:
        message = action()
    except ValidationFailed as failed:
        st.error(t("Nothing was saved. Please fix:"))
        for problem in failed.problems:
            st.error(escape_markdown(words(problem) if words else str(problem)))
        return
    except (Conflict, TrackerError) as error:
        st.error(t("Nothing was saved. {problem}", problem=escape_markdown(str(error))))
        return
    if clear_prefix:
        # An empty form after a save, so a second click cannot save the same thing twice.
        for key in [key for key in st.session_state if str(key).startswith(clear_prefix) and key != Key.UPDATE_REC]:
            del st.session_state[key]
        st.session_state.pop(Key.UPDATE_REC_SHOWN, None)
    st.session_state[Key.FLASH] = [*(message or [])]
    st.session_state[Key.LAST_SAVED] = [success, link]  # shown first, above the other messages
    st.session_state.pop(Key.SEEN, None)
    st.session_state[Key.FLASH_TOAST] = success
    st.rerun()


def last_saved_ui() -> None:
    """What the editor saved last, with a link to it: it stays until the next save, so the editor sees it
    was recorded whatever they do meanwhile."""
    saved = read_state(Key.LAST_SAVED, list)
    if saved and len(saved) == 2 and all(isinstance(part, str) for part in saved):
        text, link = saved
        opening = t("Open it")
        more = f" [{opening}]({link})" if link.startswith(("http://", "https://", "/")) else ""
        st.success(escape_markdown(text) + more, icon=":material/check_circle:")


def recommendation_address(rec_id: str) -> str:
    """A link to a recommendation's page, from the page's own address."""
    url = (st.context.url or "").split("?", 1)[0]
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url.rstrip("/")
    return f"{base}/recommendation?rec={rec_id}" if base else f"/recommendation?rec={rec_id}"


def update_words(tracker, rec_id: str, when: str):
    """How the Edit page words a problem of an update to `rec_id` dated `when`."""
    rec = edits.find_recommendation(tracker, rec_id)
    statuses = labels_of(tracker.settings.statuses)
    supporting = [kind.label.lower() for kind in tracker.settings.source_kinds if kind.supports_change]
    kinds_words = ", ".join(supporting[:-1]) + (" or " if len(supporting) > 1 else "") + supporting[-1]
    return lambda problem: messages.editor_words(
        problem, title=rec.title, when=day_words(when), statuses=statuses, kinds_words=kinds_words,
        translate=current_words().t,
    )  # fmt: skip


def require_editor(who: access.Access) -> bool:
    """Checked again at every save, on the server."""
    if not who.can_edit:
        st.error(t("Nothing was saved: you are not signed in as an editor."))
        return False
    if not who.author:
        st.error(t("Nothing was saved: type your name at the top of this page first; it is recorded with your change."))
        return False
    return True


def record_update_ui(tracker, location, who, today, seen) -> None:
    settings = tracker.settings
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    labels = labels_of(status_by_id(settings).values())
    kinds = labels_of(settings.source_kinds)
    if "upd_rec" not in st.session_state and st.session_state.get("f_rec") in titles:
        st.session_state["upd_rec"] = st.session_state["f_rec"]
    rec_id = st.selectbox(
        t("Recommendation"), list(titles), key="upd_rec", format_func=titles.get, placeholder=t("Choose an option")
    )
    current = current_status(find_recommendation(tracker, rec_id))
    if read_state("_upd_rec_shown", str) != rec_id or "upd_status" not in st.session_state:
        # A newly chosen recommendation (or the form drawn again) starts from its current status.
        st.session_state["_upd_rec_shown"] = rec_id
        st.session_state["upd_status"] = current
    st.caption(t("Current status: {status}", status=escape_markdown(labels[current])))
    with st.form("record_update", clear_on_submit=False):
        status = st.selectbox(
            t("Status after this update"),
            list(labels),
            key="upd_status",
            format_func=labels.get,
            placeholder=t("Choose an option"),
            help=t(
                "Keep the same status, with no source, to record a review (checked, nothing new): it states "
                "no status, so news found later and dated before it can still be recorded."
            ),
        )
        # No max_value: the core refuses future dates with a plain message, on the server.
        when = st.date_input(t("When it happened"), value=today, key="upd_date", format="YYYY-MM-DD")
        month_only = st.checkbox(t("Only the month is known"), key="upd_month_only")
        note = st.text_area(t("Note, in your own words"), key="upd_note", max_chars=model.MAX_NOTE)
        sources = []
        for n in (1, 2):
            left, middle, right = st.columns([3, 2, 1])
            url = left.text_input(
                t("Source {n} web address", n=n), key=f"upd_url{n}", max_chars=model.MAX_URL, placeholder="https://…"
            )
            title = middle.text_input(t("Source {n} title", n=n), key=f"upd_title{n}", max_chars=model.MAX_SOURCE_TITLE)
            # No default: the editor says what kind of source it is (a repost cannot carry a change).
            kind = right.selectbox(
                t("Source {n} kind", n=n), list(kinds), index=None, key=f"upd_kind{n}", format_func=kinds.get,
                placeholder=t("Choose an option"),
            )  # fmt: skip
            if (url or "").strip() or (title or "").strip():
                sources.append({"url": (url or "").strip(), "title": (title or "").strip(), "kind": kind})
        submitted = st.form_submit_button(t("Save update"))
    if not submitted or not require_editor(who):
        return

    day = when.isoformat()[:7] if month_only else when.isoformat()
    # The same status and no source: a review, which states no status.
    review = status == current and not sources

    def save():
        fields = {
            "date": day,
            "status": None if review else status,
            "note": (note or "").strip(),
            "sources": sources,
            "author": who.author,
            "recorded": now_utc(),
        }
        new = open_cached_store(location).append_update(rec_id, edits.build_update(fields), today=today)
        others = edits.describe_other_changes(seen or edits.count_updates(tracker), new, {rec_id: 1})
        return [t("While you were editing, others saved changes too:"), *others] if others else []

    what = t("a review (no change of status)") if review else labels.get(status, status)
    save_with_feedback(
        save,
        success=t(
            "Saved an update to '{title}': {what}, dated {date}.", title=titles[rec_id], what=what, date=day_words(day)
        ),  # fmt: skip
        clear_prefix="upd_",
        words=update_words(tracker, rec_id, day),
        link=recommendation_address(rec_id),
    )


def triage_ui(tracker, frame, location, who, today) -> None:
    settings = tracker.settings
    labels = labels_of(status_by_id(settings).values())
    by_label = {label: status_id for status_id, label in labels.items()}
    kinds = labels_of(settings.source_kinds)
    st.caption(t("Change several statuses at once. Each changed row needs a note and a source before it saves."))
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
            "Source kind": None,
        }
    )
    key = f"triage_{read_state('_triage_round', int, 0)}"
    edited = st.data_editor(
        table,
        key=key,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        disabled=["id", "Recommendation", "Current status"],
        # The columns keep their names (the code reads them); their headings are in the editor's language.
        column_config={
            "id": st.column_config.TextColumn(t("Id")),
            "Recommendation": st.column_config.TextColumn(t("Recommendation")),
            "Current status": st.column_config.TextColumn(t("Current status")),
            "New status": st.column_config.SelectboxColumn(
                t("New status"), options=list(labels.values()), required=True
            ),
            "Date": st.column_config.TextColumn(t("Date")),
            "Note": st.column_config.TextColumn(t("Note")),
            "Source web address": st.column_config.TextColumn(t("Source web address")),
            "Source title": st.column_config.TextColumn(t("Source title")),
            "Source kind": st.column_config.SelectboxColumn(t("Source kind"), options=list(kinds.values())),
        },
    )
    changed_rows = sorted((st.session_state.get(key) or {}).get("edited_rows", {}))
    if not st.button(t("Save triage changes"), key="triage_save", disabled=not changed_rows):
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
            "source_kind": {label: kind for kind, label in kinds.items()}.get(edited.iloc[row]["Source kind"]),
        }
        for row in changed_rows
    ]

    def save():
        recorded = now_utc()
        # One change for every row, applied to the tracker as it stands under the lock: all or nothing.
        open_cached_store(location).change(
            lambda current: edits.apply_triage(current, rows, author=who.author, recorded=recorded, today=today),
            today=today,
        )
        st.session_state["_triage_round"] = read_state("_triage_round", int, 0) + 1
        return []

    save_with_feedback(save, success=tn("Saved {n} triage change.", "Saved {n} triage changes.", len(rows)))


def add_recommendation_ui(tracker, location, who, today) -> None:
    settings = tracker.settings
    labels = labels_of([*settings.addressees, *settings.categories, *settings.priorities])
    statuses = labels_of(status_by_id(settings).values())
    with st.form("add_recommendation"):
        title = st.text_input(t("Short title"), key="add_title", max_chars=model.MAX_TITLE)
        rec_id = st.text_input(t("Id (leave empty to derive it from the title)"), key="add_id", max_chars=model.MAX_ID)
        quote = st.text_area(t("Verbatim quote from the article"), key="add_quote", max_chars=model.MAX_QUOTE)
        addressees = st.multiselect(
            t("Who must act"), [term.id for term in settings.addressees], key="add_addressees",
            format_func=labels.get, placeholder=t("Choose options"),
        )  # fmt: skip
        category = st.selectbox(
            t("Category"), [term.id for term in settings.categories], key="add_category", format_func=labels.get,
            placeholder=t("Choose an option"),
        )  # fmt: skip
        priority = st.selectbox(
            t("Priority"), [term.id for term in settings.priorities], key="add_priority", format_func=labels.get,
            placeholder=t("Choose an option"),
        )  # fmt: skip
        implied = st.checkbox(t("Implied by the article rather than stated"), key="add_implied")
        status = st.selectbox(
            t("Status at the article's publication (baseline)"), list(statuses), key="add_status",
            format_func=statuses.get, placeholder=t("Choose an option"),
        )  # fmt: skip
        baseline = st.text_input(
            t("Baseline date (YYYY-MM, or YYYY-MM-DD)"), value=settings.article.published, key="add_date",
            max_chars=10,
        )  # fmt: skip
        note = st.text_area(t("Baseline note"), key="add_note", max_chars=model.MAX_NOTE)
        assessment = st.text_area(
            t("Assessment: why it has this status"), key="add_assessment", max_chars=model.MAX_ASSESSMENT
        )
        criteria = st.text_area(t("What would count as implemented"), key="add_criteria", max_chars=model.MAX_CRITERIA)
        submitted = st.form_submit_button(t("Add recommendation"))
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
        "assessment": {"date": today.isoformat(), "text": (assessment or "").strip()},
        "criteria": (criteria or "").strip(),
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
        success=t("Added '{title}' with the id '{id}'.", title=fields["title"], id=new_id),
        clear_prefix="add_",
    )


def edit_details_ui(tracker, location, who, today) -> None:
    settings = tracker.settings
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    labels = labels_of([*settings.addressees, *settings.categories, *settings.priorities])
    rec_id = st.selectbox(
        t("Recommendation to edit"), list(titles), key="meta_rec", format_func=titles.get,
        placeholder=t("Choose an option"),
    )  # fmt: skip
    rec = find_recommendation(tracker, rec_id)
    previously_seen = read_state("_meta_seen", dict, {}).get(rec_id)
    if not isinstance(previously_seen, dict):
        previously_seen = None
    dumped = rec.model_dump()
    current = {name: dumped[name] for name in EDITABLE_FIELDS}
    with st.form(f"edit_{rec_id}"):
        values = {
            "title": st.text_input(
                t("Short title"), value=rec.title, key=f"meta_title_{rec_id}", max_chars=model.MAX_TITLE
            ),
            "quote": st.text_area(
                t("Verbatim quote"), value=rec.quote, key=f"meta_quote_{rec_id}", max_chars=model.MAX_QUOTE
            ),
            "addressees": st.multiselect(
                t("Who must act"),
                [term.id for term in settings.addressees],
                default=rec.addressees,
                key=f"meta_addressees_{rec_id}",
                format_func=labels.get,
                placeholder=t("Choose options"),
            ),
            "category": st.selectbox(
                t("Category"),
                [term.id for term in settings.categories],
                index=[term.id for term in settings.categories].index(rec.category),
                key=f"meta_category_{rec_id}",
                format_func=labels.get,
                placeholder=t("Choose an option"),
            ),
            "priority": st.selectbox(
                t("Priority"),
                [term.id for term in settings.priorities],
                index=[term.id for term in settings.priorities].index(rec.priority),
                key=f"meta_priority_{rec_id}",
                format_func=labels.get,
                placeholder=t("Choose an option"),
            ),
            "implied": st.checkbox(t("Implied by the article"), value=rec.implied, key=f"meta_implied_{rec_id}"),
            "criteria": st.text_area(
                t("What would count as implemented"),
                value=rec.criteria,
                key=f"meta_criteria_{rec_id}",
                max_chars=model.MAX_CRITERIA,
            ),
        }
        assessment = st.text_area(
            t("Assessment: why it has its current status (saved with today's date)"),
            value=rec.assessment.text,
            key=f"meta_assessment_{rec_id}",
            max_chars=model.MAX_ASSESSMENT,
        )
        submitted = st.form_submit_button(t("Save details"))
    # What the editor saw when the form was drawn; a later change by someone else is a conflict.
    seen = previously_seen or current
    st.session_state["_meta_seen"] = {**read_state("_meta_seen", dict, {}), rec_id: seen if submitted else current}
    if not submitted or not require_editor(who):
        return
    if assessment.strip() != rec.assessment.text:
        values["assessment"] = {"date": today.isoformat(), "text": assessment.strip()}
    changes = {name: value for name, value in values.items() if value != seen.get(name)}
    if not changes:
        st.info(t("Nothing to save: no field was changed."))
        return
    save_with_feedback(
        lambda: (
            open_cached_store(location).edit_recommendation(
                rec_id, changes, expected=seen, author=who.author, recorded=now_utc(), today=today
            )
            and []
        ),
        success=t("Saved new details for '{title}'.", title=values["title"]),
    )
    st.session_state["_meta_seen"].pop(rec_id, None)


def editor_ui(tracker, frame, location, who, today, seen, queue=None, more=None) -> None:
    """The Edit page: the editor's name, then the forms (the first one open); `queue` is the readers'
    suggestions tab (its label, with the count, and how it draws); `more`, other sections drawn by the
    page (key -> (label, draw)): the translations."""
    st.title(t("Edit the tracker"))
    st.text_input(
        t("Your name"),
        key="editor_name",
        max_chars=model.MAX_AUTHOR,
        help=t("Recorded as the author of each update you save."),
    )
    if who.mode == "local":
        st.info(
            t(
                "Local mode: editing is open because no editor passcode or login is set up. That is fine on your "
                "own computer; see the README before sharing this app."
            )
        )
    # One section at a time, chosen from a row of choices that wraps on a phone (tabs ran off its screen).
    # What was typed in a form stays while another is shown: Streamlit forgets the values of widgets a run
    # does not draw, so they are handed back at each run.
    for key in [key for key in st.session_state if str(key).startswith(FORM_PREFIXES)]:
        st.session_state[key] = st.session_state[key]
    sections = {
        "update": (t("Record an update"), lambda: record_update_ui(tracker, location, who, today, seen)),
        "review": (t("Record a review of the tracker"), lambda: review_ui(tracker, location, who, today)),
        # TRANSLATORS: a section of the Edit page: change the statuses of several recommendations at once.
        "triage": (t("Triage several"), lambda: triage_ui(tracker, frame, location, who, today)),
        "add": (t("Add a recommendation"), lambda: add_recommendation_ui(tracker, location, who, today)),
        "details": (t("Edit details"), lambda: edit_details_ui(tracker, location, who, today)),
    }
    sections.update(more or {})
    if queue:
        sections["suggestions"] = queue  # last: its label grows with the count waiting
    chosen = st.radio(
        t("What to do"), list(sections), key=Key.EDIT_SECTION, horizontal=True, format_func=lambda key: sections[key][0]
    )
    sections[chosen if chosen in sections else "update"][1]()


FORM_PREFIXES = ("upd_", "rev_", "add_", "meta_")  # the Edit page's forms' fields (not the triage table)


def review_ui(tracker, location, who, today) -> None:
    """A review of the whole tracker (or some recommendations), recorded once: what was searched, over
    which period, what was found. It restates no status and resets the reviewed ones' staleness."""
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    st.caption(
        t(
            "Record a sweep once, here, rather than a review on every recommendation: say what you searched, "
            "over which period, and what you found. It states no status."
        )
    )
    with st.form("record_review", clear_on_submit=False):
        when = st.date_input(t("Reviewed on"), value=today, max_value=today, key="rev_date", format="YYYY-MM-DD")
        note = st.text_area(
            t("What was searched, over which period, and what was found"), key="rev_note", max_chars=model.MAX_NOTE
        )
        scope = st.multiselect(
            t("Only these recommendations (leave empty: all of them)"),
            list(titles),
            key="rev_scope",
            format_func=titles.get,
            placeholder=t("All recommendations"),
        )
        submitted = st.form_submit_button(t("Save review"))
    if not submitted or not require_editor(who):
        return
    fields = {
        "date": when.isoformat(),
        "note": (note or "").strip(),
        "scope": list(scope),
        "author": who.author,
        "recorded": now_utc(),
    }
    date = day_words(when.isoformat())
    success = (
        t("Saved a review of all recommendations, dated {date}.", date=date)
        if not scope
        else tn(
            "Saved a review of {n} recommendation, dated {date}.",
            "Saved a review of {n} recommendations, dated {date}.",
            len(scope),
            date=date,
        )
    )
    save_with_feedback(
        lambda: (
            open_cached_store(location).change(
                lambda current: edits.add_review(current, fields, today=today), today=today
            )
            and []
        ),
        success=success,
        clear_prefix="rev_",
    )
