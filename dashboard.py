"""Streamlit dashboard (placeholder until the monitoring view lands): loads and lists the data."""

import os
from datetime import date

import streamlit as st

from tracker import TrackerError, ValidationFailed, open_store
from tracker.analysis import statuses_as_of

DATA = os.environ.get("TRACKER_DATA", "data/recommendations.yaml")

st.set_page_config(page_title="Recommendation tracker", layout="wide")
try:
    tracker = open_store(DATA).load(today=date.today())
except ValidationFailed as failed:
    st.error("The data file has problems:")
    for problem in failed.problems:
        st.error(str(problem))
    st.stop()
except TrackerError as error:
    st.error(str(error))
    st.stop()
st.title(tracker.tracker.title)
st.dataframe(statuses_as_of(tracker, date.today())[["title", "status_label", "since"]], hide_index=True)
