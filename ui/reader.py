"""What every reader sees: filters, header, numbers, charts, table, detail, changes,
sharing and downloads. Layout only; the numbers come from `tracker/`."""

from __future__ import annotations

import html
import itertools
import os
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import partial

import pandas as pd
import streamlit as st

from tracker import analysis, citation, clock, downloads, drawing, filters
from tracker.edition import FINGERPRINT_SHOWN
from tracker.edits import find_recommendation
from tracker.language import mark
from tracker.model import labels_of, status_by_id
from tracker.records import document_base
from tracker.text import escape_markdown, markdown_address, markdown_link
from tracker.view import (
    View,
    build_link,
    earliest_date,
    parse_view,
    view_to_params,
)
from ui.follow import follow_links, follow_ui, twin_link
from ui.registry import PAGES
from ui.state import Key, read_state
from ui.table import link_colour, render_changes, render_history, render_status_badge
from ui.words import current_words, day, moment, number, t, tn


def read_url_once(tracker, today: date) -> View | None:
    """On a session's first run, copy the link's query parameters into the widgets' state (the link's
    problems into the warnings the page shows); returns the view the link asked for (None later)."""
    if read_state(Key.URL_READ, bool):
        return None
    view, problems = parse_view(st.query_params.to_dict(), tracker, today, clock.now(os.environ))
    st.session_state.update(
        {
            Key.URL_READ: True,
            Key.WARNINGS: [*read_state(Key.WARNINGS, list, []), *problems],
            **{Key.filter_key(row.parameter): list(view.chosen(row.parameter)) for row in filters.FILTERS},
            Key.QUERY: view.query,
            Key.AS_OF: view.as_of,
            Key.REC: view.rec or "",
            Key.SINCE: view.since,
            Key.PUBLISHED: view.published,
            Key.FREEZE: view.frozen,
        }
    )
    return view


def kept_keys() -> tuple[str, ...]:
    """Values a reader set survive pages that do not draw their widgets (see keep_filters). Handing a
    value back also makes a widget in a popover, which the browser draws only when it is opened, show
    the value a link set rather than its default (the Freeze switch after reopening a frozen link)."""
    return (
        *(Key.filter_key(row.parameter) for row in filters.FILTERS),
        *(Key.QUERY, Key.AS_OF, Key.REC, Key.EDITOR_NAME, Key.FREEZE, Key.DOCUMENT, Key.LANG),
    )


def document_ui(documents, titles: dict[str, str], sidebar) -> None:
    """The sidebar's choice of document, when the tracker follows several (none with only one)."""
    if len(documents) < 2:
        return
    ids = [document.id for document in documents]
    sidebar.selectbox(
        t("Document"), ids, key=Key.DOCUMENT, format_func=lambda doc_id: titles.get(doc_id, doc_id),
        placeholder=t("Choose an option"),
        on_change=lambda: st.session_state.pop(Key.REC, None),  # another document's items have other ids
    )  # fmt: skip


def keep_filters() -> None:
    """Streamlit forgets a widget's value on a run that does not draw it; handing the value back to
    session state at the start of each run keeps it while the reader visits other pages."""
    for key in kept_keys():
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def filters_ui(tracker, today: date, sidebar=None, *, with_filters: bool = True) -> None:
    """Sidebar filters: the as-of date on every page; every filter of the table and the search where a
    page lists recommendations."""
    settings = tracker.settings
    sidebar = sidebar or st.sidebar
    sidebar.header(t("Filters"))
    if with_filters:
        # In a popover labelled with what is set: a reader sees the filters in force at a glance, and
        # the widgets, the costliest part of the sidebar for a browser, are drawn only when opened.
        box = sidebar.popover(filters_label(), key="filters_box", width="stretch")
        for row in filters.FILTERS:
            labels = row.labels(settings)
            box.multiselect(
                t(row.label), list(labels), key=Key.filter_key(row.parameter), format_func=labels.get,
                placeholder=t(row.placeholder),
            )  # fmt: skip
        box.text_input(t("Search"), key=Key.QUERY, placeholder=t("Words in a title or note"), max_chars=100)
    published = read_state(Key.PUBLISHED, datetime)
    as_of = read_state(Key.AS_OF, date) or today
    # The date picker in a popover, which draws it only when opened: of the sidebar's widgets it is
    # the costliest for a browser to draw, on every page (docs/benchmarks.md).
    label = (t("As of {date}", date=day(as_of)) if published is None
             # TRANSLATORS: the as-of date of a frozen view (a citable link that keeps showing the same).
             else t("As of {date} (frozen)", date=day(as_of)))  # fmt: skip
    sidebar.popover(label, key="as_of_box", width="stretch").date_input(
        t("As of"),
        key=Key.AS_OF,
        min_value=earliest_date(tracker),
        max_value=today,
        format="YYYY-MM-DD",
        disabled=published is not None,
        help=t("Show every number, chart and table as things stood on this day."),
    )
    if with_filters and set_filters() and sidebar.button(t("Clear filters"), key="clear_filters"):
        for row in filters.FILTERS:
            st.session_state[Key.filter_key(row.parameter)] = []
        st.session_state[Key.QUERY] = ""
        st.rerun()


