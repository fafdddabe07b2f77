"""Readers' suggestions on the page: the form a reader sends, the link where they follow it, and the
editors' queue. The rules (limits, duplicates, decisions) are in `tracker.suggestion` and
`tracker.decisions`; the storage is the store's `suggestions`. Everything a reader typed is shown as
text, never as markup."""

from __future__ import annotations

import os
import secrets

import streamlit as st

from tracker import clock
from tracker.access import BadSetting
from tracker.decisions import accept_suggestion, decline_suggestion, merge_suggestion
from tracker.edits import find_recommendation
from tracker.errors import NotFound, TrackerError, ValidationFailed
from tracker.language import mark
from tracker.model import MAX_SOURCE_TITLE, MAX_URL, current_status, labels_of, start_of, status_by_id
from tracker.suggestion import (
    MAX_CONTACT,
    MAX_REASON,
    MAX_SUGGESTION_NOTE,
    STATE_LABELS,
    client_key,
    count_pending,
    describe_change,
    edit_sources,
    new_reference,
    public_view,
    suggestions_enabled,
    validate_suggestion,
)
from tracker.text import escape_markdown, markdown_link

from .data import load_cached, open_cached_store, read_secret
from .editor import client_address, now_utc, require_editor, save_with_feedback
from .state import read_state
from .words import day, t, tn

SOURCE_ROWS = 3  # the form's source rows (the core accepts up to MAX_SUGGESTION_SOURCES)
NO_CHANGE = ""
UNAVAILABLE = mark("Suggestions cannot be taken just now; please try again later.")
# What became of a suggestion (tracker.suggestion.STATE_LABELS, by state), in the reader's words.
STATE_WORDS = {
    "pending": mark("Waiting for an editor"),
    "accepted": mark("Accepted"),
    "declined": mark("Declined"),
    "merged": mark("Merged into an update already recorded"),
}
DECIDED_SHOWN = 20  # the latest decisions listed under the queue


def state_words(state: str) -> str:
    """What became of a suggestion, in the reader's language."""
    return t(STATE_WORDS[state]) if state in STATE_WORDS else STATE_LABELS.get(state, state)


def suggestions_switch() -> tuple[bool, str]:
    """Whether readers may suggest updates, and why not when the setting cannot be read."""
    try:
        return suggestions_enabled(os.environ), ""
    except BadSetting as error:
        return False, t("{problem} Suggestions are off until it is fixed.", problem=error)


def open_cached_suggestions(location: str):
    """The suggestions kept beside the tracker at `location` (its store's own, cached with it)."""
    return open_cached_store(location).suggestions


@st.cache_resource(show_spinner=False)
def deployment_salt() -> str:
    """The key of the clients' rate-limit hashes: the deployment's secret when set, else one drawn when
    the server starts (a restart then forgets who sent what in the last hour, nothing more)."""
    return str(read_secret("suggestion_salt") or os.environ.get("TRACKER_SUGGESTION_SALT") or secrets.token_hex(16))


def pending_count(location: str) -> int:
    """How many suggestions wait for an editor (0 when they cannot be read: the queue then says why)."""
    try:
        return count_pending(open_cached_suggestions(location).list(state="pending"))
    except TrackerError:
        return 0


# -- the reader's form ----------------------------------------------------------------------------


def _clear_form() -> None:
    for key in [key for key in st.session_state if str(key).startswith("sug_") and key != "sug_rec"]:
        del st.session_state[key]


