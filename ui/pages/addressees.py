"""By addressee: everything the documents ask of one government (or body), and what it did, across all of
them: each item's status for that addressee (its own part where one was recorded)."""

from __future__ import annotations

import html

import streamlit as st

from tracker import collection
from ui.context import Context, current
from ui.page_parts import status_strip
from ui.pages.documents import load_all
from ui.reader import page_address
from ui.registry import page
from ui.table import link_colour, recommendation_link
from ui.words import day, number, t


def draw(ctx: Context) -> None:
    st.title(t(page("addressees").title))
    trackers = load_all(ctx)
    labels = {}
    for tracker in trackers.values():
        labels.update({term.id: term.label for term in tracker.settings.addressees})
    addressee = st.selectbox(
        t("Addressee"), list(labels), key="by_addressee", format_func=labels.get, placeholder=t("Choose an option")
    )
    asked = collection.list_asked_of(trackers, addressee, ctx.view.as_of)
    st.markdown(
        t(
            "**{items}** items of {documents} documents are addressed to {addressee}, as of {date}: each with what "
            "{addressee} did (its own part where one was recorded, else the item's overall status).",
            items=number(len(asked)),
            documents=number(len(trackers)),
            addressee=html.escape(labels[addressee]),
            date=day(ctx.view.as_of),
        )
    )
    status_strip(ctx.tracker, asked if not asked.empty else None)
    colour = html.escape(link_colour())
    for doc_id, rows in asked.groupby("document", sort=False):
        st.subheader(rows["document_title"].iloc[0])
        items = "".join(
            f'<li><a href="{html.escape(recommendation_link(page_address(), row.id, {"doc": doc_id}))}" '
            f'style="color:{colour}">{html.escape(row.title)}</a> — '
            f'<span aria-hidden="true" style="display:inline-block;width:.7rem;height:.7rem;'
            f'background:{html.escape(row.colour)}"></span> {html.escape(row.status_label)}</li>'
            for row in rows.itertuples()
        )
        named = html.escape(t("Addressed to {addressee}", addressee=labels[addressee]))
        st.html(f'<ul aria-label="{named}">{items}</ul>')


if __name__ == "__main__":
    draw(current())