def view_from_state(tracker, today: date) -> View:
    """The view the reader's widgets and the link describe, read once per run."""
    known = {row.parameter: set(row.labels(tracker.settings)) for row in filters.FILTERS}
    chosen = {
        parameter: [value for value in read_state(Key.filter_key(parameter), list, []) if value in values]
        for parameter, values in known.items()
    }
    return View(
        as_of=read_state(Key.AS_OF, date) or today,
        filters=chosen,
        query=read_state(Key.QUERY, str, "").strip(),
        rec=read_state(Key.REC, str) or None,
        since=read_state(Key.SINCE, date),
        published=read_state(Key.PUBLISHED, datetime),
    )


def set_filters() -> list[str]:
    """The names of the filters a reader set (a search of only spaces searches for nothing)."""
    names = [t(row.noun) for row in filters.FILTERS if read_state(Key.filter_key(row.parameter), list)]
    if read_state(Key.QUERY, str, "").strip():
        names.append(t("search"))
    return names


def filters_label() -> str:
    """The filters' popover label: which filters are set ('Filter: none set' when none is)."""
    names = set_filters()
    return t("Filtered by {filters}", filters=", ".join(names)) if names else t("Filter: none set")


# The filters' words (tracker.filters keeps them as message ids): marked here so they are extracted.
FILTER_WORDS = (
    mark("Status"), mark("Addressee"), mark("Category"), mark("Priority"),
    mark("status"), mark("addressee"), mark("category"), mark("priority"),
    mark("All statuses"), mark("All addressees"), mark("All categories"), mark("All priorities"),
)  # fmt: skip


def sync_url(view: View, today: date, keep: dict | None = None) -> None:
    """Keep the address bar in step with the view, so a copied link reopens it (`view` holds only
    what the page shows: see `registry.page_view`; `keep` adds a page's own parameters)."""
    params = {**view_to_params(view, today), **{k: v for k, v in (keep or {}).items() if v}}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


FRESHNESS = mark(
    "Last reviewed: the latest update or review (someone checked the sources). Latest event: the latest "
    "thing that happened in the world (a status change, a sourced update or a summit, ruling or election)."
)


def header_ui(
    tracker,
    view: View,
    log: pd.DataFrame,
    frozen: tuple | None = None,
    title: str | None = None,
    page: str = "",
    *,
    dates: bool = True,
) -> None:
    """The page's title (the tracker's, or `title`), the freshness line (without its dates when the page's
    answer says them: `dates=False`) and, for a frozen view, what it pins (`frozen`: its fingerprint and
    what was recorded later)."""
    settings = tracker.settings
    article = settings.article
    st.title(escape_markdown(title or settings.title))
    # TRANSLATORS: the document's byline: its description, author, publisher and date.
    byline = t("{description}. {author}, {publisher}, {date}.", description=article.description,
               author=article.author, publisher=article.publisher, date=day(article.published))  # fmt: skip
    if not article.url:  # said plainly, rather than a blank where the link would be
        byline = t("{byline} Web address not verified.", byline=byline)
    st.caption(escape_markdown(byline))
    line = t("**As of {date}**", date=day(view.as_of))
    explained = ""
    if dates:
        reviewed = analysis.latest_update(log, view.as_of, tracker)
        event = analysis.latest_event(tracker, log, view.as_of)
        line = t(
            "**As of {date}** · last reviewed {reviewed} · latest event {event}",
            date=day(view.as_of), reviewed=day(reviewed) if reviewed else "—", event=day(event) if event else "—",
        )  # fmt: skip
        explained = t(FRESHNESS) + " "
    # One line with the feed and API links: not a caption, whose 60% opacity would take links below 4.5:1.
    twin = twin_link(page, view.rec)
    st.markdown(
        f"{line} · {follow_links(document_base(page_address(), view.document))}" + (f" · {twin}" if twin else ""),
        help=explained
        + t("Follow: paste the Atom feed's link into any feed reader; the JSON API serves the same data to programs."),
    )
    review = analysis.latest_review(tracker, view.as_of)
    if review is not None:
        # A sweep of every recommendation is one act, said once (not a date repeated on every row).
        # In one short line (a long note pushed the Overview's charts out of a laptop's first screen), the whole
        # note in its help.
        short = analysis.shorten_note(review.note)
        st.caption(
            escape_markdown(t("All recommendations reviewed on {date}: {note}", date=day(review.date), note=short)),
            help=escape_markdown(review.note) if short != " ".join(review.note.split()) else None,
        )
    if view.frozen and frozen is not None:
        frozen_notice_ui(view, *frozen, page=page)