def suggest_form_ui(ctx, status_page) -> None:
    """The 'Suggest an update' page: the form, and after a send the reference and its link."""
    st.title(t("Suggest an update"))
    if "sug_rec" in st.session_state:  # kept while the form is not drawn (after a send)
        st.session_state["sug_rec"] = st.session_state["sug_rec"]
    sent = read_state("_sug_sent", str)
    if sent:
        st.success(
            t(
                "Thank you: your suggestion was sent. Its reference is **{reference}**. "
                "Keep the link below to see what the editors decide.",
                reference=escape_markdown(sent),
            )
        )
        st.page_link(status_page, label=t("See what becomes of your suggestion"), query_params={"ref": sent})
        if st.button(t("Suggest another update"), key="sug_again"):
            st.session_state.pop("_sug_sent", None)
            st.rerun()
        return
    # Suggestions are about the tracker as it stands, whatever moment a frozen link shows.
    tracker = load_cached(ctx.location, ctx.revision, ctx.today)[0]
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    if not titles:
        st.info(t("This tracker holds no recommendations yet, so there is nothing to suggest an update to."))
        return
    st.markdown(
        t(
            "Seen news about one of these recommendations? Tell the editors what happened and where it was "
            "reported. They check every suggestion against its sources before anything changes, and you get "
            "a link where you can see what they decided."
        )
    )
    asked = st.query_params.get("rec")
    if asked in titles and asked != read_state("_sug_url_rec", str):
        st.session_state["sug_rec"] = asked
    st.session_state["_sug_url_rec"] = asked
    if read_state("sug_rec", str) not in titles:
        st.session_state["sug_rec"] = next(iter(titles))
    labels = labels_of(status_by_id(tracker.settings).values())
    rec_id = st.selectbox(
        t("Recommendation"), list(titles), key="sug_rec", format_func=titles.get, placeholder=t("Choose an option")
    )
    current = current_status(find_recommendation(tracker, rec_id))
    st.caption(t("Its status now: {status}.", status=escape_markdown(labels[current])))
    # A field people never see (hidden by the style below); a bot that fills every field gives itself away.
    st.html("<style>.st-key-sug_trap{display:none}</style>")
    with st.form("suggest", clear_on_submit=False, enter_to_submit=False):
        note = st.text_area(t("What happened, in a few sentences"), key="sug_note", max_chars=MAX_SUGGESTION_NOTE)
        when = st.date_input(
            t("When it happened"),
            value=None,
            min_value=start_of(find_recommendation(tracker, rec_id).updates[0].date),
            max_value=ctx.today,
            key="sug_date",
            format="YYYY-MM-DD",
        )
        month_only = st.checkbox(
            t("Only the month is known"),
            key="sug_month_only",
            help=t("Pick any day of that month: only the month is kept."),
        )
        status = st.selectbox(
            t("The status you think applies now"),
            [NO_CHANGE, *labels],
            key="sug_status",
            format_func=lambda value: labels.get(value, t("No change: the status stays")),
            placeholder=t("Choose an option"),
        )
        st.markdown(t("**Sources**: where it was reported (a web address and its title; one at least)."))
        sources = []
        for n in range(1, SOURCE_ROWS + 1):
            left, right = st.columns([3, 2])
            url = left.text_input(
                t("Source {n} web address", n=n), key=f"sug_url{n}", max_chars=MAX_URL, placeholder="https://…"
            )
            title = right.text_input(t("Source {n} title", n=n), key=f"sug_title{n}", max_chars=MAX_SOURCE_TITLE)
            sources.append({"url": url or "", "title": title or ""})
        contact = st.text_input(
            t("Your email (optional)"),
            key="sug_contact",
            max_chars=MAX_CONTACT,
            help=t("Only the editors see it, and only to ask you about this suggestion. It is never published."),
        )
        with st.container(key="sug_trap"):
            trap = st.text_input(t("Leave this field empty"), key="sug_website")
        sent_now = st.form_submit_button(t("Send suggestion"))
    if not sent_now:
        return
    form = {
        "rec_id": rec_id,
        "note": note,
        "date": "" if when is None else (when.isoformat()[:7] if month_only else when.isoformat()),
        "status": status or None,
        "sources": sources,
        "contact": contact,
        "honeypot": trap,
    }
    now = clock.now(os.environ)
    try:
        live = open_cached_store(ctx.location).load(today=ctx.today)
        suggestion = validate_suggestion(
            live,
            form,
            reference=new_reference(),
            client=client_key(client_address(), deployment_salt()),
            submitted=now_utc(),
            today=ctx.today,
        )
        open_cached_suggestions(ctx.location).submit(suggestion, tracker=live, now=now)
    except ValidationFailed as failed:
        if any(problem.file for problem in failed.problems):  # the stored data, not the reader's form
            st.error(t(UNAVAILABLE))
            return
        st.error(t("Your suggestion was not sent:"))
        for problem in failed.problems:
            st.error(escape_markdown(str(problem)))
        return
    except TrackerError:
        # What is wrong with the store is for the editors (their queue says it), not for readers.
        st.error(t(UNAVAILABLE))
        return
    _clear_form()
    st.session_state["_sug_sent"] = suggestion.reference
    st.rerun()


