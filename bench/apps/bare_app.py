"""The baseline for bench/bench_dashboard.py: what a bare Streamlit app over the same file costs.

On every run it parses the YAML named by TRACKER_DATA with libyaml (no cache, as a bare
app would), builds one DataFrame of the recommendations (id, title, current status), and
shows it with one selectbox filter on the status, so it has a "filter-change rerun" too.
"""

import os

import pandas as pd
import streamlit as st
import yaml

path = os.environ.get("TRACKER_DATA") or "data/recommendations.yaml"
with open(path, encoding="utf-8") as handle:
    data = yaml.load(handle, Loader=yaml.CSafeLoader)

frame = pd.DataFrame(
    [
        # The latest update that sets a status (a review carries none).
        {
            "id": rec["id"],
            "title": rec["title"],
            "status": next(u["status"] for u in reversed(rec["updates"]) if "status" in u),
        }
        for rec in data["recommendations"]
    ]
)
statuses = [status["id"] for status in data["tracker"]["statuses"]]
choice = st.selectbox("Status", ["all", *statuses], key="status")
if choice != "all":
    frame = frame[frame["status"] == choice]
st.dataframe(frame, hide_index=True)