def frozen_notice_ui(view: View, fingerprint: str, later, page: str = "") -> None:
    """What a frozen link shows, how to check it, and the way back to the current view (of the same page)."""
    today = clock.today(os.environ)
    current = build_link(page_address(), replace(view, as_of=today, published=None, since=None), today, page=page)
    if later.total:
        parts = [
            tn("{n} update", "{n} updates", later.updates) if later.updates else "",
            tn("{n} correction of a detail", "{n} corrections of details", later.corrections)
            if later.corrections
            else "",
            tn("{n} new recommendation", "{n} new recommendations", later.recommendations)
            if later.recommendations
            else "",
            tn("{n} context event", "{n} context events", later.events) if later.events else "",
        ]
        counted = ", ".join(part for part in parts if part)
        since = t("Since then, {counted} were recorded that would change this view.", counted=counted)
    else:
        since = t("Nothing recorded since then changes this view.")
    # Outside the sentence's call: Babel does not extract a call nested in another one's arguments.
    see_current = t("See the current view")
    st.info(
        t(
            "This is a frozen link: it shows the tracker as published on {moment}, as of {date}, even after later "
            "updates. Data fingerprint `{fingerprint}` (the brief made from this view carries the same one). "
            "{since} {current}.",
            moment=record_moment(view.published),
            date=day(view.as_of),
            fingerprint=fingerprint[:FINGERPRINT_SHOWN],
            since=since,
            current=markdown_link(see_current, current),
        )
    )


def record_moment(value: datetime) -> str:
    """A record time in the reader's language, in UTC (a naive one is taken as UTC, as record times are)."""
    return moment(value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc))


def metrics_ui(tracker, shown: pd.DataFrame, view: View, recent: pd.DataFrame) -> None:
    """The headline numbers after the status strip: the progress score, how many are stale and how many
    changed lately (one line: a row of metric widgets cost the reader's browser more than the table)."""
    settings = tracker.settings
    since = day(view.changes_since())
    changed = int(recent["changed"].sum()) if not recent.empty else 0
    st.markdown(
        # TRANSLATORS: "Stale" counts the recommendations with no update or review within the review interval.
        t(
            "Progress score **{score} / 100** · Stale **{stale}** · Changed since {since} **{changed}**",
            score=format(analysis.score_progress(shown, settings), "g"),
            stale=number(int(shown["stale"].sum())),
            since=since,
            changed=number(changed),
        ),
        help=escape_markdown(analysis.describe_progress_formula(settings, current_words()))
        + " "
        # TRANSLATORS: "Stale" (as in the line above): not checked for too long.
        + t("Stale: no update or review within the review interval."),
    )


# The Overview's two summary charts are drawn on the server (tracker/drawing.py), with a link laid over each
# bar (`bar_links`): the browser's own drawing of two charts (Vega's runtime) was most of what made the
# Overview slower than a trivial app (docs/benchmarks.md). Each is drawn twice, at its column's width on a laptop
# (1,440 px) and at a phone's (390 px); the one that fits its column shows (`render_drawn_chart`).
DRAWN_SUMMARY = {"status_by_category": (520, 340), "scorecard": (430, 340)}
# The Timeline's status over time, as wide as the page's main column on a laptop and on a phone.
DRAWN_TIMELINE = {"status_over_time": (960, 340)}
# A column narrower than this share of the wide drawing shows the narrow one (a drawing shrinks to fit
# its column, never grows: text shrunk by more than this reads too small).
NARROW_BELOW = 0.85


def drawn_charts_ui(
    drawings: dict[str, dict[int, str]], sentences: dict[str, str], links: dict[str, dict[int, list]] | None = None
) -> None:
    """The summary charts as drawn on the server, side by side (stacked on a phone), each with its
    one-sentence summary under it (also its accessible name) and `links` laid over its bars."""
    left, right = st.columns([6, 5])  # the category chart's long labels need the extra width
    for column, name in zip((left, right), DRAWN_SUMMARY, strict=True):
        column.html(render_drawn_chart(name, drawings[name], sentences[name], (links or {}).get(name)))
        column.caption(escape_markdown(sentences[name]))