# -- the reader's status link ---------------------------------------------------------------------


def suggestion_status_ui(ctx, recommendation_page) -> str | None:
    """The page at a suggestion's link: where it stands, nothing personal. Returns the reference shown
    (kept in the address)."""
    st.title(t("Your suggestion"))
    reference = st.query_params.get("ref") or read_state("_sug_ref", str) or ""
    if not reference:
        st.info(t("Open this page from the link you got when you sent a suggestion."))
        return None
    st.session_state["_sug_ref"] = reference
    try:
        shown = public_view(open_cached_suggestions(ctx.location).get(reference))
    except NotFound as error:
        st.error(escape_markdown(str(error)))
        return reference
    except TrackerError:
        st.error(t("Suggestions cannot be looked up just now; please try again later."))
        return reference
    tracker = load_cached(ctx.location, ctx.revision, ctx.today)[0]
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    labels = labels_of(status_by_id(tracker.settings).values())
    proposed = shown["proposed_status"]
    st.header(state_words(shown["state"]))
    sent = {"sent": day(shown["submitted"]), "date": day(shown["date"])}
    lines = [
        t("Reference: {reference}", reference=escape_markdown(shown["reference"])),
        t("Sent on {sent}, about what happened on {date}", **sent)
        if len(shown["date"]) == 10
        else t("Sent on {sent}, about what happened in {date}", **sent),
        t("Proposed status: {status}", status=escape_markdown(labels.get(proposed, proposed)))
        if proposed
        else t("Proposed status: no change"),
    ]
    if shown["decided"]:
        lines.append(t("Decided on {date}", date=day(shown["decided"])))
    st.markdown("\n".join(f"- {line}" for line in lines))
    if shown["reason"]:
        st.markdown(t("**The editors' reason:**"))
        st.text(shown["reason"])
    title = titles.get(shown["rec_id"], shown["rec_id"])
    if shown["update_date"]:
        st.markdown(t("It is part of the update dated {date}.", date=day(shown["update_date"])))
    if shown["rec_id"] in titles:
        st.page_link(
            recommendation_page,
            label=t("Open '{title}'", title=escape_markdown(title)),
            query_params={"rec": shown["rec_id"]},
        )
    return reference


# -- the editors' queue ---------------------------------------------------------------------------


def _reader_text(label: str, text: str) -> None:
    st.markdown(t("**{label}**", label=label))
    st.text(text)  # what a reader typed: plain text, no markup, no links


def _accept_ui(ctx, who, item, kinds) -> None:
    ref = item.reference
    with st.form(f"accept_{ref}"):
        note = st.text_area(
            t("Note the update will carry (a credit to the suggestion is added)"), value=item.note, key=f"q_note_{ref}"
        )
        rows = []
        for n, source in enumerate(item.sources, start=1):
            left, middle, right = st.columns([3, 2, 1])
            url = left.text_input(t("Source {n} web address", n=n), value=source.url, key=f"q_url{n}_{ref}")
            title = middle.text_input(t("Source {n} title", n=n), value=source.title, key=f"q_title{n}_{ref}")
            kind = right.selectbox(
                t("Source {n} kind", n=n), list(kinds), index=None, key=f"q_kind{n}_{ref}", format_func=kinds.get,
                placeholder=t("Choose an option"),
            )  # fmt: skip
            rows.append({"url": url, "title": title, "kind": kind, "published": source.published})
        # A row of the editor's own, for when the reader's sources cannot carry the change alone.
        n = len(item.sources) + 1
        left, middle, right = st.columns([3, 2, 1])
        url = left.text_input(
            t("Source {n} web address (optional)", n=n), key=f"q_url{n}_{ref}", placeholder="https://…"
        )
        title = middle.text_input(t("Source {n} title", n=n), key=f"q_title{n}_{ref}")
        kind = right.selectbox(
            t("Source {n} kind", n=n), list(kinds), index=None, key=f"q_kind{n}_{ref}", format_func=kinds.get,
            placeholder=t("Choose an option"),
        )  # fmt: skip
        rows.append({"url": url, "title": title, "kind": kind})
        accepted = st.form_submit_button(t("Accept and record the update"))
    if not accepted or not require_editor(who):
        return

    def save():
        sources = edit_sources(rows, kinds)
        accept_suggestion(
            open_cached_store(ctx.location),
            ref,
            editor=who.author,
            note=note,
            sources=sources,
            now=clock.now(os.environ),
            today=ctx.today,
        )
        return []

    save_with_feedback(save, success=t("Accepted suggestion {reference}: the update is recorded.", reference=ref))


def _decline_ui(ctx, who, item) -> None:
    ref = item.reference
    with st.form(f"decline_{ref}"):
        reason = st.text_area(
            t("Reason (the reader sees it at their link)"), key=f"q_reason_{ref}", max_chars=MAX_REASON
        )
        declined = st.form_submit_button(t("Decline"))
    if not declined or not require_editor(who):
        return

    def save():
        decline_suggestion(
            open_cached_store(ctx.location), ref, editor=who.author, reason=reason, now=clock.now(os.environ)
        )
        return []

    save_with_feedback(save, success=t("Declined suggestion {reference}.", reference=ref))


def _merge_ui(ctx, who, item, tracker, labels) -> None:
    ref = item.reference
    rec = find_recommendation(tracker, item.rec_id)
    # Updates are named by date and record time, which a back-dated update saved meanwhile cannot shift.
    by_time = {(update.date, update.recorded): update for update in reversed(rec.updates)}  # the latest first

    def describe(key: tuple[str, str]) -> str:
        update = by_time[key]
        return f"{update.date} · {labels.get(update.status, update.status)} · {update.note[:60]}"

    with st.form(f"merge_{ref}"):
        chosen = st.selectbox(
            t("The update it adds nothing to"), list(by_time), key=f"q_into_{ref}", format_func=describe,
            placeholder=t("Choose an option"),
        )  # fmt: skip
        reason = st.text_input(t("Note for the reader (optional)"), key=f"q_merge_reason_{ref}", max_chars=MAX_REASON)
        merged = st.form_submit_button(t("Merge"))
    if not merged or not require_editor(who):
        return

    def save():
        merge_suggestion(
            open_cached_store(ctx.location),
            ref,
            editor=who.author,
            into=(item.rec_id, chosen),
            now=clock.now(os.environ),
            today=ctx.today,
            reason=reason or "",
        )
        return []

    save_with_feedback(
        save,
        success=t("Merged suggestion {reference} into the update of {date}.", reference=ref, date=by_time[chosen].date),
    )


def _describe_pending(item, titles) -> str:
    return t(
        "{reference} · {title} · sent {date}",
        reference=item.reference,
        title=titles.get(item.rec_id, item.rec_id)[:60],
        date=day(item.submitted[:10]),
    )