# What a bar of each summary chart counts, and the filter a click on it sets: its dataset, the dataset's
# column and the filter's parameter (tracker.filters); the bar's status sets the status filter too.
BAR_FILTERS = {
    "status_by_category": ("category_counts", "category", "category"),
    "scorecard": ("addressee_counts", "addressee", "addressee"),
}


def bar_links(
    marks: dict[str, dict[int, tuple[drawing.Placed, ...]]], rows: dict[str, pd.DataFrame], view: View, today: date
) -> dict[str, dict[int, list[tuple[drawing.Placed, str, str]]]]:
    """A link on each bar of the summary charts (`marks`: where each is, by chart and width; `rows`: the
    charts' rows by dataset) to All recommendations showing the recommendations it counts: the view with
    the bar's group (a category or an addressee) and status as its filters, a link a reader can share."""
    found = {}
    for name, by_width in marks.items():
        dataset, column, parameter = BAR_FILTERS[name]
        table = rows[dataset]
        found[name] = {}
        for width, placed in by_width.items():
            found[name][width] = []
            for spot in placed:
                row = table.iloc[spot.row]
                narrowed = (
                    replace(view, rec=None).choosing(parameter, (row[column],)).choosing("status", (row["status"],))
                )
                count = int(row["count"])
                bar = f"{row['group_label']}, {row['status_label']}: {number(count)}"
                # TRANSLATORS: the name of a link on a chart's bar, e.g. "Trade, Implemented: 2: see them in the list".
                said = tn("{bar}: see it in the list", "{bar}: see them in the list", count, bar=bar)
                found[name][width].append(
                    (spot, build_link(page_address(), narrowed, today, page="recommendations"), said)
                )
    return found


def render_drawn_chart(
    name: str, drawn: dict[int, str], label: str, links: dict[int, list[tuple[drawing.Placed, str, str]]] | None = None
) -> str:
    """A chart's drawings (SVG text by width, widest first) as one figure that shows the widest drawing
    its column holds without shrinking it below NARROW_BELOW (a CSS container query: no script), each
    named by `label` for screen readers; a hidden drawing is out of the accessibility tree. `links` lays
    over a drawing, by width, a link on each of its marks: (where the mark is, its address, its name)."""
    widths = sorted(drawn, reverse=True)
    css = f".drawn-{name}"
    rules = [
        f"{css}{{container-type:inline-size;margin:0}}",
        # As wide as its image, so that a link placed in percent of it stays on its mark as it shrinks.
        f"{css}>div{{position:relative;width:fit-content;max-width:100%}}",
        f"{css} img{{display:block;max-width:100%;height:auto}}",
        f"{css} .drawn-hit{{position:absolute;display:block}}",
        f"{css} .drawn-hit:hover,{css} .drawn-hit:focus-visible{{outline:2px solid #1f1f1f;outline-offset:1px}}",
        *(f"{css} .drawn-w{width}{{display:none}}" for width in widths[1:]),
    ]
    for wider, narrower in itertools.pairwise(widths):
        rules.append(
            f"@container (max-width:{int(wider * NARROW_BELOW)}px){{{css} .drawn-w{wider}{{display:none}}"
            f"{css} .drawn-w{narrower}{{display:block}}}}"
        )
    figures = "".join(
        f'<div class="drawn-w{width}">{drawing.svg_image(drawn[width], label)}'
        f"{render_links(drawn[width], (links or {}).get(width, []))}</div>"
        for width in widths
    )
    return f'<style>{"".join(rules)}</style><figure class="drawn-chart drawn-{name}">{figures}</figure>'


# A link laid over a bar thinner than this (px) is this tall, centred on it, so that it is easier to hit.
LINK_HEIGHT = 24


def render_links(svg: str, links: list[tuple[drawing.Placed, str, str]]) -> str:
    """Links laid over a drawing's marks, placed in percent of the drawing (so they follow it as it shrinks),
    each named for a screen reader and titled for a pointer (its hover text)."""
    size = drawing.svg_size(svg)
    if not size or not links:
        return ""
    width, height = size
    out = []
    for placed, address, name in links:
        top, tall = placed.top, placed.height
        if tall < LINK_HEIGHT:  # centred on the bar, and never beyond the drawing's top or bottom
            tall = min(LINK_HEIGHT, height)
            top = min(max(top - (tall - placed.height) / 2, 0), height - tall)
        box = (
            f"left:{100 * placed.left / width:.3f}%;top:{100 * top / height:.3f}%;"
            f"width:{100 * placed.width / width:.3f}%;height:{100 * tall / height:.3f}%"
        )
        said = html.escape(name)
        out.append(
            f'<a class="drawn-hit" href="{html.escape(address)}" title="{said}" aria-label="{said}" style="{box}"></a>'
        )
    return "".join(out)


def drawn_chart_ui(name: str, drawn: dict[int, str], sentence: str) -> None:
    """One chart as drawn on the server, as wide as the page, with its one-sentence summary under it (also
    its accessible name)."""
    st.html(render_drawn_chart(name, drawn, sentence))
    st.caption(escape_markdown(sentence))


def recommendation_ui(
    tracker, view: View, log: pd.DataFrame, frame: pd.DataFrame, rec_id: str, texts: dict | None = None
) -> None:
    """One recommendation's page: where it stands, why, the verbatim quote, its dated history with
    sources, and the links to share, follow or embed it (`texts`: what each text is in the page's language,
    for its marks)."""
    rec = find_recommendation(tracker, rec_id)
    settings = tracker.settings
    row = frame[frame["id"] == rec_id]
    if not row.empty:
        row = row.iloc[0]
        event = day(row["last_event"]) if isinstance(row["last_event"], str) else "—"  # none yet: missing
        since = tn(
            "since {date} ({n} day)",
            "since {date} ({n} days)",
            int(row["days_in_status"]),
            date=day(row["since"].date()),
        )
        if row["stale"]:
            # TRANSLATORS: "stale": no update or review within the review interval.
            since = t("{since} · ⚠ stale (no update or review within its review interval)", since=since)
        colour = status_by_id(settings)[row["status"]].colour
        st.html(render_status_badge(row["status_label"], colour, since, row["evidence_text"]))
        st.markdown(
            t(
                "**Last reviewed:** {reviewed} · **Latest event:** {event}  \n**Addressees:** {addressees} · "
                "**Category:** {category} · **Priority:** {priority}",
                reviewed=day(row["last_update"]),
                event=event,
                addressees=escape_markdown(row["addressee_labels"]),
                category=escape_markdown(row["category_label"]),
                priority=escape_markdown(row["priority_label"]),
            )
        )
    else:
        st.info(t("This recommendation was not yet tracked on {date}.", date=day(view.as_of)))
    st.markdown(
        t(
            "**Assessment** ({date}): {assessment}  \n**What would count as implemented:** {criteria}",
            date=day(rec.assessment.date),
            assessment=escape_markdown(rec.assessment.text),
            criteria=escape_markdown(rec.criteria),
        )
    )
    translation_marks_ui(rec_id, texts or {})
    quote_ui(rec, settings, texts)
    if not row.empty:
        parts_ui(rec, row, settings)
    if rec.periods:
        years_ui(rec, view.as_of)
    st.header(t("History"))
    kinds = labels_of(settings.source_kinds)
    history = analysis.history_of(tracker, rec_id, view.as_of, log)
    if history.empty:
        st.info(t("Nothing was recorded for this recommendation by {date}.", date=day(view.as_of)))
    if not history.empty:
        # The whole history in one element: each element costs a reader's browser more to draw than its few
        # lines of text, and as Markdown a long history made this page the slowest to open.
        st.html(render_history(history, kinds, link_colour()))
    for change in reversed(rec.metadata_changes):
        st.caption(
            escape_markdown(
                t(
                    "{author} changed the {field} on {date} (it was {old}).",
                    author=change.author,
                    field=t(FIELD_WORDS.get(change.field, change.field.replace("_", " "))),
                    date=day(change.recorded[:10]),
                    old=repr(change.old),
                )
            )
        )
    st.header(t("Share"))
    today = clock.today(os.environ)
    link = build_link(public_address(), replace(view, rec=rec_id), today, page="recommendation")
    st.markdown(t("Link to this recommendation:  \n{link}", link=markdown_address(link)))
    follow_ui(rec_id, document_base(page_address(), view.document), rec.title)


THE_DOCUMENT = mark("the document")  # a document of another kind (a constant: a nested call is not extracted)
DOCUMENT_NOUNS = {
    "article": mark("the article"),
    "report": mark("the report"),
    "joint_statement": mark("the joint statement"),
}
# The fields a change of details names (tracker.model.EDITABLE_FIELDS), in a sentence.
FIELD_WORDS = {
    "title": mark("title"),
    "quote": mark("quote"),
    "addressees": mark("addressees"),
    "category": mark("category"),
    "priority": mark("priority"),
    "implied": mark("implied"),
    "review_interval_days": mark("review interval days"),
    "criteria": mark("criteria"),
    "assessment": mark("assessment"),
}