def queue_ui(ctx, who) -> None:
    """The Edit page's queue: the pending suggestions, one at a time with its sources, how it would change
    the status and the three decisions; then the latest decisions, with who and when."""
    if not who.can_edit:  # the page is offered to editors only; this holds readers' emails
        return
    try:
        everything = open_cached_suggestions(ctx.location).list()
    except TrackerError as error:
        st.error(t("The suggestions cannot be read. {problem}", problem=escape_markdown(str(error))))
        return
    tracker = load_cached(ctx.location, ctx.revision, ctx.today)[0]
    settings = tracker.settings
    labels = labels_of(status_by_id(settings).values())
    kinds = labels_of(settings.source_kinds)
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    pending = {item.reference: item for item in everything if item.state == "pending"}
    if not pending:
        st.caption(t("No suggestion is waiting."))
    else:
        # One suggestion's forms at a time: a full queue stays quick to use.
        reference = st.selectbox(
            tn(
                "Suggestion to review ({n} waiting, the oldest first)",
                "Suggestion to review ({n} waiting, the oldest first)",
                len(pending),
            ),
            list(pending),
            key="q_pick",
            format_func=lambda ref: _describe_pending(pending[ref], titles),
            placeholder=t("Choose an option"),
        )
        _review_ui(ctx, who, pending[reference], tracker, titles, labels, kinds)
    decided = [item for item in everything if item.state != "pending"][-DECIDED_SHOWN:]
    if decided:
        # TRANSLATORS: the heading of the suggestions an editor has decided (accepted, declined or merged).
        st.header(t("Decided"))
        st.caption(
            tn("The latest decision, the newest first.", "The latest {n} decisions, the newest first.", len(decided))
        )
        heads = (t("Suggestion"), t("Recommendation"), t("Decision"), t("By"), t("When (UTC)"))
        rows = [
            f"| {' | '.join(escape_markdown(head) for head in heads)} |",
            "|---|---|---|---|---|",
            *(
                f"| {escape_markdown(item.reference)} | {escape_markdown(titles.get(item.rec_id, item.rec_id))} | "
                f"{state_words(item.state)} | {escape_markdown(item.decision.by)} | "
                f"{day(item.decision.at[:10])} {item.decision.at[11:16]} |"
                for item in reversed(decided)
            ),
        ]
        st.markdown("\n".join(rows))


def _review_ui(ctx, who, item, tracker, titles, labels, kinds) -> None:
    with st.container(border=True):
        st.markdown(
            t(
                "**{title}** · suggestion {reference} · sent {date}",
                title=escape_markdown(titles.get(item.rec_id, item.rec_id)),
                reference=escape_markdown(item.reference),
                date=day(item.submitted[:10]),
            )
        )
        if item.rec_id not in titles:
            st.warning(t("This recommendation is no longer in the tracker; decline the suggestion."))
        else:
            st.markdown(
                t(
                    "Happened: {date} · {change}",
                    date=day(item.date),
                    change=escape_markdown(describe_change(tracker, item)),
                )
            )
        _reader_text(t("What the reader says happened"), item.note)
        st.markdown(t("**Sources**"))
        cited = (f"- {markdown_link(s.title, s.url)} ({escape_markdown(s.url)})" for s in item.sources)
        st.markdown("\n".join(cited))
        if item.contact:
            st.markdown(t("Reader's email (editors only): {email}", email=escape_markdown(item.contact)))
        # The choices are kept as ids (the state and tests read them); their words are the reader's language.
        decisions = {"Accept": t("Accept"), "Decline": t("Decline"), "Merge": t("Merge")}
        choices = ["Accept", "Decline", "Merge"] if item.rec_id in titles else ["Decline"]
        choice = st.radio(
            t("Decision"), choices, key=f"q_choice_{item.reference}", horizontal=True, format_func=decisions.get
        )
        if choice == "Accept":
            _accept_ui(ctx, who, item, kinds)
        elif choice == "Merge":
            _merge_ui(ctx, who, item, tracker, labels)
        else:
            _decline_ui(ctx, who, item)