# What the page says of a text of the data that is not (or no longer) translated into its language.
# (Its own name: it shadowed FIELD_WORDS above; nothing showed wrong, as both tables are in the catalog.)
TEXT_FIELD_WORDS = {"title": mark("title"), "assessment": mark("assessment"), "criteria": mark("what would count")}


def translation_marks_ui(rec_id: str, texts: dict) -> None:
    """Under a recommendation in Korean or Japanese: which of its texts show in English (not translated yet)
    and which translations are outdated (the English changed since); nothing when all are translated or the
    page is in English (`texts`: translation.describe_texts, empty in English)."""
    states: dict[str, list[str]] = {"missing": [], "outdated": []}
    for field in TEXT_FIELD_WORDS:
        shown = texts.get(("recommendation", rec_id, field))
        if shown is not None and shown.state in states:
            states[shown.state].append(t(TEXT_FIELD_WORDS[field]))
    if states["missing"]:
        st.caption(
            t("Not translated yet, shown in English: {fields}.", fields=current_words().commas(states["missing"]))
        )
    if states["outdated"]:
        st.caption(
            t(
                "Translation outdated (the English changed since; it will be updated): {fields}.",
                fields=current_words().commas(states["outdated"]),
            )
        )


def quote_translation_ui(rec_id: str, texts: dict) -> None:
    """A quote's translation, under the quote in its own words: said to be a translation, by whom, and
    whether a person reviewed it; never set as a quote."""
    shown = texts.get(("recommendation", rec_id, "quote"))
    if shown is None or shown.translation is None:
        return
    made = shown.translation
    if made.reviewed_by:
        who = t("Translation by {author}, reviewed by {reviewer}:", author=made.author, reviewer=made.reviewed_by)
    else:
        who = t("Translation by {author}, not yet reviewed:", author=made.author)
    if shown.state == "outdated":
        who = f"{who} {t('(outdated: the English changed since)')}"
    st.markdown(f"*{escape_markdown(who)}* {escape_markdown(made.text)}")


def quote_ui(rec, settings, texts: dict | None = None) -> None:
    """The document's words for the item, said for what they are: a paraphrase is never shown as a quote; in
    another language, the quote stays in its words and its translation follows, labelled (`texts`)."""
    document = t(DOCUMENT_NOUNS.get(settings.article.kind, THE_DOCUMENT))
    if rec.quote_kind == "paraphrase":
        st.markdown(t("**In other words** (a paraphrase): {quote}", quote=escape_markdown(rec.quote)))
        st.caption(
            t("No wording of {document} itself was found for this; the text above describes it.", document=document)
        )
        quote_translation_ui(rec.id, texts or {})
        return
    st.markdown("> " + escape_markdown(rec.quote).replace("\n", "\n> "))
    source = markdown_link(rec.quote_source.title, rec.quote_source.url) if rec.quote_source else ""
    if rec.quote_kind == "verbatim":
        caption = (t("Verbatim from {document} (implied by it)", document=document) if rec.implied
                   else t("Verbatim from {document}", document=document))  # fmt: skip
    elif rec.quote_kind == "quoted":
        caption = (t("The words of {document} as a report quotes them ({source})", document=document, source=source)
                   if source else t("The words of {document} as a report quotes them", document=document))  # fmt: skip
    else:  # a fact sheet
        caption = (
            t("The words of the fact sheet on {document}, not of {document} itself ({source})", document=document,
              source=source)
            if source
            else t("The words of the fact sheet on {document}, not of {document} itself", document=document)
        )  # fmt: skip
    st.caption(caption)
    quote_translation_ui(rec.id, texts or {})


def parts_ui(rec, row, settings) -> None:
    """What each addressee did, when the history records an addressee's own part."""
    if not any(update.part for update in rec.updates):
        return
    labels, statuses = labels_of(settings.addressees), labels_of(settings.statuses)
    own = {update.part for update in rec.updates if update.part}
    parts = [
        t("{addressee}: {status}", addressee=escape_markdown(labels.get(addressee, addressee)),
          status=escape_markdown(statuses.get(status, status)))
        if addressee in own
        else t("{addressee}: {status} (the overall status: nothing recorded for it alone)",
               addressee=escape_markdown(labels.get(addressee, addressee)),
               status=escape_markdown(statuses.get(status, status)))
        for addressee, status in row["addressee_statuses"].items()
    ]  # fmt: skip
    st.markdown(t("**Each addressee:** {parts}", parts=" · ".join(parts)))


def years_ui(rec, as_of: date) -> None:
    """A commitment made for every year: its years as a row (met, not met, not known) and the rule."""
    # TRANSLATORS: whether a yearly commitment was met in a year.
    words = {True: t("met"), False: t("not met"), None: t("not known")}
    years = " · ".join(
        f"**{period.period}** {words[period.met]}" for period in sorted(rec.periods, key=lambda p: p.period)
    )
    status, judged = analysis.judge_years(rec, as_of)
    st.markdown(t("**Year by year:** {years}", years=years))
    st.caption(escape_markdown(t(analysis.RECURRENCE_RULE)))


def changes_ui(tracker, view: View, log: pd.DataFrame, ids, today: date) -> None:
    """What changed between two dates for the recommendations shown: the two dates (from, to: the to date
    is the view's as-of date, so the link and every page follow it), a sentence that answers, then per
    recommendation its title, its status before → after and its updates with their dates and notes."""
    st.header(t("What changed"))
    earliest, end = earliest_date(tracker), view.as_of
    if end <= earliest:
        st.info(t("Tracking began on {date}: pick a later as-of date to see changes.", date=day(earliest)))
        return
    start = max(min(view.changes_since(), end - timedelta(days=1)), earliest)
    first, last = st.columns(2)
    # Keyed by the dates shown, so a new view always shows its own dates (never a stale widget value).
    keys = (f"changes_from_{start}_{end}", f"changes_to_{start}_{end}")
    first.date_input(
        t("From"), value=start, min_value=earliest, max_value=end - timedelta(days=1), key=keys[0],
        format="YYYY-MM-DD", on_change=_set_view_date, args=(keys[0], Key.SINCE),
    )  # fmt: skip
    last.date_input(
        t("To"), value=end, min_value=start + timedelta(days=1), max_value=today, key=keys[1], format="YYYY-MM-DD",
        disabled=view.frozen, on_change=_set_view_date, args=(keys[1], Key.AS_OF),
        help=t("The as-of date of every page (a frozen link keeps its own)."),
    )  # fmt: skip
    subset = log[log["rec_id"].isin(ids)]
    updates = analysis.list_window_updates(tracker, start, end, subset)
    st.markdown(
        f"**{escape_markdown(analysis.describe_window(updates, start, end, current_words(), tracker.settings))}**"
    )
    if updates.empty:
        return
    # The day before `start`, so that `start` itself counts: the dates above include both ends.
    changes = analysis.list_changes(tracker, start - timedelta(days=1), end, subset)
    st.html(render_changes(changes, updates, page_address(), view_to_params(replace(view, rec=None), today),
                           link_colour()))  # fmt: skip


def _set_view_date(widget: str, key: str) -> None:
    """A date picked on the Changes page becomes the view's (its 'since' or its as-of date)."""
    st.session_state[key] = st.session_state[widget]


# ---------------------------------------------------------------- sharing


def page_address() -> str:
    """The app's address, without the page's own path or query string (works behind a base path too)."""
    url = (st.context.url or "http://localhost:8501/").split("?", 1)[0]
    head, _, last = url.rstrip("/").rpartition("/")
    return f"{head}/" if last and last in {spec.url_path for spec in PAGES} and "//" in head else url


def _toggle_freeze(today: date) -> None:
    # Freezing pins both clocks (the as-of day and this moment); unfreezing goes back to today's view.
    if st.session_state[Key.FREEZE]:
        st.session_state[Key.PUBLISHED] = clock.now(os.environ)
    else:
        st.session_state[Key.PUBLISHED] = None
        st.session_state[Key.AS_OF] = today


def public_address() -> str:
    """The deployment's public address, for the links a reader takes away (shared, frozen, cited, in the
    brief): $TRACKER_PUBLIC_URL when set (as app.py's routes read it), else the request's own address;
    behind a proxy the server may see itself as 127.0.0.1, which a reader's link must never name."""
    configured = os.environ.get("TRACKER_PUBLIC_URL", "").strip().rstrip("/")
    return f"{configured}/" if configured else page_address()


def publisher_name() -> str:
    """Who publishes this deployment, as citations name it: $TRACKER_PUBLISHER (empty: its site's name)."""
    return os.environ.get("TRACKER_PUBLISHER", "").strip()


def share_ui(view: View, today: date, sidebar=None, page: str = "") -> None:
    """The link to this view (its citation and the Freeze switch follow: `cite_ui`)."""
    sidebar = sidebar or st.sidebar
    sidebar.header(t("Share"))
    link = build_link(public_address(), view, today, page=page)
    # A link showing the address, not st.code (a syntax highlighter) nor inline code (a font to load).
    sidebar.markdown(t("Link to this view:  \n{link}", link=markdown_address(link)))


def cite_ui(settings, view: View, today: date, *, page: str, title: str, kind: str, sidebar=None) -> None:
    """Cite this page: a ready citation (APA 7) of `title` (`kind`: what the page is), BibTeX and RIS files
    that reference managers import, all pointing at the frozen link of this view (this moment, or the
    frozen view's own), and the switch that freezes the page itself."""
    sidebar = sidebar or st.sidebar
    now = clock.now(os.environ)
    url = build_link(public_address(), view, today, freeze_at=now, page=page)
    cited = citation.cite_page(
        settings, title=title, kind=kind, as_of=view.as_of, published=view.published or now, url=url,
        accessed=today, publisher=publisher_name(),
    )  # fmt: skip
    # In a popover labelled with what it does: drawn only when opened, it costs a page nothing (a checkbox
    # alone cost a reader's browser more to draw on every page than the whole link: docs/benchmarks.md).
    label = t("Frozen: a citable link") if view.frozen else t("Cite this page")
    box = sidebar.popover(label, icon=":material/format_quote:", key="freeze_box", width="stretch")
    lead, name, middle, address = citation.format_apa(cited)
    cited_text = f"{escape_markdown(lead)}*{escape_markdown(name)}*{escape_markdown(middle)}{markdown_address(address)}"
    box.markdown(t("**Cite this page** ({style}):  \n{citation}", style=citation.STYLE, citation=cited_text))
    key = citation.cite_key(cited)
    # Made when clicked: a citation's files change with every moment, and few readers take them.
    bibtex, ris = box.columns(2)
    bibtex.download_button("BibTeX", data=partial(citation.format_bibtex, cited), file_name=f"{key}.bib",
                           mime="application/x-bibtex", key="cite_bibtex", on_click="ignore")  # fmt: skip
    ris.download_button("RIS", data=partial(citation.format_ris, cited), file_name=f"{key}.ris",
                        mime="application/x-research-info-systems", key="cite_ris", on_click="ignore")  # fmt: skip
    box.caption(t("The link in the citation is frozen: it keeps showing this page as it is now."))
    box.checkbox(
        # TRANSLATORS: "Freeze" pins the view: the link keeps showing the tracker as it is now.
        t("Freeze this view (a citable link that keeps showing exactly this)"),
        key=Key.FREEZE,
        on_change=_toggle_freeze,
        args=(today,),
    )
    if view.frozen:
        sidebar.caption(
            t(
                "It shows the tracker as published on {moment}, as of {date}: later updates, even back-dated ones, "
                "never change it.",
                moment=record_moment(view.published),
                date=day(view.as_of),
            )
        )


def downloads_ui(tracker, view: View, shown: pd.DataFrame, today: date, source=None) -> None:
    """One picker for every export: tables, the data file, stamped chart images, the offline brief (`source`:
    the data as stored, for the data file and the brief, when the page shows a translation)."""
    st.header(t("Download"))
    # In a popover: the picker and its button are drawn only when it is opened, not on every visit.
    box = st.popover(t("Choose what to download"), icon=":material/download:", key="download_box")
    key = box.selectbox(
        t("What to download"),
        list(downloads.DOWNLOADS),
        key="download_what",
        format_func=lambda choice: t(downloads.DOWNLOADS[choice][0]),
        width=360,
        placeholder=t("Choose an option"),
    )
    build = partial(
        downloads.build_download,
        key,
        tracker,
        view,
        frame=shown,
        permalink=build_link(public_address(), view, today, freeze_at=clock.now(os.environ)),
        generated=clock.now(os.environ),
        publisher=publisher_name(),
        source=source,
    )
    # The shown table is small and already computed: hand it over directly. Everything else
    # (the whole event log, the data file, chart images, the brief) grows with the tracker,
    # so it is made only when the button is clicked, not on every rerun while it is picked.
    box.download_button(
        t("Download {format}", format=downloads.DOWNLOADS[key][1].upper()),
        type="primary",
        data=build() if key.startswith("recommendations-") else build,
        file_name=downloads.name_download(key, view.as_of),
        mime=downloads.DOWNLOADS[key][2],
        key="download",
        on_click="ignore",
    )
    st.caption(
        t(
            "Exports follow the filters and the as-of date shown; chart images and the brief are stamped with "
            "them. The brief also carries the data's fingerprint and a frozen permalink."
        )
    )
